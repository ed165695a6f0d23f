"""The navigation per role: each entry shows for users holding its permission."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    # (label, url name, permission needed (a tuple: any of them) or None for everybody signed in)
    (_("Home"), "home", None),
    (_("Front desk"), "repair_orders:board", "repair_orders.view_repairorder"),
    (_("Today's arrivals"), "appointments:arrivals", "appointments.view_appointment"),
    (_("Appointment calendar"), "appointments:calendar", "appointments.view_appointment"),
    (_("Customers"), "customers:customer_list", "customers.view_customer"),
    (_("Vehicles"), "customers:vehicle_list", "customers.view_vehicle"),
    (_("Import / export"), "customers:import",
     ("customers.import_archive", "repair_orders.import_catalogue", "parts.import_parts")),
    (_("Parts"), "parts:part_list", "parts.view_part"),
    (_("Shortages"), "parts:shortage_list", "parts.view_shortage"),
]


def navigation_for(user, roles) -> list[dict]:
    return [
        {"label": label, "url": reverse(name), "name": name}
        for label, name, permission in NAVIGATION
        if permission is None or any(user.has_perm(p) for p in _as_tuple(permission))
    ]


def _as_tuple(permission) -> tuple[str, ...]:
    return permission if isinstance(permission, tuple) else (permission,)
