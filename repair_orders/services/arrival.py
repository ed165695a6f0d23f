"""An appointment's customer arrives: the booking is marked arrived and its repair order opened (DESIGN.md §2:
repair_orders uses appointments, not the other way round)."""

from django.db import transaction
from django.utils.translation import gettext as _

from appointments.models import Appointment
from appointments.services import appointment_check_in
from servicedesk.core.errors import ApplicationError

from ..models import RepairOrder
from .estimate import job_add_from_operation, job_add_from_package
from .reception import repair_order_open


@transaction.atomic
def repair_order_open_from_appointment(*, appointment: Appointment, actor, version: int | None = None) -> RepairOrder:
    """Check the appointment in and open its RO with the booked customer, vehicle, concern and services
    (a job line per package and per labour operation). The advisor is the booked one, else whoever checks in."""
    if appointment.customer_id is None or appointment.vehicle_id is None:
        raise ApplicationError(
            _("This booking has no customer and vehicle on file yet. Add them to the booking, then check in."),
            code="no_customer")
    arrived = appointment_check_in(appointment=appointment, actor=actor, version=version)
    packages = list(arrived.packages.all())
    repair_order = repair_order_open(
        site=arrived.site, customer=arrived.customer, vehicle=arrived.vehicle, advisor=arrived.advisor or actor,
        actor=actor, appointment_ref=arrived.pk, concerns=arrived.concern,
        ro_type=RepairOrder.Type.MAINTENANCE if packages else RepairOrder.Type.REPAIR)
    for package in packages:
        job_add_from_package(repair_order=repair_order, package=package, actor=actor)
    for operation in arrived.operations.all():
        job_add_from_operation(repair_order=repair_order, operation=operation, actor=actor)
    return repair_order
