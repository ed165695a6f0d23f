"""Booking (预约): appointments and their trail, the workshop's capacity, and confirmation calls."""

from .booking import Appointment, AppointmentEvent, Channel, ConfirmationCall, Status
from .capacity import BookingSettings, DayCapacity, TechnicianAbsence, TechnicianShift

__all__ = [
    "Appointment", "AppointmentEvent", "BookingSettings", "Channel", "ConfirmationCall", "DayCapacity", "Status",
    "TechnicianAbsence", "TechnicianShift",
]
