"""Import of the parts catalogue (CSV/XLSX, dry run first), run by the shared machinery in customers/importing.

Each row creates or updates the part with its number in this site's catalogue; numbers are compared as
the catalogue compares them (no spaces, dashes or case). Rows are written through parts.services, so the
same rules apply as at the counter. "Superseded by" may name a part further down the file: supersessions
are checked and booked once every row is read (part_supersede: same site, no loops). On an update a column
the file lacks keeps its value, and so does a blank name or "superseded by" cell.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.importing.columns import Column
from customers.importing.rows import (
    ROW,
    RowErrors,
    RowResource,
    choice_cell,
    choice_lookup,
    decimal_cell,
    text_cell,
    yes_no_cell,
)
from servicedesk.core.errors import ApplicationError

from . import services
from .models import Part, Supplier
from .selectors import number_key, number_key_expression

PART_COLUMNS = (
    Column("number", "配件编号", "Part number", ("零件号", "配件号", "零件编号", "件号", "编号", "part no"),
           required=True, help=gettext_lazy("spaces, dashes and case do not matter")),
    Column("name", "名称", "Name", ("配件名称", "零件名称", "品名"), help=gettext_lazy("needed for a new part")),
    Column("name_en", "英文名称", "English name", ("名称(英文)",)),
    Column("brand", "品牌", "Brand", (), help=gettext_lazy("e.g. 博世, 曼牌, 原厂")),
    Column("kind", "类型", "Kind", ("类别", "配件类型", "件别"), help=gettext_lazy("原厂, 副厂 or 精品; blank: 原厂")),
    Column("unit", "单位", "Unit", ("计量单位",), help=gettext_lazy("件, 套, 对, 升, 米 or 千克; blank: 件")),
    Column("sale_price", "销售价", "Sale price", ("售价", "零售价", "销售价格", "price"),
           help=gettext_lazy("per unit, as the site prices (VAT included by default)")),
    Column("cost", "成本价", "Cost", ("成本", "进价", "采购价")),
    Column("vat_class", "税类", "VAT class", ("税率类别", "增值税类别", "税别"), help=gettext_lazy("标准 or 免税")),
    Column("bin_location", "库位", "Bin", ("货位", "仓位", "bin location")),
    Column("reorder_point", "订货点", "Reorder point", ("再订货点", "安全库存", "最低库存")),
    Column("reorder_quantity", "订货量", "Reorder quantity", ("再订货量", "经济订货量", "订货数量")),
    Column("supplier", "供应商", "Supplier", ("供货商",), help=gettext_lazy("a supplier of this site, by name")),
    Column("superseded_by", "替代件号", "Superseded by", ("新件号", "替换件号", "被替代为"),
           help=gettext_lazy("the number that replaces this one")),
    Column("active", "启用", "Active", ("有效", "是否启用"), help=gettext_lazy("是 or 否; blank: 是")),
)
KIND_ALIASES = {"原厂": Part.Kind.OEM, "原厂件": Part.Kind.OEM, "正厂": Part.Kind.OEM, "oem": Part.Kind.OEM,
                "副厂": Part.Kind.AFTERMARKET, "副厂件": Part.Kind.AFTERMARKET, "品牌件": Part.Kind.AFTERMARKET,
                "精品": Part.Kind.ACCESSORY, "附件": Part.Kind.ACCESSORY, "装饰": Part.Kind.ACCESSORY}
UNIT_ALIASES = {"件": Part.Unit.PIECE, "个": Part.Unit.PIECE, "只": Part.Unit.PIECE, "支": Part.Unit.PIECE,
                "块": Part.Unit.PIECE, "根": Part.Unit.PIECE, "pcs": Part.Unit.PIECE, "pc": Part.Unit.PIECE,
                "套": Part.Unit.SET, "对": Part.Unit.PAIR, "副": Part.Unit.PAIR, "升": Part.Unit.LITRE,
                "l": Part.Unit.LITRE, "公升": Part.Unit.LITRE, "米": Part.Unit.METRE, "m": Part.Unit.METRE,
                "千克": Part.Unit.KILOGRAM, "公斤": Part.Unit.KILOGRAM}
VAT_ALIASES = {"标准": Part.VatClass.STANDARD, "一般": Part.VatClass.STANDARD, "应税": Part.VatClass.STANDARD,
               "13%": Part.VatClass.STANDARD, "免税": Part.VatClass.EXEMPT, "免征": Part.VatClass.EXEMPT}
MAX_MONEY = MAX_QUANTITY = Decimal("9999999999.99")
TEXT_FIELDS = ("name_en", "brand", "bin_location")


def _length(name: str) -> int:
    return Part._meta.get_field(name).max_length


class PartResource(RowResource):
    columns = PART_COLUMNS
    permission = "parts.import_parts"
    list_url_name = "parts:part_list"

    class Meta:
        model = Part

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.kinds = choice_lookup(Part.Kind.choices, KIND_ALIASES)
        self.units = choice_lookup(Part.Unit.choices, UNIT_ALIASES)
        self.vat_classes = choice_lookup(Part.VatClass.choices, VAT_ALIASES)
        self.suppliers = {s.name: s for s in Supplier.objects.filter(site=self.site)}
        self.on_file: dict[str, Part] = {}  # number key -> the site's part, for this chunk
        self.in_file: set[str] = set()  # number keys of the file's rows
        self.supersessions: list[tuple[int, str, str]] = []  # (row, number key, replacement's number)
        self.counts = {"created": 0, "updated": 0}

    def _by_key(self, keys):
        return Part.objects.filter(site=self.site).alias(key=number_key_expression()).filter(key__in=keys)

    def before_import(self, dataset, **kwargs):
        """One query per chunk: the site's parts with the chunk's numbers."""
        keys = {number_key(number) for number in dataset["number"]}
        self.on_file = {number_key(part.number): part for part in self._by_key(keys)}

    def judge_row(self, row, errors):
        number = " ".join(row["number"].split()).upper()
        key = number_key(number)
        text_cell(number, "number", errors, max_length=_length("number"))
        first = self.first_row.setdefault(key, row[ROW]) if key else None
        if not key:
            errors.add("number", _("Enter the part number."))
        elif first != row[ROW]:
            errors.add("number", _("Part %(number)s is also in row %(row)s of this file (numbers are compared "
                                   "without spaces, dashes or case).") % {"number": number, "row": first})
        else:
            self.in_file.add(key)
        existing = self.on_file.get(key)
        data = self._values(row, errors, existing)
        if existing is None:
            data["number"] = number
        replacement = " ".join(row["superseded_by"].split()).upper()
        if number_key(replacement) and not errors:
            self.supersessions.append((row[ROW], key, replacement))
        if not errors:
            self.counts["updated" if existing else "created"] += 1
        return {"part": existing, "data": data}

    def _values(self, row, errors: RowErrors, existing: Part | None) -> dict:
        data = {}
        if row["name"].strip():
            data["name"] = text_cell(row["name"], "name", errors, max_length=_length("name"))
        elif existing is None:
            errors.add("name", _("Enter the name of the new part."))
        for key in TEXT_FIELDS:
            if self.given(key):
                data[key] = text_cell(row[key], key, errors, max_length=_length(key))
        for key, lookup, shown, default in (("kind", self.kinds, "原厂、副厂、精品", Part.Kind.OEM),
                                            ("unit", self.units, "件、套、对、升、米、千克", Part.Unit.PIECE),
                                            ("vat_class", self.vat_classes, "标准、免税", Part.VatClass.STANDARD)):
            if self.given(key) or existing is None:
                data[key] = choice_cell(row[key], key, errors, lookup, shown=shown, default=default)
        for key in ("sale_price", "cost"):
            if self.given(key):
                data[key] = decimal_cell(row[key], key, errors, maximum=MAX_MONEY) or Decimal("0.00")
        unit = data.get("unit") or getattr(existing, "unit", Part.Unit.PIECE)
        for key in ("reorder_point", "reorder_quantity"):
            if self.given(key):
                data[key] = self._quantity(row[key], key, errors, unit)
        if self.given("supplier"):
            data["supplier"] = self._supplier(row["supplier"], errors)
        if self.given("active"):
            data["active"] = yes_no_cell(row["active"], "active", errors)
        return data

    @staticmethod
    def _quantity(text: str, key: str, errors: RowErrors, unit: str) -> Decimal:
        value = decimal_cell(text, key, errors, maximum=MAX_QUANTITY) or Decimal("0")
        if unit in Part.WHOLE_UNITS and value != value.to_integral_value():
            errors.add(key, _("This part is counted in whole units; “%(value)s” is a fraction.") % {"value": text})
        return value

    def _supplier(self, text: str, errors: RowErrors) -> Supplier | None:
        name = text.strip()
        if not name:
            return None
        supplier = self.suppliers.get(name)
        if supplier is None:
            errors.add("supplier", _("This site has no supplier “%(name)s”; add it first or leave the cell blank.")
                       % {"name": name})
        return supplier

    def save_row(self, payload):
        if payload["part"] is None:
            return services.part_create(site=self.site, data=payload["data"], actor=self.actor)
        return services.part_update(part=payload["part"], data=payload["data"], actor=self.actor)

    # ---- supersessions, once every row is read

    def finish(self):
        if not self.supersessions:
            return {}
        return self._book_supersessions() if self.write else self._check_supersessions()

    def _check_supersessions(self) -> dict:
        """The dry run: every replacement exists (in the catalogue or the file) and no loop would form."""
        replacements = {key: number_key(replacement) for _row, key, replacement in self.supersessions}
        known = self.in_file | {number_key(n) for n in self._by_key(set(replacements.values()))
                                .values_list("number", flat=True)}
        links = {number_key(old): number_key(new) for old, new in Part.objects.filter(
            site=self.site, superseded_by__isnull=False).values_list("number", "superseded_by__number")}
        links.update(replacements)
        errors = {}
        for row, key, replacement in self.supersessions:
            if number_key(replacement) not in known:
                errors[row] = {"superseded_by": [_missing_replacement(replacement)]}
            elif _loops(links, key):
                errors[row] = {"superseded_by": [_("Superseding by %(new)s would make a loop of replacements.")
                                                 % {"new": replacement}]}
        return errors

    def _book_supersessions(self) -> dict:
        keys = {k for _row, key, replacement in self.supersessions for k in (key, number_key(replacement))}
        parts = {number_key(p.number): p for p in self._by_key(keys)}
        errors = {}
        for row, key, replacement in self.supersessions:
            if number_key(replacement) not in parts:
                errors[row] = {"superseded_by": [_missing_replacement(replacement)]}
                continue
            try:
                services.part_supersede(part=parts[key], superseded_by=parts[number_key(replacement)],
                                        actor=self.actor)
            except ApplicationError as error:
                errors[row] = {"superseded_by": [str(error.message)]}
        return errors

    def summary(self):
        return dict(self.counts)


def _missing_replacement(number: str) -> str:
    return _("Part %(number)s is neither in this site's catalogue nor in the file.") % {"number": number}


def _loops(links: dict[str, str], start: str) -> bool:
    seen, current = {start}, links.get(start)
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        current = links.get(current)
    return False
