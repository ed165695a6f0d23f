"""Import of the labour-time book: each row creates or updates the operation with its code, make and model.

Operations are shared by every site of the group, so the file changes the book for all of them. On an
update a column the file lacks keeps its value; a blank name, category or hours keeps it too, while a
blank fixed price, skill or English name clears it.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

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

from .. import services
from ..models import LabourOperation
from .columns import (
    CATEGORIES_SHOWN,
    CATEGORY_ALIASES,
    LABOUR_COLUMNS,
    SKILL_ALIASES,
    SKILL_OF_CATEGORY,
    SKILLS_SHOWN,
)

MAX_HOURS = Decimal("9999.99")
MAX_PRICE = Decimal("99999999.99")


def _length(name: str) -> int:
    return LabourOperation._meta.get_field(name).max_length


def operation_label(code: str, make: str, model: str) -> str:
    return " ".join(filter(None, [code, make, model]))


class LabourOperationResource(RowResource):
    columns = LABOUR_COLUMNS
    permission = "repair_orders.import_catalogue"

    class Meta:
        model = LabourOperation

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.categories = choice_lookup(LabourOperation.Category.choices, CATEGORY_ALIASES)
        self.skills = choice_lookup(LabourOperation.Skill.choices, SKILL_ALIASES)
        self.on_file: dict[tuple, LabourOperation] = {}  # (code, make, model) -> the operation in the book
        self.counts = {"created": 0, "updated": 0}

    def before_import(self, dataset, **kwargs):
        """One query per chunk: the operations of the book with the chunk's codes."""
        codes = {code.strip() for code in dataset["code"]} - {""}
        self.on_file = {(op.code, op.make, op.model): op for op in LabourOperation.objects.filter(code__in=codes)}

    def judge_row(self, row, errors):
        code = text_cell(row["code"], "code", errors, max_length=_length("code"))
        make = text_cell(row["make"], "make", errors, max_length=_length("make"))
        model = text_cell(row["model"], "model", errors, max_length=_length("model"))
        if not code:
            errors.add("code", _("Enter the operation's code."))
        elif make == "" and model:
            errors.add("make", _("Enter the make too when the operation is for one model."))
        label = operation_label(code, make, model)
        if code:
            self.remember("code", label, row[ROW], errors,
                          _("Operation %(value)s is also in row %(row)s of this file."))
        existing = self.on_file.get((code, make, model))
        data = {"code": code, "make": make, "model": model, **self._values(row, errors, existing)}
        if not errors:
            self.counts["updated" if existing else "created"] += 1
        return {"operation": existing, "data": data}

    def _values(self, row, errors: RowErrors, existing) -> dict:
        data = {}
        new = existing is None
        for key, message in (("name", _("Enter the operation's name.")),
                             ("category", _("Enter the category: %(choices)s.") % {"choices": CATEGORIES_SHOWN}),
                             ("hours", _("Enter the flat-rate hours, e.g. 0.5."))):
            if new and not row[key].strip():
                errors.add(key, message)
        if row["name"].strip():
            data["name"] = text_cell(row["name"], "name", errors, max_length=_length("name"))
        if self.given("name_en"):
            data["name_en"] = text_cell(row["name_en"], "name_en", errors, max_length=_length("name_en"))
        category = choice_cell(row["category"], "category", errors, self.categories, shown=CATEGORIES_SHOWN)
        if category:
            data["category"] = category
        hours = decimal_cell(row["hours"], "hours", errors, maximum=MAX_HOURS)
        if hours is not None:
            data["hours"] = hours
        if self.given("skill") or new:
            usual = SKILL_OF_CATEGORY.get(category or getattr(existing, "category", ""), LabourOperation.Skill.GENERAL)
            data["skill"] = choice_cell(row["skill"], "skill", errors, self.skills, shown=SKILLS_SHOWN, default=usual)
        if self.given("fixed_price"):
            data["fixed_price"] = decimal_cell(row["fixed_price"], "fixed_price", errors, maximum=MAX_PRICE)
        if self.given("active"):
            data["active"] = yes_no_cell(row["active"], "active", errors)
        return data

    def save_row(self, payload):
        if payload["operation"] is None:
            return services.labour_operation_create(data=payload["data"], actor=self.actor)
        return services.labour_operation_update(operation=payload["operation"], data=payload["data"],
                                                actor=self.actor)

    def summary(self):
        return dict(self.counts)
