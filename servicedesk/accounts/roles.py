"""The roles of DESIGN.md §1 as groups, and the permissions each holds.

Later capabilities add their permissions here; `migrate` (post_migrate) brings the groups in line.
"""

from django.utils.translation import gettext_lazy as _

ADVISOR = "advisor"
FOREMAN = "foreman"
TECHNICIAN = "technician"
QC_INSPECTOR = "qc_inspector"
PARTS_CLERK = "parts_clerk"
CASHIER = "cashier"
CUSTOMER_CARE = "customer_care"
SERVICE_MANAGER = "service_manager"

ROLE_LABELS = {
    ADVISOR: _("Service advisor"),
    FOREMAN: _("Workshop foreman"),
    TECHNICIAN: _("Technician"),
    QC_INSPECTOR: _("QC inspector"),
    PARTS_CLERK: _("Parts clerk"),
    CASHIER: _("Cashier"),
    CUSTOMER_CARE: _("Customer care"),
    SERVICE_MANAGER: _("Service manager"),
}

_ARCHIVE_READ = ["customers.view_customer", "customers.view_vehicle"]
_ARCHIVE_WRITE = _ARCHIVE_READ + [
    "customers.add_customer", "customers.change_customer",
    "customers.add_vehicle", "customers.change_vehicle",
    "customers.add_contactlog", "customers.view_contactlog",
]

_CATALOGUE_READ = [
    "parts.view_part", "repair_orders.view_labouroperation", "repair_orders.view_servicepackage",
]
_PARTS_COUNTER = _CATALOGUE_READ + [
    "parts.add_part", "parts.change_part", "parts.view_stockmovement", "parts.view_reservation",
    "parts.view_shortage", "parts.add_shortage", "parts.change_shortage", "parts.view_supplier",
    "parts.view_purchaserequest", "parts.add_purchaserequest", "parts.view_delivery",
    "parts.receive_stock", "parts.issue_stock", "parts.adjust_stock", "parts.manage_shortages",
    "parts.import_parts",
]
_RO_READ = ["repair_orders.view_repairorder"]
_RO_WRITE = _RO_READ + ["repair_orders.add_repairorder", "repair_orders.change_repairorder"]
_BOOKING = [
    "appointments.view_appointment", "appointments.add_appointment", "appointments.change_appointment",
    "appointments.view_confirmationcall", "appointments.change_confirmationcall",
]

_WORKSHOP_READ = ["workshop.view_technicianprofile", "workshop.view_bay", "workshop.view_timeentry",
                   "workshop.view_inspection"]
_DISPATCH = _WORKSHOP_READ + ["workshop.dispatch_jobs", "workshop.review_time"]
_QC = _WORKSHOP_READ + ["workshop.inspect_quality"]
_BILLING_READ = ["billing.view_invoice", "billing.view_payment", "billing.view_gatepass",
                 "billing.view_predeliverycheck"]
_HANDOVER = _BILLING_READ + ["billing.add_predeliverycheck"]
_CLAIMS = ["billing.view_warrantyclaim", "billing.manage_claims"]
_CASHIER = _BILLING_READ + ["billing.issue_invoice", "billing.issue_credit_note", "billing.take_payment",
                            "billing.deliver_vehicle", "billing.close_day", "billing.view_dayclose",
                            "billing.view_customeraccount", "billing.add_accountsettlement",
                            "billing.view_accountsettlement", "billing.add_settlementdiscount",
                            "billing.view_settlementdiscount"]

# Complaint owners can be in any department: they see and resolve the complaints they own.
_COMPLAINT_OWNER = ["followups.view_complaint", "followups.resolve_complaint"]
_CALLBACKS = ["followups.view_callback", "followups.work_callbacks", "followups.view_survey"]
_CUSTOMER_CARE = _CALLBACKS + _COMPLAINT_OWNER + [
    "followups.add_complaint", "followups.change_complaint", "followups.view_comeback",
    "followups.add_comeback", "followups.view_reminder", "followups.view_lostvehicle",
    "followups.change_lostvehicle",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ADVISOR: _ARCHIVE_WRITE + _CATALOGUE_READ + _BOOKING + _RO_WRITE + _HANDOVER + _CLAIMS + [
        "billing.add_settlementdiscount", "billing.view_settlementdiscount",
        "customers.transfer_vehicle", "parts.view_shortage", "workshop.view_technicianprofile"]
    + _CALLBACKS + _COMPLAINT_OWNER + ["followups.view_comeback"],
    FOREMAN: _ARCHIVE_READ + _CATALOGUE_READ + _RO_READ + _DISPATCH + _QC + [
        "parts.view_shortage", "appointments.view_appointment"] + _COMPLAINT_OWNER,
    TECHNICIAN: _ARCHIVE_READ + _CATALOGUE_READ + _RO_READ + ["workshop.clock_time"],
    QC_INSPECTOR: _ARCHIVE_READ + _RO_READ + _QC,
    PARTS_CLERK: _ARCHIVE_READ + _PARTS_COUNTER + _COMPLAINT_OWNER,
    CASHIER: _ARCHIVE_READ + _CATALOGUE_READ + _RO_READ + _CASHIER + _COMPLAINT_OWNER + ["customers.change_customer"],
    CUSTOMER_CARE: _ARCHIVE_WRITE + _BOOKING + _CUSTOMER_CARE,
    SERVICE_MANAGER: _ARCHIVE_WRITE + _PARTS_COUNTER + _BOOKING + _RO_WRITE + ["appointments.override_capacity"] + [
        "customers.transfer_vehicle", "customers.merge_customer", "customers.import_archive",
        "customers.export_archive", "customers.approve_vin_exception",
        "parts.approve_adjustment", "parts.transfer_stock", "parts.add_supplier", "parts.change_supplier",
        "repair_orders.add_labouroperation", "repair_orders.change_labouroperation",
        "repair_orders.add_servicepackage", "repair_orders.change_servicepackage",
        "repair_orders.import_catalogue", "repair_orders.approve_discount",
    ] + _DISPATCH + _QC + _HANDOVER + _CLAIMS + _CASHIER + ["billing.add_customeraccount",
                                                            "billing.change_customeraccount"]
    + _CUSTOMER_CARE + ["followups.change_comeback", "followups.view_followupsettings"]
    + ["reports.view_reports", "reports.view_monthlyreport"]
    + ["audit.view_audit", "audit.view_privacyevent", "audit.export_personal_data", "audit.erase_personal_data"],
}


def sync_role_groups(apps, schema_editor=None, *, strict: bool = False) -> None:
    """Create every role group and give it exactly its permissions. Safe to run again.

    Inside a migration, apps migrated later have no permissions yet and are skipped; after the
    last migration (`strict`) every listed permission must exist, so a typo fails loudly.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # Historical app configs (a migration's `apps`) have no models module, which
        # create_permissions takes to mean "no models"; lend them one for the call.
        borrowed = getattr(app_config, "models_module", None) is None
        if borrowed:
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        if borrowed:
            app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if found is None and strict:
                raise LookupError(f"role {role}: no permission {name}")
            if found is not None:
                wanted.append(found)
        group.permissions.set(wanted)


def roles_of(user) -> list[str]:
    if not user.is_authenticated:
        return []
    from .access import access_of

    return [name for name in access_of(user).group_names if name in ROLE_LABELS]
