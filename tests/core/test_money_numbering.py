import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from servicedesk.core.money import add_vat, money, split_gross
from servicedesk.core.numbering import next_number
from tests.conftest import skip_or_fail


def test_money_rounds_half_up():
    assert money("2.345") == Decimal("2.35") and money("2.344") == Decimal("2.34") and money(0.1) == Decimal("0.10")


@given(st.decimals(min_value=0, max_value=10_000_000, places=2), st.sampled_from(["0.13", "0.09", "0.06", "0"]))
def test_vat_parts_always_add_up(amount, rate):
    net, vat = split_gross(amount, rate)
    assert net + vat == money(amount)
    vat2, gross = add_vat(amount, rate)
    assert money(amount) + vat2 == gross


@pytest.mark.django_db
def test_numbers_are_gapless_per_site_kind_and_year(site, other_site):
    with transaction.atomic():
        assert next_number(site=site, kind="RO", year=2026) == "SH01-2026-000001"
        assert next_number(site=site, kind="RO", year=2026) == "SH01-2026-000002"
        assert next_number(site=other_site, kind="RO", year=2026) == "BJ01-2026-000001"
        assert next_number(site=site, kind="INV", year=2027) == "SH01-INV-2027-000001"
    try:
        with transaction.atomic():
            next_number(site=site, kind="RO", year=2026)
            raise RuntimeError("the RO could not be saved")
    except RuntimeError:
        pass
    with transaction.atomic():
        assert next_number(site=site, kind="RO", year=2026) == "SH01-2026-000003"  # the rolled-back one returns


@pytest.mark.django_db(transaction=True)
def test_a_number_outside_a_transaction_is_refused(site):
    with pytest.raises(RuntimeError):
        next_number(site=site, kind="RO", year=2026)


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_never_share_a_number(site):
    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL")
    numbers, errors = [], []

    def take():
        try:
            for _ in range(10):
                with transaction.atomic():
                    numbers.append(next_number(site=site, kind="RO", year=2026))
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == [f"SH01-2026-{n:06d}" for n in range(1, 41)]
