"""The bench sites, their settings, bays and people: 30 advisors, 60 technicians (profiles, weekly shifts,
a few absences) and one foreman, cashier, customer-care agent, QC inspector and parts clerk per site, plus a
service manager of all three. Small tables: plain ORM bulk inserts."""

import random
from dataclasses import dataclass, field
from datetime import time, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User

from appointments.models import BookingSettings, TechnicianAbsence, TechnicianShift
from followups.models import FollowupSettings
from servicedesk.accounts import roles
from servicedesk.accounts.models import Membership, Site, StaffProfile
from workshop.models import Bay, TechnicianProfile, WorkshopSettings

from . import (
    ADVISORS_PER_SITE,
    MANAGER,
    PASSWORD,
    SITE_CODES,
    TECHNICIANS_PER_SITE,
    advisor_username,
    role_username,
    technician_username,
)

SITE_NAMES = {"BSH": ("基准上海店", "上海市浦东新区金科路1号"), "BBJ": ("基准北京店", "北京市朝阳区东三环1号"),
              "BGZ": ("基准广州店", "广州市天河区天河路1号")}
ROLE_GROUPS = {"foreman": roles.FOREMAN, "cashier": roles.CASHIER, "care": roles.CUSTOMER_CARE,
               "qc": roles.QC_INSPECTOR, "parts": roles.PARTS_CLERK}
SKILLS = ["mechanical", "electrical", "body", "paint", "diagnostic"]
BAYS = [("L", "举升机", "lift", 8), ("F", "地沟工位", "floor", 2), ("A", "四轮定位", "alignment", 1),
        ("B", "钣金工位", "body", 2), ("P", "烤漆房", "paint", 1)]


@dataclass
class SiteStaff:
    site: Site
    advisors: list[int] = field(default_factory=list)
    technicians: list[int] = field(default_factory=list)
    roles: dict[str, int] = field(default_factory=dict)  # foreman, cashier, care, qc, parts
    bays: list[int] = field(default_factory=list)


def create_staff(rng: random.Random, today) -> tuple[dict[str, SiteStaff], int]:
    """The sites with their people (created where missing); returns them by code and the manager's id."""
    groups = {g.name: g for g in Group.objects.all()}
    password = make_password(PASSWORD)
    sites, wanted = {}, []  # wanted: (username, display name, group, site codes)
    for code in SITE_CODES:
        name, address = SITE_NAMES[code]
        site, _ = Site.objects.get_or_create(code=code, defaults={"name": name, "address": address, "bays": 14,
                                                                  "phone": "400-800-0000"})
        WorkshopSettings.objects.get_or_create(site=site)
        FollowupSettings.objects.get_or_create(site=site)
        BookingSettings.objects.get_or_create(site=site)
        sites[code] = SiteStaff(site=site)
    n_advisor, n_tech = 0, 0
    for code in SITE_CODES:
        for _ in range(ADVISORS_PER_SITE[code]):
            n_advisor += 1
            wanted.append((advisor_username(n_advisor), f"顾问{n_advisor:02d}", roles.ADVISOR, [code]))
        for _ in range(TECHNICIANS_PER_SITE):
            n_tech += 1
            wanted.append((technician_username(n_tech), f"技师{n_tech:02d}", roles.TECHNICIAN, [code]))
        for role, group in ROLE_GROUPS.items():
            wanted.append((role_username(role, code), f"{code}{group}", group, [code]))
    wanted.append((MANAGER, "基准经理", roles.SERVICE_MANAGER, list(SITE_CODES)))
    have = set(User.objects.filter(username__in=[w[0] for w in wanted]).values_list("username", flat=True))
    User.objects.bulk_create([User(username=u, password=password, first_name=display) for u, display, _g, _s in wanted
                              if u not in have])
    users = {u.username: u for u in User.objects.filter(username__in=[w[0] for w in wanted])}
    for username, display, group, codes in wanted:
        if username in have:
            continue
        user = users[username]
        user.groups.add(groups[group])
        profile = StaffProfile.objects.create(user=user, display_name=display, default_site=sites[codes[0]].site)
        Membership.objects.bulk_create([Membership(profile=profile, site=sites[c].site) for c in codes])
    for username, _display, group, codes in wanted:
        staff, pk = sites[codes[0]], users[username].pk
        if group == roles.ADVISOR:
            staff.advisors.append(pk)
        elif group == roles.TECHNICIAN:
            staff.technicians.append(pk)
        elif group != roles.SERVICE_MANAGER:
            staff.roles[next(r for r, g in ROLE_GROUPS.items() if g == group)] = pk
    for staff in sites.values():
        _workshop(rng, staff, today)
    return sites, users[MANAGER].pk


def _workshop(rng: random.Random, staff: SiteStaff, today) -> None:
    site = staff.site
    if not Bay.objects.filter(site=site).exists():
        Bay.objects.bulk_create([Bay(site=site, code=f"{prefix}{n:02d}", name=f"{name}{n}", kind=kind)
                                 for prefix, name, kind, count in BAYS for n in range(1, count + 1)])
    staff.bays = list(Bay.objects.filter(site=site, kind="lift").values_list("pk", flat=True))
    if TechnicianProfile.objects.filter(site=site).exists():
        return
    levels = ["apprentice", "junior", "junior", "senior", "senior", "master"]
    teams = ["A组", "B组", "钣喷组"]
    TechnicianProfile.objects.bulk_create([
        TechnicianProfile(site=site, user_id=pk, level=rng.choice(levels), team=teams[n % 3],
                          skills=["general", *rng.sample(SKILLS, rng.choice((1, 1, 2)))])
        for n, pk in enumerate(staff.technicians)])
    shifts = []
    for n, pk in enumerate(staff.technicians):
        day_off = n % 7 if n % 3 else None  # two-thirds take a weekday off; the rest work every day
        early = n % 2 == 0
        shifts += [TechnicianShift(site=site, technician_id=pk, weekday=weekday,
                                   starts_at=time(8, 0) if early else time(9, 0),
                                   ends_at=time(17, 0) if early else time(18, 0))
                   for weekday in range(7) if weekday != day_off]
    TechnicianShift.objects.bulk_create(shifts)
    # Leave over the last year, none today: the board shows everyone.
    TechnicianAbsence.objects.bulk_create([
        TechnicianAbsence(site=site, technician_id=rng.choice(staff.technicians),
                          day=today - timedelta(days=rng.randint(1, 365)), reason=rng.choice(["年假", "病假", "培训"]),
                          hours=None if rng.random() < 0.7 else 4)
        for _ in range(len(staff.technicians) * 6)])
