from .handover import DayClose, GatePass, MaintenanceSchedule, PreDeliveryCheck
from .invoices import CustomerAccount, Invoice, InvoiceLine, Payment
from .warranty import WarrantyClaim, WarrantyClaimEvent

__all__ = [
    "CustomerAccount",
    "DayClose",
    "GatePass",
    "Invoice",
    "InvoiceLine",
    "MaintenanceSchedule",
    "Payment",
    "PreDeliveryCheck",
    "WarrantyClaim",
    "WarrantyClaimEvent",
]
