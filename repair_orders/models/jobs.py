"""Job lines of a repair order (labour, with their parts lines) and each line's state trail.

Amounts are on the site's price basis (VAT-inclusive when `site.prices_include_vat`); the RO's totals are
computed by repair_orders.services.totals, never stored.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parts.models import Part, Reservation, Shortage
from servicedesk.core.models import AppendOnly

from ..workflow import JobState
from .catalogue import LabourOperation, ServicePackage
from .order import RepairOrder

MONEY = {"max_digits": 12, "decimal_places": 2}


class PayType(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    WARRANTY = "warranty", _("Warranty (maker)")
    INTERNAL = "internal", _("Internal")


class JobLine(models.Model):
    class PauseReason(models.TextChoices):
        WAITING_PARTS = "waiting_parts", _("Waiting for parts")
        WAITING_CUSTOMER = "waiting_customer", _("Waiting for the customer")
        END_OF_SHIFT = "end_of_shift", _("End of shift")

    repair_order = models.ForeignKey(RepairOrder, on_delete=models.CASCADE, related_name="jobs")
    operation = models.ForeignKey(LabourOperation, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("labour operation"))
    package = models.ForeignKey(ServicePackage, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("service package"))
    description = models.CharField(_("description"), max_length=200)
    pay_type = models.CharField(_("pay type"), max_length=10, choices=PayType.choices, default=PayType.CUSTOMER)
    hours = models.DecimalField(_("flat-rate hours"), max_digits=6, decimal_places=2, default=Decimal("0"))
    labour_price = models.DecimalField(_("labour price"), **MONEY, default=Decimal("0.00"))
    # A package's fixed price is kept as a discount spread over its lines (negative: it costs more).
    discount = models.DecimalField(_("discount"), **MONEY, default=Decimal("0.00"))
    # Billed instead of the line when it is declined or still waiting for the diagnosis.
    diagnostic_fee = models.DecimalField(_("diagnostic fee"), **MONEY, default=Decimal("0.00"))
    state = models.CharField(_("state"), max_length=20, choices=JobState.choices, default=JobState.PROPOSED)
    additional = models.BooleanField(_("additional work"), default=False)
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="assigned_jobs", verbose_name=_("technician"))
    bay = models.ForeignKey("workshop.Bay", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("bay"))
    # Order of the technician's queue on the dispatch board (lower first).
    queue_position = models.PositiveIntegerField(_("queue position"), default=0)
    started_at = models.DateTimeField(_("first clocked on"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Kept by the workshop's clocking services so boards read progress without summing time entries:
    # hours of closed entries, and since when someone is clocked on (blank when nobody is).
    clocked_hours = models.DecimalField(_("clocked hours"), max_digits=7, decimal_places=2, default=Decimal("0"))
    clocked_on_since = models.DateTimeField(_("clocked on since"), null=True, blank=True)
    pause_reason = models.CharField(_("paused because"), max_length=20, choices=PauseReason.choices, blank=True)
    rework_count = models.PositiveSmallIntegerField(_("rework"), default=0)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("job line")
        verbose_name_plural = _("job lines")
        indexes = [
            models.Index(fields=["repair_order", "state"], name="job_ro_state"),
            # The technician's screen and the board's rows: open jobs of a technician.
            models.Index(fields=["technician", "state"], name="job_technician_state"),
            # workshop.kpis sold hours and the monthly report: jobs finished in a period (done or QC passed).
            models.Index(fields=["finished_at"], condition=Q(state__in=["done", "passed"]), name="job_finished_sold"),
            # The monthly report's advisors' table: additional work proposed and accepted in the month.
            models.Index(fields=["created_at"], include=["repair_order", "approved_at"], condition=Q(additional=True),
                         name="job_report_additional"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="job_hours_not_negative"),
            models.CheckConstraint(condition=Q(labour_price__gte=0), name="job_price_not_negative"),
            models.CheckConstraint(condition=Q(diagnostic_fee__gte=0), name="job_fee_not_negative"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def waiting_parts(self) -> bool:
        """A part of this job could not be reserved and has not arrived yet (prefetch part_lines__shortage)."""
        waiting = {Shortage.Status.OPEN, Shortage.Status.ORDERED}
        return any(line.shortage_id and line.shortage.status in waiting for line in self.part_lines.all())


class JobLineEvent(AppendOnly):
    job_line = models.ForeignKey(JobLine, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["at", "pk"]


class PartLine(models.Model):
    class Source(models.TextChoices):
        OEM = "oem", _("OEM")
        AFTERMARKET = "aftermarket", _("Aftermarket")
        # Printed on the work order: customer-supplied parts carry no warranty.
        CUSTOMER_SUPPLIED = "customer_supplied", _("Customer-supplied")

    job_line = models.ForeignKey(JobLine, on_delete=models.CASCADE, related_name="part_lines")
    # Blank only for a customer-supplied part that is not in the catalogue (then `description` says what).
    part = models.ForeignKey(Part, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("part"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit_price = models.DecimalField(_("unit price"), **MONEY, default=Decimal("0.00"))
    discount = models.DecimalField(_("discount"), **MONEY, default=Decimal("0.00"))
    taxable = models.BooleanField(_("VAT applies"), default=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.OEM)
    reservation = models.ForeignKey(Reservation, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("reservation"))
    shortage = models.ForeignKey(Shortage, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("shortage"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("parts line")
        verbose_name_plural = _("parts lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="part_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="part_line_price_not_negative"),
            models.CheckConstraint(condition=Q(part__isnull=False) | Q(source="customer_supplied"),
                                   name="part_line_catalogue_part_unless_supplied"),
        ]

    def __str__(self) -> str:
        return f"{self.part or self.description} × {self.quantity}"
