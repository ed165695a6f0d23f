"""Writes to the labour-time book and the service packages (the import and seed_demo call these).

The Django admin edits the same rows through its own forms, which run the same model validation.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parts.models import Part
from parts.quantities import clean_quantity
from servicedesk.core.errors import ApplicationError

from ..models import LabourOperation, ServicePackage, ServicePackageOperation, ServicePackagePart

OPERATION_FIELDS = ("code", "name", "name_en", "category", "hours", "skill", "make", "model", "fixed_price",
                    "active")
PACKAGE_FIELDS = ("code", "name", "name_en", "description", "mileage_km", "fixed_price", "active")


def _validated(record, fields) -> None:
    """Model validation of `fields` as an ApplicationError naming the first field at fault."""
    try:
        record.full_clean(exclude=[f.name for f in record._meta.fields if f.name not in fields],
                          validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(messages[0], field=field) from None


def _assign(record, data: dict, fields) -> None:
    for name in fields:
        if name in data:
            setattr(record, name, data[name])


@transaction.atomic
def labour_operation_create(*, data: dict, actor) -> LabourOperation:
    operation = LabourOperation()
    _assign(operation, data, OPERATION_FIELDS)
    return _save_operation(operation, actor)


@transaction.atomic
def labour_operation_update(*, operation: LabourOperation, data: dict, actor) -> LabourOperation:
    operation = LabourOperation.objects.select_for_update().get(pk=operation.pk)
    _assign(operation, data, OPERATION_FIELDS)
    return _save_operation(operation, actor)


def _save_operation(operation: LabourOperation, actor) -> LabourOperation:
    operation.code, operation.make, operation.model = (
        operation.code.strip(), operation.make.strip(), operation.model.strip())
    _validated(operation, OPERATION_FIELDS)
    clash = LabourOperation.objects.filter(code=operation.code, make=operation.make, model=operation.model)
    if clash.exclude(pk=operation.pk).exists():
        raise ApplicationError(
            _("The labour-time book already has operation %(code)s for %(vehicle)s.")
            % {"code": operation.code, "vehicle": " ".join(filter(None, [operation.make, operation.model]))
               or _("every vehicle")},
            code="duplicate", field="code")
    operation._history_user = actor  # the price history's "who" (the import runs outside a request)
    operation.save()
    return operation


@transaction.atomic
def service_package_create(*, site, data: dict, actor) -> ServicePackage:
    package = ServicePackage(site=site)
    _assign(package, data, PACKAGE_FIELDS)
    return _save_package(package)


@transaction.atomic
def service_package_update(*, package: ServicePackage, data: dict, actor) -> ServicePackage:
    package = ServicePackage.objects.select_for_update().get(pk=package.pk)
    _assign(package, data, PACKAGE_FIELDS)
    return _save_package(package)


def _save_package(package: ServicePackage) -> ServicePackage:
    package.code = package.code.strip()
    _validated(package, PACKAGE_FIELDS)
    if ServicePackage.objects.filter(site=package.site, code=package.code).exclude(pk=package.pk).exists():
        raise ApplicationError(_("This site already has a service package %(code)s.") % {"code": package.code},
                               code="duplicate", field="code")
    package.save()
    return package


@transaction.atomic
def service_package_set_lines(*, package: ServicePackage, operations: list[LabourOperation],
                              parts: list[tuple[Part, Decimal]], actor) -> ServicePackage:
    """Replace the package's lines: these operations, and these parts with their quantities."""
    package = ServicePackage.objects.select_for_update().get(pk=package.pk)
    if len({operation.pk for operation in operations}) != len(operations):
        raise ApplicationError(_("An operation is in the package twice."), code="duplicate", field="operations")
    if len({part.pk for part, _quantity in parts}) != len(parts):
        raise ApplicationError(_("A part is in the package twice; give it once with the total quantity."),
                               code="duplicate", field="parts")
    lines = []
    for part, quantity in parts:
        if part.site_id != package.site_id:
            raise ApplicationError(_("Part %(number)s belongs to another site's catalogue.")
                                   % {"number": part.number}, field="parts")
        lines.append(ServicePackagePart(package=package, part=part, quantity=clean_quantity(part, quantity)))
    package.operations.all().delete()
    package.parts.all().delete()
    ServicePackageOperation.objects.bulk_create(
        ServicePackageOperation(package=package, operation=operation) for operation in operations)
    ServicePackagePart.objects.bulk_create(lines)
    return package
