"""The periodic scans (DESIGN.md §3 rules 5-6), each a search for "due and not yet done". Every row is
claimed before it is acted on (compare-and-set, a unique constraint, or skip_locked), so running a
scan twice, or two at once, does nothing twice. Times are the site's."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from servicedesk.accounts.models import Site
from servicedesk.core.notifications import notify

from ..capacity import site_zone
from ..models import Appointment, AppointmentEvent, BookingSettings, ConfirmationCall, Status
from .common import record_event
from .messages import queue_reminder_message
from .transitions import mark_no_show


def send_confirmations(*, now: datetime | None = None) -> int:
    """From the site's confirmation hour, each of tomorrow's open appointments gets its message once."""
    sent = 0
    for site, rules, local in _local_sites(now):
        if local.hour < rules.confirmation_hour:
            continue
        tomorrow = local.date() + timedelta(days=1)
        due = (Appointment.objects.filter(site=site, day=tomorrow, status__in=Appointment.OPEN)
               .exclude(reminded_for=tomorrow).values_list("pk", flat=True))
        for pk in list(due):
            sent += _send_one(pk, tomorrow)
    return sent


@transaction.atomic
def _send_one(pk: int, day) -> int:
    # Compare-and-set: of two scans, the second updates nothing once the first has committed.
    claimed = (Appointment.objects.filter(pk=pk, day=day, status__in=Appointment.OPEN)
               .exclude(reminded_for=day).update(reminded_for=day))
    if not claimed:
        return 0
    appointment = Appointment.objects.select_related("site", "customer").get(pk=pk)
    message = queue_reminder_message(appointment)
    record_event(appointment, kind=AppointmentEvent.Kind.REMINDER_SENT,
                 message_id=message.pk if message else None, no_address=message is None)
    return 1


def create_confirmation_calls(*, now: datetime | None = None) -> int:
    """From the site's call hour, tomorrow's appointments still unconfirmed become a call for their advisor."""
    created = 0
    for site, rules, local in _local_sites(now):
        if local.hour < rules.call_hour:
            continue
        tomorrow = local.date() + timedelta(days=1)
        due_at = datetime.combine(local.date(), site.closes_at, tzinfo=local.tzinfo)
        unconfirmed = (Appointment.objects.filter(site=site, day=tomorrow, status=Status.BOOKED)
                       .exclude(calls__for_day=tomorrow).select_related("advisor"))
        for appointment in unconfirmed:
            created += _call_one(appointment, tomorrow, due_at)
    return created


def _call_one(appointment: Appointment, day, due_at) -> int:
    try:
        with transaction.atomic():
            call = ConfirmationCall.objects.create(site_id=appointment.site_id, appointment=appointment, for_day=day,
                                                   assigned_to=appointment.advisor, due_at=max(due_at, timezone.now()))
            record_event(appointment, kind=AppointmentEvent.Kind.CALL_DUE, call_id=call.pk,
                         assigned_to=appointment.advisor_id)
            if appointment.advisor is not None:
                with translation.override(settings.LANGUAGE_CODE):
                    text = (_("Call %(name)s to confirm tomorrow's appointment (%(plate)s).")
                            % {"name": appointment.contact_name or appointment.contact_mobile,
                               "plate": appointment.plate or "-"})
                notify(site=appointment.site, recipient=appointment.advisor, text=text,
                       url=f"/appointments/{appointment.pk}/")
    except IntegrityError:
        return 0  # another scan created it a moment ago (the unique constraint)
    return 1


def mark_no_shows(*, now: datetime | None = None) -> int:
    """After closing time, open appointments of the day (and of earlier days) become no-shows."""
    marked = 0
    for site, _rules, local in _local_sites(now):
        last_day = local.date() if local.time() >= site.closes_at else local.date() - timedelta(days=1)
        due = (Appointment.objects.filter(site=site, day__lte=last_day, status__in=Appointment.OPEN)
               .values_list("pk", flat=True))
        for pk in list(due):
            with transaction.atomic():
                # Rows another scan holds are skipped: it is marking them.
                row = (Appointment.objects.select_for_update(skip_locked=True, of=("self",))
                       .filter(pk=pk, status__in=Appointment.OPEN).select_related("site", "customer").first())
                if row is not None:
                    mark_no_show(row, actor=None)
                    marked += 1
    return marked


def _local_sites(now: datetime | None):
    now = now or timezone.now()
    for site in Site.objects.select_related("booking_settings"):
        try:
            rules = site.booking_settings
        except BookingSettings.DoesNotExist:
            rules = BookingSettings(site=site)
        yield site, rules, timezone.localtime(now, site_zone(site))
