"""The cashier's screens (收银): the three queues, the RO's settlement page (preview, issue, payments, deliver,
credit note) and a payment's receipt. Every write is one service call; a refusal comes back as a message
(core.errors.ApplicationErrorMiddleware) and nothing changes."""

import zoneinfo

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from repair_orders.models import RepairOrder
from servicedesk.core.views_common import current_site, staff_view

from .. import selectors
from ..models import Invoice, Payment
from ..services.delivery import repair_order_deliver
from ..services.invoicing import credit_note_issue, invoice_issue
from ..services.payments import payment_take

QUEUE_PAGE_SIZE = 20
QUEUES = (("to_invoice", gettext_lazy("Ready to invoice")), ("to_pay", gettext_lazy("Awaiting payment")),
          ("to_deliver", gettext_lazy("Paid, awaiting delivery")))


class PaymentForm(forms.Form):
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=Payment.Method.choices)
    amount = forms.DecimalField(label=gettext_lazy("Amount"), max_digits=12, decimal_places=2, required=False,
                                min_value=0)
    tendered = forms.DecimalField(label=gettext_lazy("Cash handed over"), max_digits=12, decimal_places=2,
                                  required=False, min_value=0)
    reference = forms.CharField(label=gettext_lazy("Reference"), max_length=60, required=False)


def render_local(request, template: str, context: dict):
    with timezone.override(zoneinfo.ZoneInfo(current_site(request).time_zone)):
        return render(request, template, context)


def _to_settlement(repair_order_pk):
    return redirect("billing:settlement", pk=repair_order_pk)


def form_errors(form) -> str:
    """A refused form's errors as one message line."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def site_repair_order(request, pk) -> RepairOrder:
    return get_object_or_404(RepairOrder.objects.select_related("site"), site=current_site(request), pk=pk)


@staff_view("billing.issue_invoice")
def cashier(request):
    queues = selectors.cashier_queues(site=current_site(request))
    pages = [(name, title, Paginator(getattr(queues, name), QUEUE_PAGE_SIZE).get_page(request.GET.get(f"{name}_page")))
             for name, title in QUEUES]
    return render_local(request, "billing/cashier.html", {"queues": pages})


@staff_view("billing.view_invoice")
def settlement(request, pk):
    try:
        context = selectors.settlement(site=current_site(request), pk=pk)
    except RepairOrder.DoesNotExist:
        raise Http404("no such repair order") from None
    due = context.due
    form = PaymentForm(initial={"method": Payment.Method.WECHAT, "amount": due if due > 0 else None})
    pdf_base = f"/api/v1/repair-orders/{pk}"
    return render_local(request, "billing/invoice_settlement.html", {
        "s": context, "ro": context.repair_order, "form": form, "invoice_pdf": f"{pdf_base}/invoice.pdf",
        "gate_pass_pdf": f"{pdf_base}/gate-pass.pdf"})


@staff_view("billing.issue_invoice")
@require_POST
def issue(request, pk):
    invoice = invoice_issue(repair_order=site_repair_order(request, pk), actor=request.user)
    messages.success(request, _("Invoice %(number)s issued.") % {"number": invoice.number})
    return _to_settlement(pk)


@staff_view("billing.take_payment")
@require_POST
def pay(request, pk):
    repair_order = site_repair_order(request, pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _to_settlement(pk)
    invoice_pk = request.POST.get("invoice", "")  # a hidden input: anything else than an id finds nothing
    invoice = get_object_or_404(Invoice, pk=int(invoice_pk) if invoice_pk.isdecimal() else 0, repair_order=repair_order)
    payment = payment_take(invoice=invoice, actor=request.user, **form.cleaned_data)
    text = _("%(method)s %(amount)s received.") % {"method": payment.get_method_display(), "amount": payment.amount}
    if payment.change_given:
        text += " " + _("Change to give: %(change)s.") % {"change": payment.change_given}
    messages.success(request, text)
    return _to_settlement(pk)


@staff_view("billing.deliver_vehicle")
@require_POST
def deliver(request, pk):
    gate_pass = repair_order_deliver(repair_order=site_repair_order(request, pk), actor=request.user,
                                     version=request.POST.get("version") or None)
    messages.success(request, _("Delivered; gate pass %(number)s.") % {"number": gate_pass.number})
    return _to_settlement(pk)


@staff_view("billing.issue_credit_note")
@require_POST
def credit(request, pk):
    invoice = get_object_or_404(Invoice, site=current_site(request), pk=pk)
    note = credit_note_issue(invoice=invoice, reason=request.POST.get("reason", ""), actor=request.user)
    messages.success(request, _("Credit note %(number)s issued; the repair order can be invoiced again.")
                     % {"number": note.number})
    return _to_settlement(invoice.repair_order_id)


@staff_view("billing.view_payment")
def receipt(request, pk):
    payment = get_object_or_404(Payment.objects.select_related("invoice__repair_order", "site",
                                                               "received_by__profile"),
                                site=current_site(request), pk=pk)
    return render_local(request, "billing/invoice_receipt.html", {"payment": payment, "site": payment.site,
                                                             "back": reverse("billing:settlement", args=[
                                                                 payment.invoice.repair_order_id])})
