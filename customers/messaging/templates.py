"""The named texts sent to customers. Each is translatable, with %(name)s placeholders filled from the
context the caller passes; `site` and `customer` are always there. Adding one: docs/messaging.md."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MessageTemplate:
    key: str
    title: Promise  # the subject of an email and the reason in the contact log
    text: Promise


TEMPLATES = {t.key: t for t in [
    MessageTemplate(
        "appointment_confirmation", _("Appointment booked"),
        _("%(site)s: dear %(customer)s, your appointment for %(plate)s is booked for %(time)s. "
          "To confirm or cancel: %(link)s"),
    ),
    MessageTemplate(
        "appointment_reminder", _("Appointment reminder"),
        _("%(site)s: dear %(customer)s, we expect %(plate)s tomorrow at %(time)s. "
          "Please confirm or cancel: %(link)s"),
    ),
    MessageTemplate(
        "maintenance_reminder", _("Maintenance reminder"),
        _("%(site)s: dear %(customer)s, %(plate)s is due for maintenance by %(due)s. "
          "Call us or reply to book a visit."),
    ),
    MessageTemplate(
        "ready_for_pickup", _("Vehicle ready for pickup"),
        _("%(site)s: dear %(customer)s, %(plate)s is ready. We are open until %(closes_at)s."),
    ),
    MessageTemplate(
        "vehicle_ready", _("Your vehicle is ready"),
        _("%(site)s: dear %(customer)s, the work on %(plate)s is finished and checked; your car is ready for "
          "collection. Amount due: ¥%(amount)s."),
    ),
    MessageTemplate(
        "additional_work_approval", _("Additional work to approve"),
        _("%(site)s: dear %(customer)s, while working on %(plate)s we found more that needs doing. "
          "See the photos and prices, and approve or decline: %(link)s"),
    ),
    MessageTemplate(
        "monthly_report", _("Monthly service report"),
        _("%(site)s: the service report for %(month)s is ready: %(link)s"),
    ),
    MessageTemplate(
        "csi_survey", _("Satisfaction survey"),
        _("%(site)s: dear %(customer)s, how was your visit with %(plate)s? Tell us in one minute: %(link)s"),
    ),
]}


@dataclass(frozen=True)
class Rendered:
    title: str
    text: str


def render(key: str, context: dict, *, language: str | None = None) -> Rendered:
    """The template's title and text in the customers' language (not the acting user's).

    An unknown key or a missing placeholder is a programming error: KeyError, never a half-filled text.
    """
    return renderer(key, language=language)(context)


def renderer(key: str, *, language: str | None = None) -> Callable[[dict], Rendered]:
    """`render` for many contexts: the template is looked up and translated once."""
    template = TEMPLATES[key]
    with translation.override(language or settings.MESSAGING_LANGUAGE):
        title, text = str(template.title), str(template.text)

    def fill(context: dict) -> Rendered:
        try:
            return Rendered(title=title, text=text % context)
        except KeyError as error:
            raise KeyError(f"message template {key!r} needs {error.args[0]!r} in its context") from None

    return fill
