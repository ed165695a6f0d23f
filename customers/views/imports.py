"""Import (dry run, then confirm) of the kinds of file the user may import; export of customers and vehicles.

Customers and vehicles need customers.import_archive; the catalogues (labour operations, service packages,
the parts catalogue) their own permissions, so the parts counter can import parts here too.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..importing import kinds
from ..importing.exporting import CONTENT_TYPES, RESOURCES, export_response, template_response
from ..importing.forms import ImportUploadForm
from ..importing.reading import MAX_ROWS
from ..models_import import ImportJob
from ..tasks import import_run
from .common import current_site, staff_view

RECENT_JOBS = 10
ARCHIVE_KINDS = {ImportJob.Kind.CUSTOMERS, ImportJob.Kind.VEHICLES}


def _importable_kinds(request) -> list[tuple[str, str]]:
    """The kinds the user may import; 403 when none."""
    allowed = kinds.kinds_for(request.user)
    if not allowed:
        raise PermissionDenied
    return allowed


@login_required
def import_start(request):
    allowed = _importable_kinds(request)
    site = current_site(request)
    if "template" in request.GET:
        if request.GET["template"] not in dict(allowed):
            raise Http404
        return template_response(request.GET["template"])
    form = ImportUploadForm(request.POST or None, request.FILES or None, kinds=allowed)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            site=site, created_by=request.user, kind=form.cleaned_data["kind"], file=upload,
            original_name=upload.name[:200], format=form.cleaned_data["format"], language=get_language(),
        )
        import_run.delay(job.pk)
        return redirect("customers:import_status", pk=job.pk)
    return render(request, "customers/import_start.html", {
        "form": form,
        "columns": [(kind, label, kinds.columns_of(kind)) for kind, label in allowed],
        "archive_kinds": bool(ARCHIVE_KINDS & set(dict(allowed))),
        "catalogue_kinds": bool(set(dict(allowed)) - ARCHIVE_KINDS),
        "max_rows": MAX_ROWS,
        "jobs": ImportJob.objects.filter(site=site, kind__in=dict(allowed)).select_related(
            "created_by")[:RECENT_JOBS],
    })


@login_required
def import_status(request, pk):
    _importable_kinds(request)
    site = current_site(request)
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk, site=site)
    if not kinds.may_import(request.user, job.kind):
        raise PermissionDenied
    if request.method == "POST":
        return _confirm(request, job)
    processed = cache.get(job.progress_key, 0) if job.status == ImportJob.Status.RUNNING else 0
    context = {
        "job": job,
        "processed": processed,
        "percent": min(100, processed * 100 // job.total_rows) if job.total_rows else 0,
        "file_error": job.report.get("file_error", ""),
        "errors": job.report.get("errors", []),
        "list_url": _list_url(job.kind),
    }
    template = "customers/import_status_panel.html" if request.htmx else "customers/import_status.html"
    return render(request, template, context)


def _list_url(kind: str) -> str:
    """Where the imported records are listed, when that screen exists."""
    try:
        return reverse(kinds.resource_class(kind).list_url_name)
    except NoReverseMatch:
        return ""


def _confirm(request, job):
    """The real import of a file whose dry run passed; a second click does nothing."""
    started = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.DRY_RUN_OK).update(
        status=ImportJob.Status.QUEUED, dry_run=False, report={}, language=get_language())
    if started:
        import_run.delay(job.pk)
    else:
        messages.error(request, _("This file can only be imported once, after a check without errors."))
    return redirect("customers:import_status", pk=job.pk)


@staff_view("customers.export_archive")
def export(request, kind, fmt):
    if kind not in RESOURCES or fmt not in CONTENT_TYPES:
        raise Http404
    return export_response(kind, fmt, current_site(request))
