from .clocking import TimeEntry
from .qc import ChecklistItem, ChecklistTemplate, Inspection, InspectionAnswer
from .resources import Bay, TechnicianProfile, WorkshopSettings

__all__ = [
    "Bay",
    "ChecklistItem",
    "ChecklistTemplate",
    "Inspection",
    "InspectionAnswer",
    "TechnicianProfile",
    "TimeEntry",
    "WorkshopSettings",
]
