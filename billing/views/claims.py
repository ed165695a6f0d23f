"""The warranty clerk's screens (索赔): the claims list with the totals outstanding, and a claim with its
history and the next step (submit with the maker's reference, approve, reject with the reason, paid)."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from repair_orders.views.common import render_site
from servicedesk.core.errors import ApplicationError
from servicedesk.core.views_common import current_site, paginate, staff_view

from ..models import WarrantyClaim
from ..selectors_handover import claim_detail, claim_totals, claims_of_site
from ..services import warranty
from .day_close import decimal_or_none

MANAGE = "billing.manage_claims"
Status = WarrantyClaim.Status
DONE = {
    "submit": gettext_lazy("The claim is submitted to the maker."),
    "approve": gettext_lazy("The claim is marked approved."),
    "reject": gettext_lazy("The claim is marked rejected."),
    "pay": gettext_lazy("The maker's payment is recorded."),
}


@staff_view(MANAGE)
@require_GET
def claim_list(request):
    site = current_site(request)
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    page = paginate(request, claims_of_site(site, status=status or None))
    totals = claim_totals(site)
    return render_site(request, "billing/claims_list.html", {
        "page": page, "status": status, "totals": totals,
        "statuses": [(value, label, totals.counts[value]) for value, label in Status.choices]})


def _claim_of(request, pk) -> WarrantyClaim:
    """A claim of the current site with its RO, job and history; 404 for anything else."""
    claim = claim_detail(current_site(request), pk)
    if claim is None:
        raise Http404
    return claim


@staff_view(MANAGE)
@require_GET
def claim_show(request, pk):
    claim = _claim_of(request, pk)
    labels = dict(Status.choices)
    events = [(event, labels.get(event.from_state, ""), labels.get(event.to_state, event.to_state))
              for event in claim.events.all()]
    return render_site(request, "billing/claims_detail.html", {
        "claim": claim, "events": events, "next_steps": warranty.CLAIM_TRANSITIONS[claim.status]})


class ClaimTextForm(forms.Form):
    """The free text of a claim's actions, checked before a service sees it (length, NUL characters)."""
    maker_reference = forms.CharField(label=gettext_lazy("maker's reference"), max_length=50, required=False)
    reason = forms.CharField(label=gettext_lazy("rejection reason"), max_length=200, required=False)


@staff_view(MANAGE)
@require_POST
def claim_act(request, pk):
    claim = _claim_of(request, pk)
    action, post = request.POST.get("action", ""), request.POST
    texts = ClaimTextForm(post)
    if not texts.is_valid():
        messages.error(request, " ".join(f"{texts[name].label}: {error}" for name, errors in texts.errors.items()
                                         for error in errors))
        return redirect("billing:claim_detail", pk=claim.pk)
    version = post.get("version", "")
    common = {"claim": claim, "actor": request.user, "version": int(version) if version.isdecimal() else None}
    try:
        if action == "submit":
            warranty.claim_submit(maker_reference=texts.cleaned_data["maker_reference"], **common)
        elif action == "approve":
            warranty.claim_approve(**common)
        elif action == "reject":
            warranty.claim_reject(reason=texts.cleaned_data["reason"], **common)
        elif action == "pay":
            warranty.claim_pay(paid_amount=decimal_or_none(post.get("paid_amount", "")), **common)
        else:
            raise ApplicationError(_("Choose what to do with the claim."))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, DONE[action])
    return redirect("billing:claim_detail", pk=claim.pk)
