"""Which resource reads each kind of import file, and who may import it.

The import screen, the runner and the status page serve every kind the same way; a kind's resource (a
`rows.RowResource`) brings its columns, its permission and its rules. Other apps' resources are named
by path so that the archive does not import them until a file of theirs is uploaded.
"""

from django.utils.module_loading import import_string

from ..models_import import ImportJob

RESOURCES = {
    ImportJob.Kind.CUSTOMERS: "customers.importing.resources.CustomerResource",
    ImportJob.Kind.VEHICLES: "customers.importing.resources.VehicleResource",
    ImportJob.Kind.LABOUR: "repair_orders.importing.labour.LabourOperationResource",
    ImportJob.Kind.PACKAGES: "repair_orders.importing.packages.ServicePackageResource",
    ImportJob.Kind.PARTS: "parts.importing.PartResource",
}


def resource_class(kind: str):
    return import_string(RESOURCES[kind])


def columns_of(kind: str):
    return resource_class(kind).columns


def may_import(user, kind: str) -> bool:
    return kind in RESOURCES and user.has_perm(resource_class(kind).permission)


def kinds_for(user) -> list[tuple[str, str]]:
    """(kind, label) of every kind `user` may import, in the screen's order."""
    return [(kind, label) for kind, label in ImportJob.Kind.choices if may_import(user, kind)]


def permissions() -> set[str]:
    return {resource_class(kind).permission for kind in RESOURCES}
