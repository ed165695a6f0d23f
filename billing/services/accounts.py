"""On-account customers (挂账) settling their account: a payment against the account as a whole (amount,
method, reference) that lowers the open balance, and so makes room again under the credit limit."""

from django.db import transaction
from django.utils.translation import gettext as _

from servicedesk.core.errors import ApplicationError

from ..models import AccountSettlement, CustomerAccount, Payment
from .payments import account_balance, clean_amount

SETTLEMENT_METHODS = [value for value in Payment.Method.values if value != Payment.Method.ACCOUNT]


@transaction.atomic
def account_settle(*, account: CustomerAccount, amount, method: str, actor, reference: str = "") -> AccountSettlement:
    """Record the customer paying `amount` off the account; more than the open balance is refused. The account
    row is locked, so two cashiers cannot both settle the last of the balance."""
    if method not in SETTLEMENT_METHODS:
        raise ApplicationError(_("Choose how the customer paid."), field="method")
    amount = clean_amount(amount, field="amount")
    if amount is None:
        raise ApplicationError(_("Enter the amount."), field="amount")
    locked = CustomerAccount.objects.select_for_update().select_related("customer").get(pk=account.pk)
    balance = account_balance(site=locked.site_id, customer=locked.customer)
    if balance <= 0:
        raise ApplicationError(_("%(customer)s owes nothing on account.") % {"customer": locked.customer.name},
                               code="conflict")
    if amount > balance:
        raise ApplicationError(_("%(amount)s is more than the open balance of %(balance)s.")
                               % {"amount": amount, "balance": balance}, field="amount")
    return AccountSettlement.objects.create(account=locked, amount=amount, method=method, received_by=actor,
                                            reference=(reference or "").strip()[:60])
