"""The customer's page behind the signed link in the text (no login): the additional lines with prices and
photos, approve or decline each. Tampered → 400, expired → 410, unknown → 404, too many requests from one
address → 429; a line already answered shows its answer, not the buttons."""

import zoneinfo

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from servicedesk.core.errors import ApplicationError

from ..links import LinkExpired, LinkInvalid, read_token
from ..models import AnswerChannel, Photo
from ..selectors_additional import approval_page
from ..services import additional_work_record_answer

REQUESTS_PER_HOUR = getattr(settings, "REPAIR_ORDER_APPROVAL_REQUESTS_PER_HOUR", 60)
TEMPLATE = "repair_orders/public/approval.html"
MESSAGE_TEMPLATE = "repair_orders/public/message.html"


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _over_rate_limit(request) -> bool:
    """Counts this address's requests to these pages in the last hour (the cache is shared by every web
    process); a token cannot be guessed, but a script should not be able to try."""
    key = f"repair_orders:approval:{_client_address(request)}"
    if cache.add(key, 1, timeout=3600):
        return False
    try:
        return cache.incr(key) > REQUESTS_PER_HOUR
    except ValueError:  # expired in between
        cache.set(key, 1, timeout=3600)
        return False


def _message(request, title, text, status):
    return render(request, MESSAGE_TEMPLATE, {"title": title, "text": text}, status=status)


def _from_token(request, token):
    """(repair order, priced lines) of a valid link, or the page that says why the link does not work."""
    if _over_rate_limit(request):
        return None, _message(request, _("Too many requests"),
                              _("Please wait a while and open the link again, or call your service advisor."), 429)
    try:
        data = read_token(token)
    except LinkExpired:
        return None, _message(request, _("This link has expired"),
                              _("Please call your service advisor, who will tell you about the work and its price."),
                              410)
    except LinkInvalid:
        return None, _message(request, _("This link is not valid"),
                              _("It may have been cut off or changed. Open the link from the message again, "
                                "or call your service advisor."), 400)
    found = approval_page(repair_order_id=data.repair_order_id, site_id=data.site_id, line_ids=data.line_ids)
    if found is None:
        return None, _message(request, _("Repair order not found"), _("Please call your service advisor."), 404)
    return found, None


@require_http_methods(["GET", "POST"])
def approval(request, token):
    found, refusal = _from_token(request, token)
    if refusal:
        return refusal
    repair_order, lines = found
    error = ""
    if request.method == "POST":
        answer, _sep, line_id = request.POST.get("answer", "").partition(":")
        line = next((line for line in lines if str(line.job.pk) == line_id), None)
        if line is None or answer not in ("approve", "decline"):
            error = _("Choose approve or decline for one of the items.")
        else:
            try:
                additional_work_record_answer(
                    job_line=line.job, approved=answer == "approve", customer_name=repair_order.customer.name,
                    channel=AnswerChannel.SMS_LINK, amount=line.gross, actor=None,
                    ip_address=_client_address(request) if request.META.get("REMOTE_ADDR") else None)
            except ApplicationError as failure:
                error = str(failure.message)
            else:
                return redirect(request.path)  # reload shows the answer, and a second tap posts nothing
    with timezone.override(zoneinfo.ZoneInfo(repair_order.site.time_zone)):
        return render(request, TEMPLATE, {"ro": repair_order, "lines": lines, "token": token, "error": error,
                                          "waiting": any(not line.answered for line in lines)},
                      status=400 if error else 200)


@require_GET
def photo(request, token, photo_id):
    """A photo of one of the link's lines; no other photo is reachable through the link."""
    found, refusal = _from_token(request, token)
    if refusal:
        return refusal
    _repair_order, lines = found
    row = Photo.objects.filter(pk=photo_id, job_line_id__in=[line.job.pk for line in lines]).first()
    if row is None:
        raise Http404
    response = FileResponse(row.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
