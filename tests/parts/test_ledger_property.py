"""Random sequences of stock operations keep the ledger consistent (hypothesis).

Each example runs in a savepoint that is rolled back, so the function-scoped fixtures (site, users) are
shared safely between examples. A small model predicts which operations must succeed and which must be
refused; after every step the invariants hold and the check command's function finds nothing.
"""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parts import services
from parts.models import Part, Reservation
from parts.selectors import stock_ledger_disagreements
from servicedesk.core.errors import ApplicationError

from .factories import PartFactory, make_clerk

pytestmark = pytest.mark.django_db
D = Decimal
ORDERS = ["RO1", "RO2", "RO3"]

quantities = st.integers(min_value=1, max_value=6).map(D)
part_index = st.integers(min_value=0, max_value=1)
order = st.sampled_from(ORDERS)
operations = st.one_of(
    st.tuples(st.just("receive"), part_index, quantities),
    st.tuples(st.just("reserve"), part_index, quantities, order),
    st.tuples(st.just("issue"), part_index, quantities, order),
    st.tuples(st.just("issue_reserved"), st.integers(0, 5), quantities),
    st.tuples(st.just("release"), st.integers(0, 5)),
    st.tuples(st.just("return"), part_index, quantities, order),
    st.tuples(st.just("adjust"), part_index, st.integers(-6, 6).filter(bool).map(D)),
)


class Model:
    """What on_hand/reserved should be, and which operation must be refused."""

    def __init__(self, parts):
        self.on_hand = {p.pk: D(0) for p in parts}
        self.reserved = {p.pk: D(0) for p in parts}
        self.issued = {}  # (part pk, RO) -> issued minus returned

    def available(self, pk) -> Decimal:
        return self.on_hand[pk] - self.reserved[pk]


def _held() -> list[Reservation]:
    return list(Reservation.objects.filter(status=Reservation.Status.HELD).select_related("part").order_by("pk"))


def _step(operation, parts, model: Model, clerk, manager) -> bool:
    """Run one operation; returns whether the model expects it to succeed (the caller compares)."""
    kind, *args = operation
    if kind in ("issue_reserved", "release"):
        held = _held()
        if not held:
            return True
        reservation = held[args[0] % len(held)]
        pk, outstanding = reservation.part_id, reservation.outstanding
        if kind == "release":
            services.reservation_release(reservation=reservation, actor=clerk)
            model.reserved[pk] -= outstanding
            return True
        quantity = args[1]
        ok = quantity <= outstanding
        if ok:
            model.on_hand[pk] -= quantity
            model.reserved[pk] -= quantity
            key = (pk, reservation.repair_order_ref)
            model.issued[key] = model.issued.get(key, D(0)) + quantity
        _expect(ok, services.stock_issue, part=reservation.part, quantity=quantity,
                repair_order_ref=reservation.repair_order_ref, actor=clerk, reservation=reservation)
        return ok
    part = parts[args[0]]
    pk, quantity = part.pk, args[1]
    if kind == "receive":
        services.stock_receive(part=part, quantity=quantity, actor=clerk)
        model.on_hand[pk] += quantity
        return True
    if kind == "reserve":
        result = services.parts_reserve(part=part, quantity=quantity, repair_order_ref=args[2], actor=clerk)
        expected = min(quantity, model.available(pk))
        assert (result.reservation.quantity if result.reservation else D(0)) == expected
        assert (result.shortage.quantity if result.shortage else D(0)) == quantity - expected
        model.reserved[pk] += expected
        return True
    if kind == "issue":
        ok = quantity <= model.available(pk)
        _expect(ok, services.stock_issue, part=part, quantity=quantity, repair_order_ref=args[2], actor=clerk)
        if ok:
            model.on_hand[pk] -= quantity
            model.issued[(pk, args[2])] = model.issued.get((pk, args[2]), D(0)) + quantity
        return ok
    if kind == "return":
        ok = quantity <= model.issued.get((pk, args[2]), D(0))
        _expect(ok, services.stock_return, part=part, quantity=quantity, repair_order_ref=args[2], actor=clerk)
        if ok:
            model.on_hand[pk] += quantity
            model.issued[(pk, args[2])] -= quantity
        return ok
    assert kind == "adjust"
    ok = model.on_hand[pk] + quantity >= model.reserved[pk]
    _expect(ok, services.adjustment_request, part=part, quantity=quantity, reason="盘点", actor=manager)
    if ok:
        model.on_hand[pk] += quantity
    return ok


def _expect(ok: bool, service, **kwargs) -> None:
    if ok:
        service(**kwargs)
    else:
        with pytest.raises(ApplicationError):
            service(**kwargs)


@pytest.fixture
def clerk(site):
    return make_clerk(site)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(operations, min_size=1, max_size=25))
def test_random_movements_keep_the_ledger_consistent(site, clerk, manager, steps):
    with transaction.atomic():
        parts = [PartFactory(site=site, number="PROP-A"), PartFactory(site=site, number="PROP-B")]
        model = Model(parts)
        for operation in steps:
            _step(operation, parts, model, clerk, manager)
            for part in Part.objects.filter(pk__in=[p.pk for p in parts]):
                assert part.on_hand >= 0 and 0 <= part.reserved <= part.on_hand, operation
                assert (part.on_hand, part.reserved) == (model.on_hand[part.pk], model.reserved[part.pk]), operation
            assert stock_ledger_disagreements(site=site) == [], operation
        transaction.set_rollback(True)
