"""What the suite needs on the bench site beyond the dataset: one user per role, an RO of 20 jobs and 40 parts
lines (built through the services, once), the customer and the month to look at. Idempotent."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from customers.models import Vehicle
from parts.models import Part
from repair_orders.models import LabourOperation, RepairOrder
from repair_orders.services import (
    job_add_from_operation,
    part_line_add,
    repair_order_open,
    repair_order_record_walkaround,
    repair_order_submit_estimate,
)
from repair_orders.services.estimate import repair_order_approve
from servicedesk.accounts.models import Membership, Site, StaffProfile
from workshop.demo import _signature

BIG_RO_CONCERN = "基准测试：20 项工作 40 条配件"
BIG_RO_JOBS, PARTS_PER_JOB = 20, 2
PREFERRED_SITES = ("BSH", "SH01")  # the dataset's big site, else the demo's


def bench_site(code: str | None) -> Site:
    for candidate in ([code] if code else PREFERRED_SITES):
        site = Site.objects.filter(code=candidate).first()
        if site:
            return site
    raise SystemExit(f"No site {code or ' or '.join(PREFERRED_SITES)}: run `make bench-data` (or seed_demo) first.")


# The dataset's own users (bench/dataset/__init__.py) where they exist: they own the site's history.
DATASET_USERS = {"advisor": "bench_advisor_1", "foreman": "bench_foreman_{site}", "customer_care": "bench_care_{site}",
                 "service_manager": "bench_manager"}


def site_user(site: Site, role: str) -> User:
    """The dataset's user of the role on the site, else the suite's own (bench_user)."""
    name = DATASET_USERS.get(role, "").format(site=site.code.lower())
    user = User.objects.filter(username=name, profile__sites=site).first() if name else None
    return user or bench_user(site, role)


def bench_user(site: Site, role: str) -> User:
    """bench-<role>-<site>: a member of the bench site only, with the role's group."""
    user, created = User.objects.get_or_create(username=f"bench-{role}-{site.code}".lower())
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
    profile, _ = StaffProfile.objects.get_or_create(user=user, defaults={"display_name": f"基准{role}",
                                                                         "default_site": site})
    Membership.objects.get_or_create(profile=profile, site=site)
    return user


def big_repair_order(site: Site, advisor: User) -> RepairOrder:
    """An approved RO of 20 jobs with two parts lines each, on a vehicle of the site (made once)."""
    found = RepairOrder.objects.filter(site=site, concerns=BIG_RO_CONCERN).order_by("pk").first()
    if found:
        return found
    operations = [LabourOperation.objects.get_or_create(
        code=f"BENCH-S{n:02d}", make="", model="",
        defaults={"name": f"基准工序 {n:02d} 检查并更换", "category": "mechanical", "hours": Decimal("0.8")})[0]
        for n in range(BIG_RO_JOBS)]
    parts = [Part.objects.get_or_create(site=site, number=f"BENCH-SP-{n:03d}", defaults={
        "name": f"基准配件 {n:03d} 刹车片总成", "sale_price": Decimal("128.50"), "brand": "博世"})[0]
        for n in range(BIG_RO_JOBS * PARTS_PER_JOB)]
    busy = RepairOrder.objects.filter(site=site).exclude(state__in=("delivered", "cancelled"))
    vehicle = (Vehicle.objects.filter(site=site).exclude(repair_orders__in=busy).select_related("owner")
               .order_by("pk").first())
    with transaction.atomic():
        ro = repair_order_open(site=site, customer=vehicle.owner, vehicle=vehicle, advisor=advisor, actor=advisor,
                               concerns=BIG_RO_CONCERN, promised_at=timezone.now() + timedelta(hours=6))
        ro = repair_order_record_walkaround(repair_order=ro, data={"mileage": (vehicle.mileage or 0) + 100},
                                            version=ro.version, actor=advisor)
        jobs = []
        for n, operation in enumerate(operations):
            job = job_add_from_operation(repair_order=ro, operation=operation, actor=advisor)
            for part in parts[n * PARTS_PER_JOB:(n + 1) * PARTS_PER_JOB]:
                part_line_add(job_line=job, part=part, quantity=1, actor=advisor)
            jobs.append(job)
        ro = repair_order_submit_estimate(repair_order=ro, version=None, actor=advisor)
        return repair_order_approve(repair_order=ro, approved_line_ids=[job.pk for job in jobs],
                                    signer_name=vehicle.owner.name, signature_image=_signature(), version=None,
                                    actor=advisor)


def busiest_customer(site: Site) -> int:
    """The customer with the most repair orders on the site (the longest detail page)."""
    row = (RepairOrder.objects.filter(site=site).values("customer_id").annotate(n=Count("pk"))
           .order_by("-n", "customer_id").first())
    return row["customer_id"]


def report_month(site: Site) -> str:
    """The last complete month of the site's data (YYYY-MM)."""
    last = RepairOrder.objects.filter(site=site).aggregate(last=Max("created_at"))["last"] or timezone.now()
    first_of_month = last.date().replace(day=1)
    return f"{first_of_month - timedelta(days=1):%Y-%m}"
