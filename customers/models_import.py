"""An uploaded file (customers or vehicles from the old DMS, or a catalogue): first checked (dry run), then
imported. customers/importing/kinds.py says which resource reads each kind."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicedesk.accounts.models import Site


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        CUSTOMERS = "customers", _("Customers")
        VEHICLES = "vehicles", _("Vehicles")
        LABOUR = "labour", _("Labour operations")
        PACKAGES = "packages", _("Service packages")
        PARTS = "parts", _("Parts catalogue")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (.xlsx)"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DRY_RUN_OK = "dry_run_ok", _("Checked: ready to import")
        DRY_RUN_FAILED = "dry_run_failed", _("Checked: has errors")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed: nothing imported")

    FINISHED = frozenset({Status.DRY_RUN_OK, Status.DRY_RUN_FAILED, Status.DONE, Status.FAILED})

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("uploaded by"))
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    language = models.CharField(max_length=10, default="zh-hans")  # of the messages in the report
    dry_run = models.BooleanField(_("check only"), default=True)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    valid_rows = models.PositiveIntegerField(_("rows without errors"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    # {"file_error": str, "errors": [{"row", "field", "column", "message"}], "ignored_columns": [...]}
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["site", "-created_at"], name="importjob_site_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def can_confirm(self) -> bool:
        return self.status == self.Status.DRY_RUN_OK

    @property
    def progress_key(self) -> str:
        return import_progress_key(self.pk)


def import_progress_key(job_id: int) -> str:
    """Cache key of the rows processed so far (the job's row is inside the import's transaction)."""
    return f"customers:import:{job_id}:processed"
