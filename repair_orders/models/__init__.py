from .additional import (
    AnswerChannel,
    CustomerAnswer,
    DiscountRequest,
    LineDiscount,
    Photo,
    RecommendationOffer,
)
from .catalogue import LabourOperation, ServicePackage, ServicePackageOperation, ServicePackagePart
from .jobs import JobLine, JobLineEvent, PartLine, PayType
from .order import DamageMark, RepairOrder, RepairOrderEvent, Signature

__all__ = [
    "AnswerChannel",
    "CustomerAnswer",
    "DamageMark",
    "DiscountRequest",
    "JobLine",
    "JobLineEvent",
    "LabourOperation",
    "LineDiscount",
    "PartLine",
    "PayType",
    "Photo",
    "RecommendationOffer",
    "RepairOrder",
    "RepairOrderEvent",
    "ServicePackage",
    "ServicePackageOperation",
    "ServicePackagePart",
    "Signature",
]
