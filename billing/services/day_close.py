"""The cashier's day close (日结): the day's payments by method, invoices and credit notes issued, and the cash
counted in the drawer against the cash taken. One close per site and day; written once, never changed."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from repair_orders.services.common import site_today, who
from servicedesk.core.errors import ApplicationError
from servicedesk.core.money import money

from ..models import DayClose
from ..selectors_handover import day_figures


@transaction.atomic
def day_close(*, site, day: date, counted_cash, note: str, actor) -> DayClose:
    """Close `day` (the site's calendar) with the cash counted. A difference from the cash expected needs
    a note; a day in the future, or one closed already, is refused."""
    if day > site_today(site):
        raise ApplicationError(_("A day can be closed once it has begun; %(day)s is still to come.")
                               % {"day": day.isoformat()}, field="day")
    counted = money(counted_cash) if counted_cash not in (None, "") else None
    if counted is None or counted < 0:
        raise ApplicationError(_("Enter the cash counted in the drawer."), field="counted_cash")
    _refuse_second_close(site, day)
    figures = day_figures(site=site, day=day)
    expected = figures.cash
    difference = counted - expected
    note = (note or "").strip()
    if difference != Decimal("0.00") and not note:
        raise ApplicationError(_("The cash counted differs from the cash expected by ¥%(difference)s; say why in "
                                 "the note.") % {"difference": difference}, field="note", code="note_required")
    try:
        with transaction.atomic():
            return DayClose.objects.create(site=site, day=day, figures=figures.as_json(), expected_cash=expected,
                                           counted_cash=counted, difference=difference, note=note[:200],
                                           closed_by=actor)
    except IntegrityError:  # another cashier closed the day a moment ago
        _refuse_second_close(site, day)
        raise


def _refuse_second_close(site, day: date) -> None:
    done = DayClose.objects.filter(site=site, day=day).select_related("closed_by__profile").first()
    if done is not None:
        raise ApplicationError(_("%(day)s was closed already by %(who)s.")
                               % {"day": day.isoformat(), "who": who(done.closed_by)}, code="conflict")
