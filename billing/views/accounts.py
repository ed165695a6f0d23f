"""On-account customers (挂账): the site's accounts with their open balance, and one account's page (open
invoices on account, settlements, balance and credit limit) where the cashier records the customer settling."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from servicedesk.core.views_common import current_site, paginate, staff_view

from ..models import AccountSettlement, CustomerAccount
from ..selectors_accounts import account_page, accounts_of_site
from ..services.accounts import account_settle
from .invoices import form_errors, render_local


class AccountSettlementForm(forms.Form):
    amount = forms.DecimalField(label=gettext_lazy("Amount"), max_digits=12, decimal_places=2, min_value=0)
    method = forms.ChoiceField(label=gettext_lazy("Method"),
                               choices=AccountSettlement._meta.get_field("method").choices)
    reference = forms.CharField(label=gettext_lazy("Reference"), max_length=60, required=False)


@staff_view("billing.view_customeraccount")
def account_list(request):
    search = request.GET.get("q", "").strip()[:50]
    page = paginate(request, accounts_of_site(site=current_site(request), search=search))
    return render_local(request, "billing/account_list.html", {"page": page, "q": search})


@staff_view("billing.view_customeraccount")
def account_detail(request, pk):
    try:
        context = account_page(site=current_site(request), pk=pk)
    except CustomerAccount.DoesNotExist:
        raise Http404("no such account") from None
    form = AccountSettlementForm(initial={"method": "transfer", "amount": context.balance or None})
    return render_local(request, "billing/account_detail.html", {"a": context, "form": form})


@staff_view("billing.add_accountsettlement")
@require_POST
def settle(request, pk):
    try:
        account = CustomerAccount.objects.get(site=current_site(request), pk=pk)
    except CustomerAccount.DoesNotExist:
        raise Http404("no such account") from None
    form = AccountSettlementForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("billing:account_detail", pk=pk)
    settlement = account_settle(account=account, actor=request.user, **form.cleaned_data)
    messages.success(request, _("%(method)s %(amount)s settled on the account.")
                     % {"method": settlement.get_method_display(), "amount": settlement.amount})
    return redirect("billing:account_detail", pk=pk)
