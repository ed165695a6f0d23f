"""What the simulated staff work on, read from the dataset before the run: which accounts play which role (and at
which site), plates to type fragments of, recent RO ids. Written as JSON for the locustfile."""

from django.contrib.auth import get_user_model

from bench.dataset import (
    ADVISORS_PER_SITE,
    MANAGER,
    PASSWORD,
    SITE_CODES,
    TECHNICIANS_PER_SITE,
    advisor_username,
    role_username,
    technician_username,
)

# Simulated users per role out of 50 (three sites' front desk, dispatch, workshop, call centre, management); with
# another --users each role gets its share, at least one.
MIX = {"advisors": 22, "foremen": 3, "technicians": 16, "care": 6, "managers": 3}
# Whose accounts they use: how many of each role's come from BSH, BBJ, BGZ (BSH is half the volume).
ADVISORS = {"BSH": 11, "BBJ": 6, "BGZ": 5}
TECHNICIANS = {"BSH": 10, "BBJ": 3, "BGZ": 3}
PLATES_PER_SITE = 300
ROS_PER_SITE = 60


def _advisors() -> dict[str, str]:
    chosen, first = {}, 1
    for code in SITE_CODES:
        chosen.update({advisor_username(first + n): code for n in range(ADVISORS[code])})
        first += ADVISORS_PER_SITE[code]
    return chosen


def _technicians() -> dict[str, str]:
    return {technician_username(index * TECHNICIANS_PER_SITE + n + 1): code
            for index, code in enumerate(SITE_CODES) for n in range(TECHNICIANS[code])}


def mix(users: int) -> dict[str, int]:
    total = sum(MIX.values())
    return {role: max(1, round(count * users / total)) for role, count in MIX.items()}


def collect(users: int) -> dict:
    """The mix for `users`, accounts by role (checked to exist), their sites, plates and RO ids per site."""
    from customers.models import Vehicle
    from repair_orders.models import RepairOrder
    from servicedesk.accounts.models import Site

    advisors, technicians = _advisors(), _technicians()
    per_site = {"foremen": {role_username("foreman", code): code for code in SITE_CODES},
                "care": {role_username("care", code): code for code in SITE_CODES},
                "managers": {MANAGER: "BSH"}}
    everybody = {**advisors, **technicians}
    for group in per_site.values():
        everybody.update(group)
    found = set(get_user_model().objects.filter(username__in=everybody, is_active=True)
                .values_list("username", flat=True))
    if missing := sorted(set(everybody) - found):
        raise SystemExit(f"Missing bench users ({', '.join(missing[:5])}…): load the dataset (make bench-data).")
    plates, ros = {}, {}
    for site in Site.objects.filter(code__in=SITE_CODES):
        plates[site.code] = list(Vehicle.objects.filter(site=site).exclude(plate="").order_by("?")
                                 .values_list("plate", flat=True)[:PLATES_PER_SITE])
        ros[site.code] = list(RepairOrder.objects.filter(site=site).order_by("-created_at", "-pk")
                              .values_list("pk", flat=True)[:ROS_PER_SITE])
    return {"mix": mix(users), "password": PASSWORD, "sites": everybody, "advisors": list(advisors),
            "technicians": list(technicians), **{role: list(names) for role, names in per_site.items()},
            "plates": plates, "ros": ros}
