"""Running an import job (in the Celery task): the dry run checks every row and writes nothing; the
real run writes every row in one transaction and rolls all of it back on any error.

The file is read in chunks of CHUNK_ROWS rows; after each chunk the number of rows processed goes to
the cache (the job's own row is inside the import's transaction, so the status page could not see it).
"""

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import SimpleNamespace

import tablib
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export.results import RowResult
from simple_history.models import HistoricalRecords

from servicedesk.core.errors import ApplicationError

from ..models_import import ImportJob
from . import reading
from .kinds import resource_class
from .rows import ROW

logger = logging.getLogger(__name__)

CHUNK_ROWS = 100
MAX_REPORTED_ERRORS = 500
PROGRESS_TIMEOUT = 24 * 3600
Status = ImportJob.Status


@dataclass
class Report:
    labels: dict  # column key -> its header in the file (or the column's name)
    errors: list = field(default_factory=list)
    error_rows: int = 0
    ok_rows: int = 0

    def add(self, row: int, errors: dict) -> None:
        self.error_rows += 1
        for key, messages in errors.items():
            for message in messages:
                if len(self.errors) < MAX_REPORTED_ERRORS:
                    self.errors.append({"row": row, "field": key, "column": self.labels.get(key, ""),
                                        "message": str(message)})


def run_job(job_id: int) -> None:
    """Run the job's dry run or real import once; a finished job is left alone."""
    claimed = ImportJob.objects.filter(pk=job_id, status__in=[Status.QUEUED, Status.RUNNING]).update(
        status=Status.RUNNING, started_at=timezone.now(), finished_at=None)
    if not claimed:
        return
    job = ImportJob.objects.select_related("site", "created_by").get(pk=job_id)
    failed = Status.DRY_RUN_FAILED if job.dry_run else Status.FAILED
    with translation.override(job.language), history_user(job.created_by):
        try:
            _run(job)
        except reading.FileRefused as refusal:
            _finish(job, failed, report={"file_error": refusal.message})
        except Exception:
            logger.exception("import job %s stopped", job_id)
            _finish(job, failed, report={"file_error": _(
                "The import stopped because of an unexpected error; nothing was imported. Try again, or ask "
                "IT to look at the log (import %(job)s).") % {"job": job_id}})


def _run(job: ImportJob) -> None:
    resource_type = resource_class(job.kind)
    source = reading.ImportFile(job.file, job.format, resource_type.columns)
    job.total_rows = source.scan()
    job.save(update_fields=["total_rows"])
    cache.set(job.progress_key, 0, PROGRESS_TIMEOUT)
    labels = {column.key: column.label() for column in resource_type.columns} | source.header.labels
    report = Report(labels=labels)
    extra = {"ignored_columns": source.header.ignored}
    resource = resource_type(site=job.site, actor=job.created_by, job_id=job.pk, write=not job.dry_run,
                             columns_in_file=source.header.labels)
    if job.dry_run:
        _import_rows(source, resource, report, job)
        extra |= resource.summary()
        status = Status.DRY_RUN_FAILED if report.error_rows else Status.DRY_RUN_OK
        _finish(job, status, report=_report_json(report, extra), valid_rows=report.ok_rows,
                error_rows=report.error_rows)
        return
    with transaction.atomic():
        # Locked for the whole import: a second delivery of the task waits here, then sees DONE.
        if ImportJob.objects.select_for_update().get(pk=job.pk).status != Status.RUNNING:
            return
        _import_rows(source, resource, report, job)
        extra |= resource.summary()
        if not report.error_rows:
            _finish(job, Status.DONE, report=_report_json(report, extra), valid_rows=report.ok_rows,
                    error_rows=0, created_count=report.ok_rows)
            return
        transaction.set_rollback(True)
    _finish(job, Status.FAILED, report=_report_json(report, extra), valid_rows=report.ok_rows,
            error_rows=report.error_rows, created_count=0)


def _import_rows(source, resource, report: Report, job: ImportJob) -> None:
    processed, chunk = 0, []
    for number, row in source.rows():
        chunk.append((number, row))
        if len(chunk) == CHUNK_ROWS:
            processed += _import_chunk(resource, chunk, report, write=not job.dry_run)
            cache.set(job.progress_key, processed, PROGRESS_TIMEOUT)
            chunk = []
    if chunk:
        processed += _import_chunk(resource, chunk, report, write=not job.dry_run)
        cache.set(job.progress_key, processed, PROGRESS_TIMEOUT)
    for number, errors in sorted(resource.finish().items()):
        report.add(number, errors)
        report.ok_rows -= 1


def _import_chunk(resource, chunk: list, report: Report, *, write: bool) -> int:
    keys = [column.key for column in resource.columns]
    dataset = tablib.Dataset(headers=[ROW, *keys])
    for number, row in chunk:
        dataset.append([number, *(row[key] for key in keys)])
    # With writes each row gets a savepoint, so one failing row does not spoil the rest of the report.
    result = resource.import_data(dataset, dry_run=False, use_transactions=write, raise_errors=False)
    if result.base_errors:
        raise result.base_errors[0].error
    numbers = [number for number, _row in chunk]
    for invalid in result.invalid_rows:
        report.add(numbers[invalid.number - 1], invalid.error_dict)
    for index, errors in result.row_errors():
        report.add(numbers[index - 1], {"": [_row_failure(error.error) for error in errors[:1]]})
    report.ok_rows += result.totals[RowResult.IMPORT_TYPE_NEW]
    return len(chunk)


def _row_failure(error: Exception) -> str:
    if isinstance(error, ApplicationError | ValidationError):
        return "; ".join(getattr(error, "messages", None) or [str(error)])
    logger.error("import row failed", exc_info=error)
    return _("This row could not be saved (%(error)s).") % {"error": type(error).__name__}


def _report_json(report: Report, extra: dict) -> dict:
    return {"errors": report.errors, "errors_truncated": len(report.errors) >= MAX_REPORTED_ERRORS, **extra}


def _finish(job: ImportJob, status: str, **values) -> None:
    for name, value in {"status": status, "finished_at": timezone.now(), **values}.items():
        setattr(job, name, value)
    job.save(update_fields=["status", "finished_at", *values])


@contextmanager
def history_user(user):
    """Attribute the import's history rows (simple_history) to the uploader, as a request would."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    if user is not None:
        context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is not None:
            context.request = previous
        elif hasattr(context, "request"):
            del context.request
