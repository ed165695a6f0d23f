"""Pages customers open without logging in: self-booking (rate-limited, with a honeypot) and the
signed link that confirms or cancels an appointment."""

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from servicedesk.accounts.models import Site
from servicedesk.core.errors import ApplicationError
from servicedesk.core.views_common import call_service

from .. import capacity, services
from ..forms import SelfBookingForm, parse_start
from ..links import LinkExpired, LinkInvalid, make_token, read_token
from ..models import Appointment, Status
from .booking import _day_param, _panel_context
from .common import render_site


def _public_sites():
    return list(Site.objects.exclude(booking_settings__self_booking=False).order_by("code"))


def _chosen_site(request, sites):
    code = request.GET.get("site") or request.POST.get("site") or ""
    return next((s for s in sites if s.code == code), sites[0] if len(sites) == 1 else None)


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _rate_key(request) -> str:
    return f"appointments:self-book:{_client_address(request)}"


def _over_rate_limit(request) -> bool:
    """Bookings made from this address in the last hour, counted in the cache (shared by every web process)."""
    return (cache.get(_rate_key(request)) or 0) >= settings.APPOINTMENT_SELF_BOOKINGS_PER_HOUR


def _count_booking(request) -> None:
    if not cache.add(_rate_key(request), 1, timeout=3600):
        try:
            cache.incr(_rate_key(request))
        except ValueError:  # expired in between
            cache.set(_rate_key(request), 1, timeout=3600)


@require_http_methods(["GET", "POST"])
def public_book(request):
    sites = _public_sites()
    site = _chosen_site(request, sites)
    form = SelfBookingForm(request.POST or None)
    if request.method == "POST" and site is not None:
        if _over_rate_limit(request):
            return render(request, "appointments/public/message.html", {
                "title": _("Too many bookings"),
                "text": _("This connection has booked several times in the last hour. Please call us instead."),
            }, status=429)
        if form.data.get("website"):  # the honeypot: only a bot fills it; it learns nothing
            return render(request, "appointments/public/message.html", {
                "title": _("Thank you"), "text": _("We have received your request."),
            })
        if form.is_valid():
            data = form.cleaned_data
            appointment = call_service(form, services.appointment_self_book, site=site, name=data["name"],
                                       mobile=data["mobile"], plate=data["plate"], concern=data["concern"],
                                       start=data["start"])
            if appointment:
                _count_booking(request)
                return redirect("appointments:public_done", token=make_token(appointment))
    return render(request, "appointments/public/book.html", {"form": form, "sites": sites, "site": site})


def public_slots(request):
    """The free slots of the chosen day for the public page (htmx)."""
    site = _chosen_site(request, _public_sites())
    if site is None:
        return render(request, "appointments/public/_slots.html", {})
    return render_site(request, site, "appointments/public/_slots.html", {"site": site, **_panel_context(
        site, hours=capacity.DEFAULT_HOURS, advisor_id=None, day=_day_param(request.GET.get("day")),
        chosen=parse_start(request.GET.get("start", "")), public=True)})


def _from_token(request, token):
    """The appointment a link names, or the page that says why the link does not work."""
    try:
        appointment_id, site_id = read_token(token)
    except LinkExpired:
        return None, render(request, "appointments/public/message.html", {
            "title": _("This link has expired"),
            "text": _("Please call us to confirm, move or cancel your appointment."),
        }, status=410)
    except LinkInvalid:
        return None, render(request, "appointments/public/message.html", {
            "title": _("This link is not valid"),
            "text": _("It may have been cut off or changed. Open the link from the message again, or call us."),
        }, status=400)
    appointment = (Appointment.objects.filter(pk=appointment_id, site_id=site_id)
                   .select_related("site").first())
    if appointment is None:
        return None, render(request, "appointments/public/message.html", {
            "title": _("Appointment not found"), "text": _("Please call us."),
        }, status=404)
    return appointment, None


def public_done(request, token):
    appointment, refusal = _from_token(request, token)
    if refusal:
        return refusal
    return render_site(request, appointment.site, "appointments/public/done.html", _summary(appointment, token))


@require_http_methods(["GET", "POST"])
def self_service(request, token):
    appointment, refusal = _from_token(request, token)
    if refusal:
        return refusal
    done = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                appointment = services.appointment_confirm_by_link(appointment=appointment)
                done = _("Thank you: your appointment is confirmed.")
            elif action == "cancel":
                appointment = services.appointment_cancel_by_link(appointment=appointment)
                done = _("Your appointment is cancelled. We hope to see you another time.")
        except ApplicationError as error:
            done = str(error.message)
    return render_site(request, appointment.site, "appointments/public/self_service.html",
                       {**_summary(appointment, token), "done": done})


def _summary(appointment, token) -> dict:
    return {"appointment": appointment, "token": token,
            "local_start": appointment.start.astimezone(capacity.site_zone(appointment.site)),
            "open": appointment.status in (Status.BOOKED, Status.CONFIRMED) and not _started(appointment),
            "can_confirm": appointment.status == Status.BOOKED and not _started(appointment)}


def _started(appointment) -> bool:
    return appointment.start <= timezone.now()

