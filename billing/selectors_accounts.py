"""Reads of on-account customers (挂账): the accounts with their open balance, and one account's page — what was
booked to it, what the customer settled, which invoices are still open. Fixed query counts (tests assert them)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest

from servicedesk.core.money import money

from .models import AccountSettlement, CustomerAccount, Payment

ZERO = Decimal("0.00")
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


def _sum_of(queryset, group: str):
    total = queryset.values(group).annotate(total=Sum("amount")).values("total")
    return Coalesce(Subquery(total, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD)


def accounts_of_site(*, site, search: str = ""):
    """The site's accounts, each with `balance` (booked on account less settled) and `room` under the credit
    limit; one query per page."""
    booked = Payment.objects.filter(site=site, method=Payment.Method.ACCOUNT,
                                    invoice__customer_id=OuterRef("customer_id"))
    settled = AccountSettlement.objects.filter(account_id=OuterRef("pk"))
    accounts = (CustomerAccount.objects.filter(site=site).select_related("customer")
                .annotate(booked=_sum_of(booked, "invoice__customer_id"), settled=_sum_of(settled, "account_id"))
                .annotate(balance=ExpressionWrapper(F("booked") - F("settled"), output_field=MONEY_FIELD))
                .annotate(room=Greatest(F("credit_limit") - F("balance"), Value(ZERO), output_field=MONEY_FIELD))
                .order_by("-active", "customer__name", "pk"))
    if search:
        accounts = accounts.filter(Q(customer__name__icontains=search) | Q(customer__mobile__contains=search))
    return accounts


@dataclass(frozen=True)
class OpenItem:
    payment: Payment  # an amount booked on account, with its invoice and RO
    open: Decimal  # what of it the settlements have not paid off yet (oldest first)


@dataclass(frozen=True)
class AccountPage:
    account: CustomerAccount
    bookings: list[Payment]
    settlements: list[AccountSettlement]

    @property
    def booked(self) -> Decimal:
        return sum((p.amount for p in self.bookings), ZERO)

    @property
    def settled(self) -> Decimal:
        return sum((s.amount for s in self.settlements), ZERO)

    @property
    def balance(self) -> Decimal:
        return money(self.booked - self.settled)

    @property
    def room(self) -> Decimal:
        return max(self.account.credit_limit - self.balance, ZERO)

    @property
    def open_items(self) -> list[OpenItem]:
        """The bookings not yet paid off, settlements counted against the oldest first."""
        left, items = self.settled, []
        for payment in self.bookings:
            covered = min(left, payment.amount)
            left -= covered
            if payment.amount > covered:
                items.append(OpenItem(payment, payment.amount - covered))
        return items


def account_page(*, site, pk) -> AccountPage:
    """One account with its bookings (oldest first) and settlements (newest first). Three queries."""
    account = CustomerAccount.objects.select_related("customer", "site").get(site=site, pk=pk)
    bookings = list(Payment.objects.filter(site=site, method=Payment.Method.ACCOUNT, invoice__customer=account.customer)
                    .select_related("invoice__repair_order", "received_by__profile").order_by("received_at", "pk"))
    settlements = list(account.settlements.select_related("received_by__profile").order_by("-received_at", "-pk"))
    return AccountPage(account=account, bookings=bookings, settlements=settlements)
