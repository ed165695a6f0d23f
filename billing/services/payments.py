"""Taking payments against an invoice: several per invoice, never more than is due; cash may be handed over in
excess (the change is recorded); on account needs the customer's active account with room under its limit.
The invoice row is locked, so two cashiers at once cannot both take the last amount due."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from repair_orders.services.common import ro_event
from servicedesk.core.errors import ApplicationError
from servicedesk.core.money import money

from ..models import AccountSettlement, CustomerAccount, Invoice, Payment

ZERO = Decimal("0.00")
Method = Payment.Method


def paid_on(repair_order_id: int) -> Decimal:
    """Everything taken for the RO, on any of its invoices (a credited invoice's payments carry over)."""
    return money(Payment.objects.filter(invoice__repair_order_id=repair_order_id).aggregate(
        total=Sum("amount"))["total"] or ZERO)


def account_balance(*, site, customer) -> Decimal:
    """What the customer owes on account at `site`: the payments booked to the account less what the customer
    has settled since. Two queries."""
    booked = Payment.objects.filter(site=site, invoice__customer=customer, method=Method.ACCOUNT).aggregate(
        total=Sum("amount"))["total"] or ZERO
    settled = AccountSettlement.objects.filter(account__site=site, account__customer=customer).aggregate(
        total=Sum("amount"))["total"] or ZERO
    return money(booked - settled)


def clean_amount(value, *, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = money(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ApplicationError(_("Enter an amount like 120.50."), field=field) from None
    if amount <= 0:
        raise ApplicationError(_("The amount must be more than zero."), field=field)
    return amount


def _lock_payable(invoice: Invoice) -> Invoice:
    locked = Invoice.objects.select_for_update().select_related("site", "customer").get(pk=invoice.pk)
    if locked.kind != Invoice.Kind.INVOICE or Invoice.objects.filter(credits=locked).exists():
        raise ApplicationError(_("Invoice %(number)s was credited; take payments on the new invoice.")
                               % {"number": locked.number}, code="conflict")
    return locked


@transaction.atomic
def payment_take(*, invoice: Invoice, method: str, amount, actor, tendered=None, reference: str = "") -> Payment:
    if method not in Method.values:
        raise ApplicationError(_("Choose a payment method."), field="method")
    locked = _lock_payable(invoice)
    due = locked.customer_amount - paid_on(locked.repair_order_id)
    if due <= 0:
        raise ApplicationError(_("Invoice %(number)s is already paid.") % {"number": locked.number}, code="conflict")
    amount, tendered = clean_amount(amount, field="amount"), clean_amount(tendered, field="tendered")
    change = ZERO
    if method == Method.CASH:
        amount, change = _cash(amount=amount, tendered=tendered, due=due)
        tendered = tendered or amount
    else:
        tendered = None
        if amount is None:
            raise ApplicationError(_("Enter the amount."), field="amount")
    if amount > due:
        raise ApplicationError(_("%(amount)s is more than the amount due of %(due)s.") % {"amount": amount, "due": due},
                               field="amount")
    if method == Method.ACCOUNT:
        _check_account(locked, amount)
    payment = Payment.objects.create(site=locked.site, invoice=locked, method=method, amount=amount,
                                     tendered=tendered, change_given=change, reference=(reference or "").strip()[:60],
                                     received_by=actor)
    ro_event(locked.repair_order, "payment", actor, invoice=locked.number, method=method, amount=str(amount),
             change=str(change))
    return payment


def _cash(*, amount: Decimal | None, tendered: Decimal | None, due: Decimal) -> tuple[Decimal, Decimal]:
    """(amount, change): without an amount the cash pays what is due, up to what was handed over."""
    if amount is None and tendered is None:
        raise ApplicationError(_("Enter the cash handed over."), field="tendered")
    if amount is None:
        amount = min(tendered, due)
    if tendered is not None and tendered < amount:
        raise ApplicationError(_("The cash handed over (%(tendered)s) is less than the amount (%(amount)s).")
                               % {"tendered": tendered, "amount": amount}, field="tendered")
    return amount, (tendered - amount) if tendered is not None else ZERO


def _check_account(invoice: Invoice, amount: Decimal) -> None:
    account = (CustomerAccount.objects.select_for_update()
               .filter(site=invoice.site, customer=invoice.customer, active=True).first())
    if account is None:
        raise ApplicationError(_("%(customer)s has no account with us; take another payment method.")
                               % {"customer": invoice.customer_name}, field="method")
    room = account.credit_limit - account_balance(site=invoice.site, customer=invoice.customer)
    if amount > room:
        raise ApplicationError(_("The account's credit limit leaves %(room)s; %(amount)s is more.")
                               % {"room": max(room, ZERO), "amount": amount}, field="amount")
