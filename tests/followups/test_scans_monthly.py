"""Monthly contact (seed 002): customers of the chosen tiers not contacted this local month get one task."""

import pytest

from customers.models import ContactLog
from followups.models import Callback, FollowupSettings
from followups.services.scans import monthly_contacts_create
from tests.factories import CustomerFactory

from .scan_helpers import local

pytestmark = pytest.mark.django_db


def test_vip_customers_without_a_contact_this_month_get_one_task_per_month(site):
    vip = CustomerFactory(site=site, tier="vip")
    contacted = CustomerFactory(site=site, tier="vip")
    CustomerFactory(site=site, tier="regular")
    ContactLog.objects.create(site=site, customer=contacted, at=local(site, "2026-11-02 10:00"), channel="phone",
                              reason="回访")
    ContactLog.objects.create(site=site, customer=vip, at=local(site, "2026-10-31 23:00"), channel="phone",
                              reason="上月")

    assert monthly_contacts_create(as_of=local(site, "2026-11-24 10:00")) == 1
    assert monthly_contacts_create(as_of=local(site, "2026-11-25 10:00")) == 0
    task = Callback.objects.get()
    assert (task.customer, task.kind, task.dedupe_key) == (vip, Callback.Kind.MONTHLY_CONTACT,
                                                          f"monthly:{vip.pk}:2026-11")
    assert task.due_at == local(site, "2026-11-30 23:59").replace(second=59)
    assert monthly_contacts_create(as_of=local(site, "2026-12-01 09:00")) == 2  # a new month for both


def test_the_sites_tiers_decide(site):
    FollowupSettings.objects.create(site=site, monthly_contact_tiers=["fleet"])
    CustomerFactory(site=site, tier="vip")
    fleet = CustomerFactory(site=site, tier="fleet")
    assert monthly_contacts_create(as_of=local(site, "2026-11-24 10:00")) == 1
    assert Callback.objects.get().customer == fleet
    FollowupSettings.objects.filter(site=site).update(monthly_contact_tiers=[])
    assert monthly_contacts_create(as_of=local(site, "2026-12-24 10:00")) == 0
