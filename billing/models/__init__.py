from .handover import DayClose, GatePass, MaintenanceSchedule, PreDeliveryCheck
from .invoices import CustomerAccount, Invoice, InvoiceLine, Payment
from .settlement import AccountSettlement, SettlementDiscount
from .warranty import WarrantyClaim, WarrantyClaimEvent

__all__ = [
    "AccountSettlement",
    "CustomerAccount",
    "DayClose",
    "GatePass",
    "Invoice",
    "InvoiceLine",
    "MaintenanceSchedule",
    "Payment",
    "PreDeliveryCheck",
    "SettlementDiscount",
    "WarrantyClaim",
    "WarrantyClaimEvent",
]
