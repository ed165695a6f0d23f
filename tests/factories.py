"""Test data: sites, staff of a role, customers and vehicles that pass the archive's validation."""

import itertools

import factory
import vininfo
from django.contrib.auth.models import Group, User

from customers.models import Customer, Ownership, Vehicle
from customers.service_due import vehicles_refresh_service_due
from customers.validation import VIN_CHECK_VALUES
from servicedesk.accounts.models import Membership, Site, StaffProfile

_serial = itertools.count(100000)


def valid_vin(serial: int | None = None, wmi: str = "LSV") -> str:
    """A VIN with a correct check digit, unique per serial."""
    serial = next(_serial) if serial is None else serial
    body = f"{wmi}AB2180N{serial % 1000000:06d}"  # 3 + 5 + [check] + 8 = 17
    body = body[:8] + "0" + body[8:16]
    return next(body[:8] + c + body[9:] for c in VIN_CHECK_VALUES
                if vininfo.Vin(body[:8] + c + body[9:]).verify_checksum(check_year=False))


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"S{n:02d}")
    name = factory.Sequence(lambda n: f"测试{n}店")


def make_staff(*, role: str | None, sites, username: str | None = None, display_name: str = "") -> User:
    user = User.objects.create_user(username=username or f"{role or 'nobody'}-{next(_serial)}", password="pw")
    default_site = sites[0] if sites else None
    profile = StaffProfile.objects.create(user=user, display_name=display_name, default_site=default_site)
    for site in sites:
        Membership.objects.create(profile=profile, site=site)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"客户{n}")
    mobile = factory.Sequence(lambda n: f"139{n:08d}")


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle
        skip_postgeneration_save = True

    site = factory.SelfAttribute("owner.site")
    owner = factory.SubFactory(CustomerFactory)
    vin = factory.LazyFunction(valid_vin)
    plate = factory.Sequence(lambda n: f"沪B{n % 100000:05d}")
    make = "大众"
    model = "朗逸"

    @factory.post_generation
    def ownership(self, create, extracted, **kwargs):
        if create:
            Ownership.objects.create(vehicle=self, customer=self.owner, started_on="2024-01-01")

    @factory.post_generation
    def service_due(self, create, extracted, **kwargs):
        """The reminder day the services would have stored (customers/service_due.py); only when there is one."""
        if create and (self.next_service_on or self.registration_date):
            vehicles_refresh_service_due([self.pk])
            self.refresh_from_db(fields=["service_due_on"])
