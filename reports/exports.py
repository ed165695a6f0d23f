"""Any report table as CSV (UTF-8 with BOM, so Excel opens Chinese correctly) or XLSX (openpyxl)."""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook

from .tables import Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    return value if isinstance(value, (int, float)) or value is None else str(value)


def table_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(h) for h in table.headers])
    writer.writerows([[str(c) for c in row] for row in table.rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = str(table.title)[:31]
    sheet.append([str(h) for h in table.headers])
    for row in table.rows:
        sheet.append([_cell(c) for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_response(table: Table, file_format: str, filename: str) -> HttpResponse:
    if file_format == "xlsx":
        response = HttpResponse(table_xlsx(table), content_type=XLSX)
    else:
        response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
        file_format = "csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
