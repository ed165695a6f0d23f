"""The navigation per role: each entry shows for users holding its permission."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (group label, [(label, url name, permission needed (a tuple: any of them) or None for everybody)]).
# A group the user sees one entry of is a plain link; more than one, a menu (the bar stays one line wide).
NAVIGATION = [
    (_("Front desk"), [
        (_("Front desk"), "repair_orders:board", "repair_orders.view_repairorder"),
        (_("Today's arrivals"), "appointments:arrivals", "appointments.view_appointment"),
        (_("Appointment calendar"), "appointments:calendar", "appointments.view_appointment"),
    ]),
    (_("Workshop"), [
        (_("Dispatch board"), "workshop:board", "workshop.dispatch_jobs"),
        (_("My jobs"), "workshop:my_jobs", "workshop.clock_time"),
        (_("Quality control"), "workshop:qc_queue", "workshop.inspect_quality"),
    ]),
    (_("Cashier"), [
        (_("Cashier"), "billing:cashier", "billing.issue_invoice"),
        (_("Day close"), "billing:day_close", "billing.close_day"),
        (_("Warranty claims"), "billing:claim_list", "billing.manage_claims"),
    ]),
    (_("Follow-ups"), [
        (_("Callbacks"), "followups:queue", "followups.work_callbacks"),
        (_("Complaints"), "followups:complaint_list", "followups.view_complaint"),
        (_("Comebacks"), "followups:comeback_list", "followups.view_comeback"),
        (_("Reminders"), "followups:reminders", "followups.view_reminder"),
        (_("Lost customers"), "followups:lost_list", "followups.view_lostvehicle"),
    ]),
    (_("Customers"), [
        (_("Customers"), "customers:customer_list", "customers.view_customer"),
        (_("Vehicles"), "customers:vehicle_list", "customers.view_vehicle"),
        (_("Import / export"), "customers:import",
         ("customers.import_archive", "repair_orders.import_catalogue", "parts.import_parts")),
    ]),
    (_("Parts"), [
        (_("Parts"), "parts:part_list", "parts.view_part"),
        (_("Shortages"), "parts:shortage_list", "parts.view_shortage"),
    ]),
    (_("Reports"), [
        (_("Reports"), "reports:dashboard", "reports.view_reports"),
        (_("Who changed what"), "audit:timeline", "audit.view_audit"),
    ]),
]


def navigation_for(user, roles) -> list[dict]:
    """The groups with the entries the user may open; empty groups are left out."""
    groups = []
    for group_label, entries in NAVIGATION:
        items = [{"label": label, "url": reverse(name), "name": name}
                 for label, name, permission in entries
                 if permission is None or any(user.has_perm(p) for p in _as_tuple(permission))]
        if items:
            groups.append({"label": group_label, "items": items,
                           "names": [item["name"] for item in items]})
    return groups


def _as_tuple(permission) -> tuple[str, ...]:
    return permission if isinstance(permission, tuple) else (permission,)
