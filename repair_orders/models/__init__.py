from .catalogue import LabourOperation, ServicePackage, ServicePackageOperation, ServicePackagePart

__all__ = ["LabourOperation", "ServicePackage", "ServicePackageOperation", "ServicePackagePart"]
