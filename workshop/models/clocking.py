"""Time on jobs: a technician clocks on a job line and off again. Clocked hours (DESIGN.md §6) are the sum
of closed entries; an entry left running at the end of the day is closed by the nightly scan and flagged
for the foreman, never silently."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from repair_orders.models import JobLine
from servicedesk.accounts.models import Site


class TimeEntry(models.Model):
    class EndedBy(models.TextChoices):
        TECHNICIAN = "technician", _("Technician")
        PAUSE = "pause", _("Paused")
        FINISH = "finish", _("Job finished")
        FOREMAN = "foreman", _("Foreman")
        NIGHTLY_SCAN = "nightly_scan", _("Closed at the end of the day")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_entries",
                                   verbose_name=_("technician"))
    job_line = models.ForeignKey(JobLine, on_delete=models.PROTECT, related_name="time_entries",
                                 verbose_name=_("job"))
    started_at = models.DateTimeField(_("clocked on"))
    ended_at = models.DateTimeField(_("clocked off"), null=True, blank=True)
    ended_by = models.CharField(_("closed by"), max_length=12, choices=EndedBy.choices, blank=True)
    # Set by the nightly scan: the foreman checks the entry and corrects it (recorded as an event).
    needs_review = models.BooleanField(_("needs the foreman's review"), default=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("reviewed by"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        indexes = [
            # The nightly scan and "who is on the clock now": running entries only.
            models.Index(fields=["site", "started_at"], condition=Q(ended_at__isnull=True),
                         name="workshop_entry_running"),
            models.Index(fields=["technician", "started_at"], name="workshop_entry_technician"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                                   name="workshop_entry_ends_after_start"),
            # One running entry per job and technician, whatever the site allows for parallel jobs.
            models.UniqueConstraint(fields=["technician", "job_line"], condition=Q(ended_at__isnull=True),
                                    name="workshop_one_running_entry_per_job"),
        ]
        permissions = [
            ("clock_time", _("Can clock on and off jobs")),
            ("dispatch_jobs", _("Can dispatch jobs (the board)")),
            ("review_time", _("Can review and correct time entries")),
        ]

    def __str__(self) -> str:
        return f"{self.technician} {self.job_line_id} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def running(self) -> bool:
        return self.ended_at is None
