"""The cashier's screens: queues, settlement page of an RO, its actions (settlement discount and its approval
included), receipts, on-account customers."""

from django.urls import path

from .views import accounts, discounts, invoices

urlpatterns = [
    path("cashier/", invoices.cashier, name="cashier"),
    path("repair-orders/<int:pk>/settlement/", invoices.settlement, name="settlement"),
    path("repair-orders/<int:pk>/invoice/", invoices.issue, name="invoice_issue"),
    path("repair-orders/<int:pk>/payments/", invoices.pay, name="payment_take"),
    path("repair-orders/<int:pk>/deliver/", invoices.deliver, name="deliver"),
    path("repair-orders/<int:pk>/settlement-discount/", discounts.give, name="settlement_discount"),
    path("settlement-discounts/<int:pk>/decide/", discounts.decide, name="settlement_discount_decide"),
    path("invoices/<int:pk>/credit-note/", invoices.credit, name="credit_note"),
    path("payments/<int:pk>/receipt/", invoices.receipt, name="receipt"),
    path("accounts/", accounts.account_list, name="account_list"),
    path("accounts/<int:pk>/", accounts.account_detail, name="account_detail"),
    path("accounts/<int:pk>/settle/", accounts.settle, name="account_settle"),
]
