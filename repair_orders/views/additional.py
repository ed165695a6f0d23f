"""The additional-work panel of the RO page (htmx): the lines found during repair with their photos and
answers, recording the customer's answer, texting the approval link, moving the promised time, discounts
and their approval, photos, and recommendations of earlier visits offered again."""

from django import forms
from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from servicedesk.core.errors import ApplicationError
from servicedesk.core.views_common import current_site, staff_view

from .. import services
from ..models import AnswerChannel, DamageMark, DiscountRequest, JobLine, Photo
from ..selectors_additional import additional_work_panel
from ..services.discounts import APPROVE_DISCOUNT
from .common import render_site, repair_order_of

VIEW, CHANGE = "repair_orders.view_repairorder", "repair_orders.change_repairorder"
PANEL_TEMPLATE = "repair_orders/_additional_work.html"


class AnswerForm(forms.Form):
    job_line = forms.IntegerField()
    approved = forms.TypedChoiceField(choices=[("yes", gettext_lazy("Approved")), ("no", gettext_lazy("Declined"))],
                                      coerce=lambda value: value == "yes")
    customer_name = forms.CharField(max_length=100, label=gettext_lazy("Answered by"))
    channel = forms.ChoiceField(choices=[c for c in AnswerChannel.choices if c[0] != AnswerChannel.SMS_LINK])
    amount = forms.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    version = forms.IntegerField(required=False)


class PromisedTimeForm(forms.Form):
    promised_at = forms.DateTimeField(input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    agreed_by = forms.CharField(max_length=100)
    version = forms.IntegerField(required=False)


class DiscountForm(forms.Form):
    job_line = forms.IntegerField()
    amount = forms.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False)
    percent = forms.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False)
    reason = forms.CharField(max_length=200, required=False)
    version = forms.IntegerField(required=False)


def _valid(form) -> dict:
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise ApplicationError(errors[0], field=field)
    return form.cleaned_data


def _panel(request, repair_order, *, status: int = 200):
    panel = additional_work_panel(repair_order=repair_order)
    return render_site(request, PANEL_TEMPLATE, {
        "ro": repair_order, "panel": panel, "can_change": request.user.has_perm(CHANGE),
        "can_approve_discount": request.user.has_perm(APPROVE_DISCOUNT),
        "channels": AnswerForm.base_fields["channel"].choices}, status=status)


def _done(request, repair_order, text: str):
    """htmx: the panel again; a plain form post: back to the RO page with the message."""
    if getattr(request, "htmx", False):
        response = _panel(request, repair_order)
        response["HX-Trigger"] = "repair-order-changed"
        return response
    messages.success(request, text)
    return redirect("repair_orders:detail", pk=repair_order.pk)


def _posted_id(request, name: str) -> int:
    value = request.POST.get(name, "")
    return int(value) if value.isdecimal() else 0


def _line(repair_order, pk, model=JobLine):
    """A job line (or damage mark) of this RO; 404 for anything else."""
    return get_object_or_404(model, repair_order=repair_order, pk=pk)


@staff_view(VIEW)
@require_GET
def panel(request, pk):
    return _panel(request, repair_order_of(request, pk))


@staff_view(CHANGE)
@require_POST
def answer(request, pk):
    repair_order = repair_order_of(request, pk)
    data = _valid(AnswerForm(request.POST))
    services.additional_work_record_answer(
        job_line=_line(repair_order, data["job_line"]), approved=data["approved"],
        customer_name=data["customer_name"], channel=data["channel"], amount=data["amount"], actor=request.user,
        version=data["version"])
    return _done(request, repair_order, _("The customer's answer is recorded."))


@staff_view(CHANGE)
@require_POST
def send_link(request, pk):
    repair_order = repair_order_of(request, pk)
    message = services.approval_link_send(repair_order=repair_order, actor=request.user)
    return _done(request, repair_order, _("The approval link is on its way to %(recipient)s.")
                 % {"recipient": message.recipient})


@staff_view(CHANGE)
@require_POST
def promised_time(request, pk):
    repair_order = repair_order_of(request, pk)
    data = _valid(PromisedTimeForm(request.POST))
    services.repair_order_move_promised_time(repair_order=repair_order, promised_at=data["promised_at"],
                                             agreed_by=data["agreed_by"], actor=request.user,
                                             version=data["version"])
    return _done(request, repair_order, _("The promised time is moved."))


@staff_view(CHANGE)
@require_POST
def discount(request, pk):
    repair_order = repair_order_of(request, pk)
    data = _valid(DiscountForm(request.POST))
    outcome = services.job_line_set_discount(
        job_line=_line(repair_order, data["job_line"]), actor=request.user, amount=data["amount"],
        percent=data["percent"] if data["amount"] is None else None, reason=data["reason"],
        version=data["version"])
    return _done(request, repair_order, _("The discount is applied.") if outcome.applied
                 else _("The discount is above your limit; a service manager has been asked to approve it."))


@staff_view(APPROVE_DISCOUNT)
@require_POST
def discount_decide(request, pk):
    site = current_site(request)
    pending = get_object_or_404(DiscountRequest.objects.select_related("job_line__repair_order__site"),
                                job_line__repair_order__site=site, pk=pk)
    decide = {"approve": services.discount_approve, "reject": services.discount_reject}.get(
        request.POST.get("decision", ""))
    if decide is None:
        raise ApplicationError(_("Approve or reject the discount."), field="decision")
    decide(request=pending, actor=request.user, note=request.POST.get("note", ""))
    repair_order = repair_order_of(request, pending.job_line.repair_order_id)
    return _done(request, repair_order, _("The discount request is decided."))


@staff_view(CHANGE)
@require_POST
def recommendation(request, pk):
    repair_order = repair_order_of(request, pk)
    declined = get_object_or_404(JobLine.objects.select_related("repair_order"),
                                 repair_order__site=repair_order.site, pk=_posted_id(request, "declined_line"))
    services.recommendation_add_to_repair_order(repair_order=repair_order, declined_line=declined,
                                                actor=request.user)
    return _done(request, repair_order, _("The recommendation is on this repair order again."))


@staff_view(CHANGE)
@require_POST
def photo_upload(request, pk):
    """A photo for a job line (`job_line`) or a damage mark (`damage_mark`) of this RO."""
    repair_order = repair_order_of(request, pk)
    image = request.FILES.get("photo")
    if request.POST.get("damage_mark"):
        owner = {"damage_mark": _line(repair_order, _posted_id(request, "damage_mark"), DamageMark)}
    else:
        owner = {"job_line": _line(repair_order, _posted_id(request, "job_line"))}
    services.photo_attach(image=image, actor=request.user, **owner)
    return _done(request, repair_order, _("The photo is saved."))


@staff_view(VIEW)
@require_GET
def photo(request, pk):
    row = get_object_or_404(Photo, repair_order__site=current_site(request), pk=pk)
    return FileResponse(row.image.open("rb"), content_type="image/jpeg")
