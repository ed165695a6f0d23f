"""What every kind of import shares: a resource judges each row (errors by column), then saves it.

A kind subclasses `RowResource` and sets `columns` and `permission`; `judge_row(row, errors)` returns the
data to save or adds errors, `save_row(data)` writes through the kind's services (only in the real run).
The runner (runner.py) reads the file in chunks and feeds them through django-import-export, which gives
each row a savepoint in the real run. One resource serves the whole file, so it may remember earlier rows
(duplicates within the file, a package defined by several rows).
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import resources

from .columns import choice_lookup, parse_yes_no

ROW = "__row__"  # the spreadsheet row number, carried along in each chunk's dataset


class RowErrors(dict):
    """Messages by column key; raised as one ValidationError so import-export marks the row invalid."""

    def add(self, key: str, message) -> None:
        self.setdefault(key, []).append(str(message))

    def add_form(self, form, field_to_column: dict | None = None) -> None:
        for name, errors in form.errors.as_data().items():
            key = (field_to_column or {}).get(name, name)
            if key != name and key in self:
                continue  # already explained in the file's terms (e.g. the owner's mobile)
            for error in errors:
                for message in error.messages:
                    self.add(key, message)


class RowResource(resources.ModelResource):
    columns = ()
    permission = ""  # who may import this kind
    list_url_name = ""  # where "Open the list" leads once imported

    class Meta:
        # A subclass names its model; import-export merges these options into its Meta.
        fields = ()
        force_init_instance = True  # every row is judged afresh; judge_row finds the record it updates
        skip_diff = True
        use_transactions = False  # the runner decides (a savepoint per row in the real run)
        clean_model_instances = False  # judge_row and the services validate

    def __init__(self, *, site, actor=None, job_id=None, write=False, columns_in_file=None):
        super().__init__()
        self.site, self.actor, self.job_id, self.write = site, actor, job_id, write
        # Columns the file has: on an update a column it lacks keeps the record's value.
        self.columns_in_file = set(columns_in_file if columns_in_file is not None
                                   else (column.key for column in self.columns))
        self.first_row: dict = {}  # a value that must be unique in the file -> the row it first appeared in

    # ---- import-export hooks

    def import_instance(self, instance, row, **kwargs):
        errors = RowErrors()
        instance.import_data = self.judge_row(row, errors)
        instance.import_row = row[ROW]
        if errors:
            raise ValidationError(dict(errors))

    def do_instance_save(self, instance, is_create):
        if not self.write:
            return
        record = self.save_row(instance.import_data)
        instance.pk = record.pk
        self.saved(record, instance.import_row)

    def after_import(self, dataset, result, **kwargs):
        """Instead of ModelResource's sequence reset (we never set primary keys)."""

    # ---- for subclasses

    def judge_row(self, row: dict, errors: RowErrors) -> dict:
        raise NotImplementedError

    def save_row(self, data: dict):
        raise NotImplementedError

    def saved(self, record, row_number: int) -> None:
        """Called after each row is written (the real run only)."""

    def finish(self) -> dict[int, dict[str, list[str]]]:
        """Errors that only show once every row is read (e.g. a reference to a later row), by row number."""
        return {}

    def summary(self) -> dict:
        """Figures for the job's report, e.g. {"created": 3, "updated": 5}."""
        return {}

    def remember(self, key: str, value, row_number: int, errors: RowErrors, message: str) -> bool:
        """False (and an error) when `value` was in an earlier row of the file."""
        first = self.first_row.setdefault(value, row_number)
        if first != row_number:
            errors.add(key, message % {"value": value, "row": first})
            return False
        return True

    def given(self, key: str) -> bool:
        return key in self.columns_in_file


# ---------------------------------------------------------------- cells of catalogue files

def decimal_cell(text: str, key: str, errors: RowErrors, *, places: int = 2, minimum=Decimal(0),
                 maximum: Decimal | None = None, strip: str = "¥￥元,， hH小时") -> Decimal | None:
    """A number such as 0.5, 1,280.00 or ¥300; None when blank or wrong (with an error)."""
    cleaned = text.strip().strip(strip).replace(",", "").replace("，", "")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        errors.add(key, _("“%(value)s” is not a number.") % {"value": text})
        return None
    if not value.is_finite():
        errors.add(key, _("“%(value)s” is not a number.") % {"value": text})
        return None
    if value < 0 <= minimum:
        errors.add(key, _("“%(value)s” is negative; enter zero or more.") % {"value": text})
        return None
    if value < minimum:
        errors.add(key, _("Enter at least %(minimum)s, not “%(value)s”.") % {"minimum": minimum, "value": text})
        return None
    if maximum is not None and value > maximum:
        errors.add(key, _("At most %(maximum)s, not “%(value)s”.") % {"maximum": maximum, "value": text})
        return None
    if value.normalize().as_tuple().exponent < -places:
        errors.add(key, _("At most %(places)s decimal places: “%(value)s”.") % {"places": places, "value": text})
        return None
    return value


def text_cell(text: str, key: str, errors: RowErrors, *, max_length: int) -> str:
    value = text.strip()
    if len(value) > max_length:
        errors.add(key, _("At most %(max)s characters; this has %(length)s.") % {"max": max_length,
                                                                              "length": len(value)})
    return value


def whole_number_cell(text: str, key: str, errors: RowErrors) -> int | None:
    value = decimal_cell(text, key, errors, places=0, strip="kmKM公里 ,")
    return None if value is None else int(value)


def choice_cell(text: str, key: str, errors: RowErrors, lookup: dict, *, shown: str, default=None):
    """The code of a choice written as its code, its label in any language or an alias; `shown` lists the
    accepted words for the error message."""
    value = text.strip()
    if not value:
        return default
    code = lookup.get(value.lower())
    if code is None:
        errors.add(key, _("“%(value)s” is not one of: %(choices)s.") % {"value": value, "choices": shown})
    return code


def yes_no_cell(text: str, key: str, errors: RowErrors, *, default: bool = True) -> bool:
    if not text.strip():
        return default
    value = parse_yes_no(text)
    if value is None:
        errors.add(key, _("Write 是 or 否 (yes or no), not “%(value)s”.") % {"value": text})
        return default
    return value


__all__ = ["ROW", "RowErrors", "RowResource", "choice_cell", "choice_lookup", "decimal_cell", "text_cell",
           "whole_number_cell", "yes_no_cell"]
