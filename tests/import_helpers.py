"""Uploading a file to the import screen and confirming it, for the catalogue import tests."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook

from customers.models_import import ImportJob


def csv_upload(headers, rows, *, encoding="utf-8-sig", name="data.csv"):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(encoding), content_type="text/csv")


def xlsx_upload(headers, rows, name="data.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def run_tasks(action):
    """Tasks are enqueued after commit; run them (eagerly) when the request's work is done."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return action()


def upload(client, kind, file) -> ImportJob:
    """Upload for a dry run; the job as it finished."""
    response = run_tasks(lambda: client.post(reverse("customers:import"), {"kind": kind, "file": file}))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    job = ImportJob.objects.latest("pk")
    assert response["Location"] == reverse("customers:import_status", args=[job.pk])
    job.refresh_from_db()
    return job


def confirm(client, job) -> ImportJob:
    run_tasks(lambda: client.post(reverse("customers:import_status", args=[job.pk])))
    job.refresh_from_db()
    return job


def errors_by_row(job) -> dict[int, list[tuple[str, str]]]:
    """{row: [(field, message)]} of the job's report."""
    found = {}
    for error in job.report["errors"]:
        found.setdefault(error["row"], []).append((error["field"], error["message"]))
    return found
