"""The cashier's screens: queues, settlement page of an RO, its actions, receipts."""

from django.urls import path

from .views import invoices

urlpatterns = [
    path("cashier/", invoices.cashier, name="cashier"),
    path("repair-orders/<int:pk>/settlement/", invoices.settlement, name="settlement"),
    path("repair-orders/<int:pk>/invoice/", invoices.issue, name="invoice_issue"),
    path("repair-orders/<int:pk>/payments/", invoices.pay, name="payment_take"),
    path("repair-orders/<int:pk>/deliver/", invoices.deliver, name="deliver"),
    path("invoices/<int:pk>/credit-note/", invoices.credit, name="credit_note"),
    path("payments/<int:pk>/receipt/", invoices.receipt, name="receipt"),
]
