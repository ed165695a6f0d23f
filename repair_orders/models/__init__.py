from .catalogue import LabourOperation, ServicePackage, ServicePackageOperation, ServicePackagePart
from .jobs import JobLine, JobLineEvent, PartLine, PayType
from .order import DamageMark, RepairOrder, RepairOrderEvent, Signature

__all__ = [
    "DamageMark",
    "JobLine",
    "JobLineEvent",
    "LabourOperation",
    "PartLine",
    "PayType",
    "RepairOrder",
    "RepairOrderEvent",
    "ServicePackage",
    "ServicePackageOperation",
    "ServicePackagePart",
    "Signature",
]
