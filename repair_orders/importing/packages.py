"""Import of service packages: one row per line of a package (an operation, or a part and its quantity).

The rows of one package code define it entirely: the real run replaces the lines of a package already on
file with the file's. Package name, mileage and price come from the package's first row; a later row may
leave them blank or repeat them, but not differ. Operations come from the labour-time book (the generic
operation of a code; estimates pick a vehicle's variant when pricing), parts from this site's catalogue
(a superseded number is replaced by its current part).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from customers.importing.rows import ROW, RowErrors, RowResource, decimal_cell, text_cell, whole_number_cell
from parts.models import Part
from parts.selectors import number_key, number_key_expression
from parts.services import part_final_replacement

from .. import services
from ..models import LabourOperation, ServicePackage
from .columns import PACKAGE_COLUMNS

MAX_PRICE = Decimal("99999999.99")
HEADER_KEYS = ("package_name", "mileage", "package_price")


@dataclass
class Draft:
    """A package as the file defines it so far."""

    first_row: int
    existing: ServicePackage | None
    header: dict  # the first row's texts of HEADER_KEYS
    data: dict  # the package's own fields
    operations: list = field(default_factory=list)
    parts: list = field(default_factory=list)  # (Part, quantity)
    line_rows: dict = field(default_factory=dict)  # ("op"|"part", pk) -> row
    package: ServicePackage | None = None  # once saved (the real run)


class ServicePackageResource(RowResource):
    columns = PACKAGE_COLUMNS
    permission = "repair_orders.import_catalogue"

    class Meta:
        model = ServicePackage

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.drafts: dict[str, Draft] = {}
        self.on_file: dict[str, ServicePackage] = {}
        self.operations: dict[str, list[LabourOperation]] = {}
        self.parts: dict[str, Part] = {}

    def before_import(self, dataset, **kwargs):
        """Three queries per chunk (more only for superseded parts): its packages, operations and parts."""
        codes = {code.strip() for code in dataset["package_code"]} - {""}
        self.on_file = {p.code: p for p in ServicePackage.objects.filter(site=self.site, code__in=codes)}
        op_codes = {code.strip() for code in dataset["operation_code"]} - {""}
        self.operations = {}
        for operation in LabourOperation.objects.filter(code__in=op_codes):
            self.operations.setdefault(operation.code, []).append(operation)
        keys = {number_key(number) for number in dataset["part_number"]} - {""}
        self.parts = {number_key(part.number): part for part in Part.objects.filter(site=self.site).alias(
            key=number_key_expression()).filter(key__in=keys)}

    def judge_row(self, row, errors):
        code = text_cell(row["package_code"], "package_code", errors,
                         max_length=ServicePackage._meta.get_field("code").max_length)
        if not code:
            errors.add("package_code", _("Enter the package's code on every row of the package."))
            return {}
        draft = self.drafts.get(code)
        first = draft is None
        if first:
            draft = self.drafts[code] = self._draft(code, row, errors)
        else:
            self._same_header(draft, row, errors)
        line = self._line(draft, row, errors)
        if not errors and line:
            kind, record, quantity = line
            draft.line_rows[(kind, record.pk)] = row[ROW]
            if kind == "op":
                draft.operations.append(record)
            else:
                draft.parts.append((record, quantity))
        return {"draft": draft, "first": first}

    def _draft(self, code: str, row, errors: RowErrors) -> Draft:
        existing = self.on_file.get(code)
        name = text_cell(row["package_name"], "package_name", errors,
                         max_length=ServicePackage._meta.get_field("name").max_length)
        data = {"code": code}
        if name:
            data["name"] = name
        elif existing is None:
            errors.add("package_name", _("Enter the name of the new package %(code)s on its first row.")
                       % {"code": code})
        if self.given("mileage"):
            data["mileage_km"] = whole_number_cell(row["mileage"], "mileage", errors)
        if self.given("package_price"):
            data["fixed_price"] = decimal_cell(row["package_price"], "package_price", errors, maximum=MAX_PRICE)
        return Draft(first_row=row[ROW], existing=existing, header={k: row[k].strip() for k in HEADER_KEYS},
                     data=data)

    def _same_header(self, draft: Draft, row, errors: RowErrors) -> None:
        for key in HEADER_KEYS:
            text = row[key].strip()
            if text and text != draft.header[key]:
                errors.add(key, _("“%(value)s” differs from row %(row)s of package %(code)s (“%(first)s”); leave it "
                                  "blank or write the same.")
                           % {"value": text, "row": draft.first_row, "code": draft.data["code"],
                              "first": draft.header[key]})

    def _line(self, draft: Draft, row, errors: RowErrors):
        op_code, number = row["operation_code"].strip(), row["part_number"].strip()
        if op_code and number:
            errors.add("operation_code", _("One line per row: an operation code or a part number, not both."))
            return None
        if op_code:
            if row["quantity"].strip() not in ("", "1"):
                errors.add("quantity", _("A labour operation takes no quantity; leave it blank."))
            return self._operation_line(draft, op_code, errors)
        if number:
            return self._part_line(draft, number, row["quantity"], errors)
        if row["quantity"].strip():
            errors.add("part_number", _("A quantity needs a part number."))
        return None

    def _operation_line(self, draft: Draft, code: str, errors: RowErrors):
        variants = self.operations.get(code, [])
        generic = [op for op in variants if not op.make and not op.model]
        operation = (generic or variants)[0] if len(generic) == 1 or len(variants) == 1 else None
        if not variants:
            errors.add("operation_code", _("The labour-time book has no operation %(code)s; import or add it "
                                           "first.") % {"code": code})
        elif operation is None:
            errors.add("operation_code", _("Operation %(code)s exists only for particular vehicles; add a generic "
                                           "one (blank make and model) for packages.") % {"code": code})
        elif ("op", operation.pk) in draft.line_rows:
            errors.add("operation_code", _("Operation %(code)s is already in this package (row %(row)s).")
                       % {"code": code, "row": draft.line_rows[("op", operation.pk)]})
        else:
            return "op", operation, None
        return None

    def _part_line(self, draft: Draft, number: str, quantity_text: str, errors: RowErrors):
        part = self.parts.get(number_key(number))
        quantity = decimal_cell(quantity_text, "quantity", errors, minimum=Decimal("0.01"), maximum=Decimal(9999))
        if part is None:
            errors.add("part_number", _("This site's parts catalogue has no part %(number)s; import it first.")
                       % {"number": number})
            return None
        if part.superseded_by_id:
            part = part_final_replacement(part)
        if quantity is None:
            if not quantity_text.strip():
                errors.add("quantity", _("Enter the quantity of part %(number)s.") % {"number": number})
            return None
        if part.counted_in_whole_units and quantity != quantity.to_integral_value():
            errors.add("quantity", _("Part %(number)s is counted in whole %(unit)s; “%(value)s” is a fraction.")
                       % {"number": number, "unit": part.get_unit_display(), "value": quantity_text})
            return None
        if ("part", part.pk) in draft.line_rows:
            errors.add("part_number", _("Part %(number)s is already in this package (row %(row)s); give it once "
                                        "with the total quantity.")
                       % {"number": part.number, "row": draft.line_rows[("part", part.pk)]})
            return None
        return "part", part, quantity

    def save_row(self, payload):
        draft: Draft = payload["draft"]
        if payload["first"]:
            if draft.existing is None:
                draft.package = services.service_package_create(site=self.site, data=draft.data, actor=self.actor)
            else:
                draft.package = services.service_package_update(package=draft.existing, data=draft.data,
                                                                actor=self.actor)
        # Every row sets the lines the file has given so far, so the last row leaves all of them.
        services.service_package_set_lines(package=draft.package, operations=draft.operations, parts=draft.parts,
                                           actor=self.actor)
        return draft.package

    def summary(self):
        updated = sum(1 for draft in self.drafts.values() if draft.existing is not None)
        return {"created": len(self.drafts) - updated, "updated": updated}
