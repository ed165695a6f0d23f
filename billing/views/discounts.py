"""The settlement discount (结算优惠) on the settlement page: given by the cashier (or advisor, manager) within
their limit, asked of a manager above it; the manager approves or rejects it on the same page (the
notification links there). Every write is one service call; a refusal comes back as a message."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from repair_orders.services.discounts import APPROVE_DISCOUNT
from servicedesk.core.views_common import current_site, staff_view

from ..models import SettlementDiscount
from ..services.settlement_discount import (
    settlement_discount_approve,
    settlement_discount_give,
    settlement_discount_reject,
)
from .invoices import form_errors, site_repair_order


class SettlementDiscountForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Discount as"), choices=[
        ("amount", gettext_lazy("Amount (¥)")), ("percent", gettext_lazy("Percentage of the customer's part"))])
    value = forms.DecimalField(label=gettext_lazy("Discount"), max_digits=12, decimal_places=2, min_value=0)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)


@staff_view("billing.add_settlementdiscount")
@require_POST
def give(request, pk):
    repair_order = site_repair_order(request, pk)
    form = SettlementDiscountForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("billing:settlement", pk=pk)
    value = form.cleaned_data["value"]
    amount, percent = (value, None) if form.cleaned_data["kind"] == "amount" else (None, value)
    discount = settlement_discount_give(repair_order=repair_order, actor=request.user, amount=amount,
                                        percent=percent, reason=form.cleaned_data["reason"])
    if discount is None:
        messages.success(request, _("The settlement discount is removed."))
    elif discount.status == SettlementDiscount.Status.PENDING:
        messages.warning(request, _("¥%(amount)s (%(percent)s%%) is above your limit; it waits for the manager's "
                                    "approval.") % {"amount": discount.amount, "percent": discount.percent})
    else:
        messages.success(request, _("Discount of ¥%(amount)s (%(percent)s%%) given.")
                         % {"amount": discount.amount, "percent": discount.percent})
    return redirect("billing:settlement", pk=pk)


@staff_view(APPROVE_DISCOUNT)
@require_POST
def decide(request, pk):
    discount = get_object_or_404(SettlementDiscount, repair_order__site=current_site(request), pk=pk)
    note = request.POST.get("note", "")
    if request.POST.get("decision") == "approve":
        settlement_discount_approve(discount=discount, actor=request.user, note=note)
        messages.success(request, _("Discount of ¥%(amount)s approved.") % {"amount": discount.amount})
    elif request.POST.get("decision") == "reject":
        settlement_discount_reject(discount=discount, actor=request.user, note=note)
        messages.success(request, _("Discount of ¥%(amount)s rejected.") % {"amount": discount.amount})
    else:
        messages.error(request, _("Choose to approve or to reject the discount."))
    return redirect("billing:settlement", pk=discount.repair_order_id)
