"""Import and export of the archive (placeholder: being built)."""

from django.http import HttpResponse

from .common import staff_view


@staff_view("customers.import_archive")
def import_start(request):
    return HttpResponse("import")


@staff_view("customers.import_archive")
def import_status(request, pk):
    return HttpResponse("status")


@staff_view("customers.export_archive")
def export(request, kind, fmt):
    return HttpResponse("export")
