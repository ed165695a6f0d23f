from .callbacks import CallAttempt, Callback, CallbackEvent
from .cases import Comeback, Complaint, ComplaintEvent
from .retention import LostVehicle, Reminder
from .rules import FollowupSettings
from .surveys import Department, Question, Survey, SurveyAnswer, SurveyMonthScore

__all__ = [
    "CallAttempt",
    "Callback",
    "CallbackEvent",
    "Comeback",
    "Complaint",
    "ComplaintEvent",
    "Department",
    "FollowupSettings",
    "LostVehicle",
    "Question",
    "Reminder",
    "Survey",
    "SurveyAnswer",
    "SurveyMonthScore",
]
