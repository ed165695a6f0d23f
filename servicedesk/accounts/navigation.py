"""The navigation per role: each entry shows for users holding its permission."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    # (label, url name, permission needed or None for everybody signed in)
    (_("Home"), "home", None),
    (_("Customers"), "customers:customer_list", "customers.view_customer"),
    (_("Vehicles"), "customers:vehicle_list", "customers.view_vehicle"),
    (_("Import / export"), "customers:import", "customers.import_archive"),
]


def navigation_for(user, roles) -> list[dict]:
    return [
        {"label": label, "url": reverse(name), "name": name}
        for label, name, permission in NAVIGATION
        if permission is None or user.has_perm(permission)
    ]
