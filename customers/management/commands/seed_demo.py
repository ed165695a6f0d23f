"""`manage.py seed_demo`: two sites, a login per role, a believable customer archive and the catalogues
(labour-time book, parts with stock, service packages: `seed_catalogue`). Safe to re-run: users and sites are
keyed on username / code, and a site that already has customers gets none."""

import random
from datetime import timedelta

from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from appointments.demo import seed_appointments
from customers import fakedata
from customers.models import Channel, Customer, MileageReading, Vehicle
from customers.services import contact_log_add, customer_create, vehicle_create, vehicle_record_mileage
from reports.demo import seed_report_history
from servicedesk.accounts import roles
from servicedesk.accounts.models import Membership, Site, StaffProfile
from workshop.demo import seed_workshop

SITES = {
    "SH01": {"name": "上海浦东4S店", "address": "上海市浦东新区张杨路1888号", "phone": "021-58881234",
             "bays": 12},
    "SH02": {"name": "上海闵行4S店", "address": "上海市闵行区沪闵路6088号", "phone": "021-64301234",
             "bays": 8, "labour_rate": "280.00"},
}
# username, role, display name, sites (the first is the default site)
STAFF = [
    ("advisor", roles.ADVISOR, "王磊", ["SH01"]),
    ("advisor2", roles.ADVISOR, "李娜", ["SH01", "SH02"]),
    ("foreman", roles.FOREMAN, "张建国", ["SH01"]),
    ("technician", roles.TECHNICIAN, "刘强", ["SH01"]),
    ("qc", roles.QC_INSPECTOR, "陈静", ["SH01"]),
    ("parts", roles.PARTS_CLERK, "杨洋", ["SH01"]),
    ("cashier", roles.CASHIER, "赵敏", ["SH01"]),
    ("care", roles.CUSTOMER_CARE, "周婷", ["SH01"]),
    ("manager", roles.SERVICE_MANAGER, "孙志红", ["SH01"]),
]
ADMIN_ROLES = {roles.SERVICE_MANAGER, roles.PARTS_CLERK}
KNOWN_PLATE, KNOWN_NAME, KNOWN_MOBILE = "沪A12345", "张伟", "13800138000"
OUTCOMES = ["已接通，预约下周保养", "未接通，稍后再联系", "客户表示满意", "客户已到店", "已发送短信"]


class Command(BaseCommand):
    help = "Create demo sites, staff logins (one per role) and customers/vehicles. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="demo1234", help="password of every new demo login")
        parser.add_argument("--customers", type=int, default=200, help="customers of SH01 (SH02 gets 1/5)")
        parser.add_argument("--vehicles", type=int, default=250, help="vehicles of SH01 (SH02 gets 1/5)")

    def handle(self, *args, password, customers, vehicles, **options):
        if {role for _u, role, _n, _s in STAFF} != set(roles.ROLE_LABELS):
            raise CommandError("a role has no demo login")
        sites = {code: Site.objects.get_or_create(code=code, defaults=f)[0] for code, f in SITES.items()}
        logins = [self._user("admin", None, "系统管理员", list(sites.values()), password, superuser=True)]
        logins += [self._user(username, role, name, [sites[c] for c in codes], password)
                   for username, role, name, codes in STAFF]
        users = {row[0]: row[-1] for row in logins}
        for code, actor, care, scale in [("SH01", users["advisor"], users["care"], 1),
                                         ("SH02", users["advisor2"], users["advisor2"], 5)]:
            with transaction.atomic():
                self._archive(sites[code], actor, care, max(1, customers // scale), max(1, vehicles // scale))
        # The labour-time book, parts with opening stock and service packages (repair_orders' command).
        call_command("seed_catalogue", sites=",".join(SITES), stdout=self.stdout)
        call_command("seed_qc_checklists", stdout=self.stdout)  # the default QC checklists (workshop)
        call_command("seed_survey_questions", stdout=self.stdout)  # the callback questionnaire (followups)
        # Technicians' shifts and a week of bookings around today (skipped where a site has bookings).
        for code, advisor_names in [("SH01", ["advisor", "advisor2"]), ("SH02", ["advisor2"])]:
            seed_appointments(sites[code], advisors=[users[name] for name in advisor_names])
        # Technician profiles, bays and a morning's approved repair orders for the dispatch board (workshop).
        for code, advisor_name in [("SH01", "advisor"), ("SH02", "advisor2")]:
            seed_workshop(sites[code], advisor=users[advisor_name], foreman=users["foreman"])
        # Three months of delivered repair orders, callbacks and surveys for the manager's reports (reports).
        for code, advisor_names in [("SH01", ["advisor", "advisor2"]), ("SH02", ["advisor2"])]:
            seed_report_history(sites[code], advisors=[users[name] for name in advisor_names])
        self._print_logins(logins, password)

    def _user(self, username, role, display_name, sites, password, superuser=False):
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            make = User.objects.create_superuser if superuser else User.objects.create_user
            user = make(username=username, password=password, email=f"{username}@example.com")
        profile, _ = StaffProfile.objects.get_or_create(
            user=user, defaults={"display_name": display_name, "default_site": sites[0]})
        for site in sites:
            Membership.objects.get_or_create(profile=profile, site=site)
        if role:
            user.groups.add(Group.objects.get(name=role))
        if role in ADMIN_ROLES and not user.is_staff:  # they keep the catalogues in the Django admin
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        return username, role, [s.code for s in sites], created, user

    def _archive(self, site, actor, care, n_customers, n_vehicles):
        rng = random.Random(f"seed_demo-{site.code}")  # nosec B311 # seeded demo data
        had_customers = Customer.objects.filter(site=site).exists()
        if site.code == "SH01":
            self._known_vehicle(site, actor)
        if had_customers:
            self.stdout.write(f"{site.code}: already has customers, archive left as it is.")
            return
        taken_mobiles = set(Customer.objects.filter(site=site).values_list("mobile", flat=True))
        taken_plates = set(Vehicle.objects.filter(site=site).values_list("plate", flat=True))
        taken_vins = set(Vehicle.objects.filter(site=site).values_list("vin", flat=True))
        owners = [self._customer(site, actor, rng, taken_mobiles) for _ in range(n_customers)]
        fleets = [c for c in owners if c.kind == Customer.Kind.COMPANY] or owners
        today = timezone.localdate()
        for i in range(n_vehicles):
            owner = owners[i] if i < len(owners) else rng.choice(fleets if rng.random() < 0.6 else owners)
            data = fakedata.vehicle_data(rng)
            while data["plate"] in taken_plates or data["vin"] in taken_vins:
                data = fakedata.vehicle_data(rng)
            taken_plates.add(data["plate"])
            taken_vins.add(data["vin"])
            vehicle = vehicle_create(site=site, owner=owner, data=data, actor=actor)
            # Up to three check-ins, oldest first, so the odometer only goes up.
            visits = sorted(today - timedelta(days=rng.randrange(1, 720)) for _ in range(rng.randint(0, 3)))
            for on in visits:
                km = max(vehicle.mileage or 0, fakedata.mileage_for(rng, data["registration_date"], on))
                vehicle = vehicle_record_mileage(vehicle_id=vehicle.pk, site=site, km=km, actor=actor,
                                                 read_on=on, source=MileageReading.Source.CHECK_IN)
        for customer in rng.sample(owners, k=max(1, len(owners) // 8)):
            contact_log_add(site=site, customer=customer, channel=rng.choice(Channel.values), actor=care,
                            reason=rng.choice(fakedata.CONTACT_REASONS), outcome=rng.choice(OUTCOMES),
                            at=timezone.now() - timedelta(days=rng.randrange(60), minutes=rng.randrange(600)))
        self.stdout.write(f"{site.code}: {n_customers} customers and {n_vehicles} vehicles created.")

    def _customer(self, site, actor, rng, taken_mobiles):
        data = fakedata.customer_data(rng, company=rng.random() < 0.08)
        while data["mobile"] in taken_mobiles:
            data["mobile"] = fakedata.mobile(rng)
        if data["mobile2"] in taken_mobiles or data["mobile2"] == data["mobile"]:
            data["mobile2"] = ""
        taken_mobiles.update({data["mobile"], data["mobile2"]})
        data["marketing_consent"] = rng.random() < 0.35
        return customer_create(site=site, data=data, actor=actor,
                               consent_source=rng.choice(["到店登记", "微信公众号", "电话确认"]))

    def _known_vehicle(self, site, actor):
        """沪A12345 of 张伟 (13800138000): the plate tests and demos look up."""
        if Vehicle.objects.filter(site=site, plate=KNOWN_PLATE).exists():
            return
        owner = Customer.objects.filter(site=site, mobile=KNOWN_MOBILE, merged_into__isnull=True).first()
        owner = owner or customer_create(site=site, actor=actor, consent_source="到店登记", data={
            "name": KNOWN_NAME, "mobile": KNOWN_MOBILE, "address": "上海市浦东新区世纪大道100号",
            "tier": Customer.Tier.VIP, "marketing_consent": True})
        known = random.Random(KNOWN_PLATE)  # nosec B311 # seeded demo data
        data = {**fakedata.vehicle_data(known), "plate": KNOWN_PLATE,
                "make": "大众", "model": "朗逸", "colour": "白色"}
        data["vin"] = fakedata.vin(random.Random(KNOWN_PLATE), wmi="LSV", year=data["model_year"],  # nosec B311
                                   serial=123456)
        vehicle_create(site=site, owner=owner, data=data, actor=actor, mileage=36500)

    def _print_logins(self, logins, password):
        self.stdout.write("\nDemo logins" + ("" if all(row[3] for row in logins) else
                                             " (existing accounts keep the password they had)") + ":")
        self.stdout.write(f"  {'username':<12}{'password':<12}{'role':<18}sites")
        for username, role, codes, _created, _user in logins:
            self.stdout.write(f"  {username:<12}{password:<12}{role or 'superuser':<18}{', '.join(codes)}")
