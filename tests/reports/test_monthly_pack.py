"""The monthly pack: due on the 3rd at 08:00 site time, created once however often the scan runs, the PDF
with its Chinese headings and charts, one email per manager through the outbox."""

import subprocess
from datetime import datetime

import pytest

from customers.models_messaging import OutboundMessage
from reports.models import MonthlyReport
from reports.services import monthly_report_generate, monthly_reports_create_due
from servicedesk.accounts.roles import SERVICE_MANAGER
from tests.factories import make_staff

from .dataset import SH


@pytest.fixture
def managers(site):
    first = make_staff(role=SERVICE_MANAGER, sites=[site], username="m1")
    second = make_staff(role=SERVICE_MANAGER, sites=[site], username="m2")
    for user, email in ((first, "m1@example.com"), (second, "m2@example.com")):
        user.email = email
        user.save()
    return first, second


def test_not_due_before_the_third_at_eight(site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        assert monthly_reports_create_due(as_of=datetime(2026, 12, 3, 7, 59, tzinfo=SH)) == 0
    assert not MonthlyReport.objects.exists()


def test_scan_twice_creates_one_report_and_sends_once(site, managers, django_capture_on_commit_callbacks):
    as_of = datetime(2026, 12, 3, 8, 0, tzinfo=SH)
    with django_capture_on_commit_callbacks(execute=True):
        assert monthly_reports_create_due(as_of=as_of) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert monthly_reports_create_due(as_of=as_of) == 0
    report = MonthlyReport.objects.get()
    assert f"{report.month:%Y-%m}" == "2026-11"
    assert report.generated_at is not None and report.pdf
    assert monthly_report_generate(report_id=report.pk) is False  # done already: nothing again
    mails = OutboundMessage.objects.filter(template_key="monthly_report")
    assert sorted(mails.values_list("recipient", flat=True)) == ["m1@example.com", "m2@example.com"]


def test_pdf_has_chinese_headings_and_charts(site, managers, tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        monthly_reports_create_due(as_of=datetime(2026, 12, 3, 9, tzinfo=SH))
    path = tmp_path / "report.pdf"
    path.write_bytes(MonthlyReport.objects.get().pdf.read())
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    for heading in ("满意度", "投诉", "流失", "车间", "业务"):
        assert heading in text
    assert "2026-11" in text
    # The charts' axes (0–100 in steps of 25) are drawn as text; in an empty month nothing else prints them.
    assert "25" in text and "75" in text
