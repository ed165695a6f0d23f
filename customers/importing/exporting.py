"""Export of the site's customers or vehicles with the headers the import reads (so it re-imports).

CSV is streamed row by row (UTF-8 with a BOM so Excel shows Chinese correctly); XLSX is written by
openpyxl's write-only workbook to a temporary file, then streamed. Cells that look like a formula
get a leading ' so Excel does not run them; the import takes it off again.
"""

import csv
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation

from .columns import COLUMNS, escape_formula, headers
from .kinds import columns_of
from .resources import CustomerResource, VehicleResource

RESOURCES = {"customers": CustomerResource, "vehicles": VehicleResource}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class _Echo:
    def write(self, value):
        return value


def _rows(kind: str, site, language: str):
    """Header, then one row per record; labels (个人, 是...) in `language`, even while streaming."""
    resource = RESOURCES[kind](site=site)
    yield headers(COLUMNS[kind], language)
    for record in resource.iter_queryset(resource.get_queryset()):
        with translation.override(language):
            row = [escape_formula(str(value)) for value in resource.export_resource(record)]
        yield row


def _filename(kind: str, site, fmt: str) -> str:
    return f"{kind}-{site.code}-{timezone.localdate():%Y%m%d}.{fmt}"


def export_response(kind: str, fmt: str, site):
    filename = _filename(kind, site, fmt)
    language = translation.get_language()
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_lines(kind, site, language), content_type=CONTENT_TYPES["csv"])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(_xlsx_file(kind, site, language), as_attachment=True, filename=filename,
                        content_type=CONTENT_TYPES["xlsx"])


def _csv_lines(kind: str, site, language: str):
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in _rows(kind, site, language):
        yield writer.writerow(row)


def _xlsx_file(kind: str, site, language: str):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(kind)
    for row in _rows(kind, site, language):
        sheet.append(row)
    file = tempfile.TemporaryFile()
    workbook.save(file)
    file.seek(0)
    return file


def template_response(kind: str):
    """An empty CSV with the headers of the user's language, to fill in and upload."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(["\ufeff", writer.writerow(headers(columns_of(kind)))],
                                     content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
    return response
