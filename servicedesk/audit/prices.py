"""The price histories on the "who changed what, when" screen: a part's sale price and cost, a labour
operation's flat-rate hours and fixed price (django-simple-history rows). A row is listed when it created or
deleted the record or changed a price (not for a new bin location or name), with the prices before → after,
the before read from the record's previous history row in the same query."""

from django.db.models import CharField, Func, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat
from django.utils.translation import gettext_lazy as _

from parts.models import Part
from repair_orders.models import LabourOperation

from .sources import HISTORY_LABELS, Source, history_action

PART_PRICES = ("sale_price", "cost")
OPERATION_PRICES = ("hours", "fixed_price")


class TwoDecimals(Func):
    """A 2-decimal amount (a column) as text, '48.00' on every database (SQLite's CAST would say '48')."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="CAST(%(expressions)s AS varchar)", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # The format goes as a parameter: a literal % in the SQL breaks Django's logging of the query.
        column, params = compiler.compile(self.source_expressions[0])
        return f"(CASE WHEN {column} IS NULL THEN NULL ELSE printf(%s, {column}) END)", (*params, "%.2f", *params)


def _prices(model, fields):
    """'sale price 48.00 · cost 30.00' in the language of the request (an empty price: —)."""
    parts = []
    for name in fields:
        if parts:
            parts.append(Value(" · "))
        label = str(model._meta.get_field(name).verbose_name)
        parts += [Value(f"{label} "), Coalesce(TwoDecimals(name), Value("—"))]
    return Concat(*parts)


def _narrowed_to_price_changes(history_model, fields):
    def narrow(rows):
        previous = (history_model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
                    .order_by("-history_id").annotate(prices=_prices(history_model, fields)).values("prices")[:1])
        rows = rows.alias(prices_before=Subquery(previous), prices_after=_prices(history_model, fields))
        return rows.filter(~Q(history_type="~") | ~Q(prices_after=Coalesce("prices_before", Value(""))))
    return narrow


def price_sources() -> list[Source]:
    parts, operations = Part.history.model, LabourOperation.history.model
    return [
        Source("part_price", _("Part prices"), parts.objects, site="site_id", at="history_date",
               actor="history_user_id", record="id", link="parts:part_detail",
               title=Concat("number", Value(" "), "name"), search="number", action=history_action(),
               before="prices_before", after="prices_after", labels=HISTORY_LABELS,
               narrow=_narrowed_to_price_changes(parts, PART_PRICES)),
        # The labour-time book is the group's: its changes show on every site's screen; it has no page to open.
        Source("labour_price", _("Labour-time book prices"), operations.objects, site="", at="history_date",
               actor="history_user_id", record="id", link="",
               title=Concat("code", Value(" "), "name"), search="code", action=history_action(),
               before="prices_before", after="prices_after", labels=HISTORY_LABELS,
               narrow=_narrowed_to_price_changes(operations, OPERATION_PRICES)),
    ]
