"""Writes to the outbox. `message_queue` is what every capability calls (`messages_queue_many` for a scan's
batch, the same rules in a constant number of queries); the rest is the worker's side.

A message is a row written in the caller's transaction; sending starts after commit. A message the
caller cannot reach (no address for the channel) returns None so a scan can fall back to a call task.
Every message *sent* (not merely queued) becomes a line in the customer's contact log.
"""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, models, transaction
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from servicedesk.core.errors import ApplicationError

from ..models import Channel, Customer, OutboundMessage
from ..services import contact_log_add
from .backends import DeliveryError, backend_for
from .templates import renderer

logger = logging.getLogger("customers.messaging")

ADDRESS_FIELDS = {Channel.SMS: "mobile", Channel.WECHAT: "wechat_id", Channel.EMAIL: "email"}
Status = OutboundMessage.Status


@dataclass(frozen=True)
class Outgoing:
    """One message of a batch (`messages_queue_many`): its customer (or a bare `recipient` with a `channel`),
    the template's context, the dedupe key ("" for none) and the cause."""

    customer: Customer | None
    context: dict
    dedupe_key: str = ""
    cause: models.Model | None = None
    channel: str | None = None
    recipient: str | None = None


_NO_CONSENT = object()  # _queue's answer for a marketing message without current consent


@transaction.atomic
def message_queue(*, site, customer: Customer | None, template: str, context: dict, channel: str | None = None,
                  purpose: str = OutboundMessage.Purpose.SERVICE, dedupe_key: str | None = None, actor=None,
                  recipient: str | None = None, cause: models.Model | None = None) -> OutboundMessage | None:
    """Queue `template` for `customer` (or for a bare `recipient` with an explicit `channel`).

    The channel is the customer's preferred one when it is SMS, WeChat or email and they have that
    address, else SMS to the mobile; None when there is no address at all. Marketing needs current
    consent (ApplicationError "no_consent"). A `dedupe_key` already used in this site returns that
    message again, nothing new. `cause` (any saved model instance) is remembered as type and id.
    """
    [queued] = _queue(site, template, purpose, actor,
                      [Outgoing(customer, context, dedupe_key or "", cause, channel, recipient)])
    if queued is _NO_CONSENT:
        raise _no_consent()
    return queued


@transaction.atomic
def messages_queue_many(*, site, template: str, items: list[Outgoing], purpose: str = OutboundMessage.Purpose.SERVICE,
                        actor=None) -> list[OutboundMessage | None]:
    """`message_queue` for a batch (a scan's), in a constant number of queries. Item by item: the message
    queued, or the one its dedupe key already names, or None when it is not sent: no address, or (marketing)
    no current consent, which the caller records (e.g. a reminder "skipped")."""
    return [None if queued is _NO_CONSENT else queued for queued in _queue(site, template, purpose, actor, items)]


def _queue(site, template: str, purpose: str, actor, items: list[Outgoing]) -> list:
    """The one way into the outbox. Queries: the dedupe keys already used (1, when there are keys), the consent
    of the batch's customers read fresh (1, marketing), the rows without a key (1 insert), the rows with one
    (1 insert skipping keys a concurrent writer used a moment ago, 1 reading their ids back)."""
    max_key = OutboundMessage._meta.get_field("dedupe_key").max_length
    for item in items:
        if len(item.dedupe_key) > max_key:
            raise ValueError(f"dedupe_key too long: {item.dedupe_key!r}")
        if item.customer is not None and item.customer.site_id != site.pk:
            raise ApplicationError(_("Choose a customer of this site."), code="wrong_site", field="customer")
    keys = [item.dedupe_key for item in items if item.dedupe_key]
    used = {m.dedupe_key: m for m in OutboundMessage.objects.filter(site=site, dedupe_key__in=keys)} if keys else {}
    consenting = _consenting(items, purpose)
    fill, now, queued = renderer(template), timezone.now(), []
    for item in items:
        if item.dedupe_key in used:
            queued.append(used[item.dedupe_key])
        elif consenting is not None and (item.customer is None or item.customer.pk not in consenting):
            queued.append(_NO_CONSENT)
        elif (address := address_for(item.customer, item.channel, item.recipient)) is None:
            queued.append(None)
        else:
            rendered = fill({"site": site.name, "customer": item.customer.name if item.customer else "",
                             **item.context})
            queued.append(OutboundMessage(
                site=site, customer=item.customer, channel=address[0], recipient=address[1], template_key=template,
                purpose=purpose, subject=rendered.title[:100], text=rendered.text, created_by=actor,
                next_attempt_at=now, dedupe_key=item.dedupe_key,
                cause_type=f"{item.cause._meta.app_label}.{item.cause._meta.model_name}" if item.cause else "",
                cause_id=str(item.cause.pk) if item.cause is not None else ""))
    new = [row for row in queued if isinstance(row, OutboundMessage) and row.pk is None]
    OutboundMessage.objects.bulk_create([row for row in new if not row.dedupe_key])  # ids come back
    if keyed := [row for row in new if row.dedupe_key]:
        OutboundMessage.objects.bulk_create(keyed, ignore_conflicts=True)  # a key used meanwhile: its row stays
        stored = {m.dedupe_key: m for m in OutboundMessage.objects.filter(
            site=site, dedupe_key__in=[row.dedupe_key for row in keyed])}
        unread = {id(row) for row in keyed}  # no ids after an insert that skips conflicts: read back by key
        queued = [stored[row.dedupe_key] if id(row) in unread else row for row in queued]
    # A key another scan used a moment ago is enqueued by both: the send claims the row once (message_deliver).
    _enqueue_after_commit(sorted({row.pk for row in queued if isinstance(row, OutboundMessage)
                                  and row.dedupe_key not in used}))
    return queued


def _consenting(items: list[Outgoing], purpose: str) -> set[int] | None:
    """The batch's customers with marketing consent now (read from the database: the caller's instances may
    predate a withdrawal); None when the purpose needs none."""
    if purpose != OutboundMessage.Purpose.MARKETING:
        return None
    ids = {item.customer.pk for item in items if item.customer is not None}
    return set(Customer.objects.filter(pk__in=ids, marketing_consent=True).values_list("pk", flat=True)
               ) if ids else set()


def _no_consent() -> ApplicationError:
    return ApplicationError(_("This customer has not agreed to receive marketing messages."), code="no_consent")


def _check_consent(customer: Customer | None, purpose: str) -> None:
    consenting = _consenting([Outgoing(customer, {})], purpose)
    if consenting is not None and (customer is None or customer.pk not in consenting):
        raise _no_consent()


def address_for(customer: Customer | None, channel: str | None, recipient: str | None) -> tuple[str, str] | None:
    """(channel, address) of a message to `customer` (see message_queue), or None when they have no address."""
    if channel is not None and channel not in ADDRESS_FIELDS:
        raise ApplicationError(_("Messages go by SMS, WeChat or email."), code="invalid_channel", field="channel")
    if customer is None:
        if not (channel and recipient):
            raise ValueError("a message without a customer needs a channel and a recipient")
        return channel, recipient
    candidates = [channel] if channel else [customer.preferred_channel, Channel.SMS]
    for candidate in candidates:
        if candidate in ADDRESS_FIELDS and (address := getattr(customer, ADDRESS_FIELDS[candidate])):
            return candidate, address
    return None


def _enqueue_after_commit(message_ids: list[int]) -> None:
    from .tasks import enqueue_many

    if message_ids:
        transaction.on_commit(partial(enqueue_many, message_ids))


@transaction.atomic
def message_resend(*, message_id: int, actor) -> OutboundMessage | None:
    """Send again: a failed message is queued again as it is; a sent one is copied into a new message
    (one row, one contact-log line per delivery). None when it is still on its way."""
    message = OutboundMessage.objects.select_for_update(of=("self",)).select_related("customer").get(pk=message_id)
    _check_consent(message.customer, message.purpose)
    now = timezone.now()
    if message.status == Status.FAILED:
        message.status, message.attempts, message.last_error = Status.QUEUED, 0, ""
        message.next_attempt_at, message.claimed_at = now, None
        message.save(update_fields=["status", "attempts", "last_error", "next_attempt_at", "claimed_at"])
    elif message.status == Status.SENT:
        message = OutboundMessage.objects.create(
            site_id=message.site_id, customer=message.customer, channel=message.channel,
            recipient=message.recipient, template_key=message.template_key, purpose=message.purpose,
            subject=message.subject, text=message.text, created_by=actor, next_attempt_at=now,
            cause_type=message.cause_type, cause_id=message.cause_id,
        )
    else:
        return None
    _enqueue_after_commit([message.pk])
    return message


# ---------------------------------------------------------------- the worker's side

def retry_delay(attempt: int) -> int:
    """Seconds before attempt `attempt` + 1: the back-off doubles from MESSAGING_RETRY_BACKOFF_SECONDS."""
    return min(settings.MESSAGING_RETRY_BACKOFF_SECONDS * 2 ** (attempt - 1),
               settings.MESSAGING_RETRY_BACKOFF_MAX_SECONDS)


def message_deliver(*, message_id: int) -> int | None:
    """Send one queued message. Returns the seconds to wait before trying again, or None when there is
    nothing more to do (sent, failed for good, or not queued: sent already or taken by another worker).

    The row is claimed by compare-and-set (queued → sending) and the backend runs outside any
    transaction: slow I/O never holds a lock.
    """
    claimed = OutboundMessage.objects.filter(pk=message_id, status=Status.QUEUED).update(
        status=Status.SENDING, claimed_at=timezone.now(), attempts=models.F("attempts") + 1)
    if not claimed:
        return None
    message = OutboundMessage.objects.select_related("site", "customer").get(pk=message_id)
    try:
        backend_for(message.channel).send(message)
    except Exception as error:  # a backend's own bug must not leave the row "sending" for ever
        if not isinstance(error, DeliveryError):
            logger.exception("message %s: the backend failed", message_id)
        return _on_a_live_connection(_record_failure, message, error)
    _on_a_live_connection(_record_sent, message)
    return None


RECORD_PAUSES = (0, 1, 2, 4)  # seconds before each new try: rides out a database restart of a few seconds


def _on_a_live_connection(record, *args):
    """Record the outcome of a send even when the database connection died while the gateway had the
    message (a restart, a cut connection): else the row stays "sending" and the sweep hands the message
    over a second time (tests/integration/test_faults_database_dropped.py). Tried again on a new connection;
    the records are compare-and-set, so a try that did commit makes the next one a no-op."""
    for pause in RECORD_PAUSES:
        try:
            return record(*args)
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block:  # the caller's transaction: not ours to reconnect
                raise
            logger.warning("message %s: the database connection failed; recording again", args[0].pk)
            connection.close()
            time.sleep(pause)
    return record(*args)  # the last try: its error is the task's


def _record_failure(message: OutboundMessage, error: Exception) -> int | None:
    final = message.attempts >= settings.MESSAGING_MAX_ATTEMPTS
    delay = None if final else retry_delay(message.attempts)
    OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=Status.FAILED if final else Status.QUEUED, claimed_at=None,
        last_error=(str(error) or type(error).__name__)[:1000],
        next_attempt_at=timezone.now() + timedelta(seconds=delay or 0),
    )
    return delay


@transaction.atomic
def _record_sent(message: OutboundMessage) -> None:
    now = timezone.now()
    if not OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
            status=Status.SENT, sent_at=now, last_error="", claimed_at=None):
        return
    if message.customer is not None:
        with translation.override(settings.LANGUAGE_CODE):
            outcome = Truncator(_("Sent: %(text)s") % {"text": message.text}).chars(200)
        contact_log_add(site=message.site, customer=message.customer, channel=message.channel,
                        reason=message.subject, outcome=outcome, actor=message.created_by, at=now)


@transaction.atomic
def messages_requeue_stale(*, now=None) -> list[int]:
    """The sweep: ids of queued messages a minute past their time (the broker was down at commit, or a
    retry was lost), marked as just enqueued. Rows a dead worker left "sending" go back to queued first
    (sent at least once: the gateway may have had it)."""
    now = now or timezone.now()
    stuck = OutboundMessage.objects.filter(
        status=Status.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.MESSAGING_SEND_TIME_LIMIT + 60))
    stuck.filter(attempts__gte=settings.MESSAGING_MAX_ATTEMPTS).update(
        status=Status.FAILED, claimed_at=None, last_error="the worker stopped while sending")
    stuck.update(status=Status.QUEUED, claimed_at=None, next_attempt_at=models.F("claimed_at"),
                 last_error="the worker stopped while sending")
    due = OutboundMessage.objects.filter(
        status=Status.QUEUED, next_attempt_at__lte=now - timedelta(seconds=settings.MESSAGING_SWEEP_AFTER_SECONDS))
    # Two sweeps at once: each takes rows the other has not locked; after commit they are no longer due.
    ids = list(due.order_by("next_attempt_at").select_for_update(skip_locked=True)
               .values_list("pk", flat=True)[:settings.MESSAGING_SWEEP_BATCH])
    OutboundMessage.objects.filter(pk__in=ids).update(next_attempt_at=now)
    return ids
