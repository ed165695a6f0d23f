"""The customer's mobile page behind the texted link: lines with prices and photos, approve or decline each;
tampered, expired and unknown links, answered lines, rate limit, constant queries; and the staff panel."""

from decimal import Decimal
from unittest import mock

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from repair_orders import links
from repair_orders.models import CustomerAnswer, JobLine, Photo, RepairOrderEvent
from repair_orders.services import additional_work_record_answer, approval_link_send, part_line_add
from repair_orders.workflow import JobState
from servicedesk.accounts.roles import SERVICE_MANAGER, TECHNICIAN
from tests.factories import SiteFactory, make_staff

from .conftest import make_part
from .test_additional import approved_ro, report
from .test_photos import jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def link_for(repair_order):
    line_ids = JobLine.objects.filter(repair_order=repair_order, additional=True).values_list("pk", flat=True)
    return links.approval_path(links.make_token(repair_order, line_ids))


@pytest.fixture
def finding(site, advisor, technician):
    repair_order = approved_ro(site, advisor)
    job = report(repair_order, technician, photos=[jpeg_bytes()])
    return repair_order, job


def test_the_page_lists_the_lines_with_prices_and_photos(client, finding):
    repair_order, job = finding
    link = link_for(repair_order)  # once: the signed token carries the second it was made
    response = client.get(link)
    assert response.status_code == 200
    page = response.content.decode()
    assert job.description in page and "300.00" in page and repair_order.vehicle.plate in page
    photo = job.photos.get()
    photo_url = reverse("ro_public:photo", kwargs={"token": link.split("/")[2],
                                                   "photo_id": photo.pk})
    assert photo_url in page
    image = client.get(photo_url)
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"


def test_approving_on_the_page_records_time_ip_and_channel(client, finding):
    repair_order, job = finding
    url = link_for(repair_order)
    response = client.post(url, {"answer": f"approve:{job.pk}"}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302 and response.url == url
    job.refresh_from_db()
    assert job.state == JobState.APPROVED
    answer = CustomerAnswer.objects.get(job_line=job)
    assert (answer.channel, answer.ip_address, answer.recorded_by, answer.amount) == (
        "sms_link", "203.0.113.7", None, Decimal("300.00"))
    assert answer.customer_name == repair_order.customer.name
    event = RepairOrderEvent.objects.get(repair_order=repair_order, kind="additional_answered")
    assert event.actor is None and event.data["ip_address"] == "203.0.113.7"
    page = client.get(url).content.decode()
    assert 'name="answer"' not in page and "mb-0 py-2 answer" in page  # the answer shows, not the buttons


def test_declining_on_the_page(client, finding):
    repair_order, job = finding
    client.post(link_for(repair_order), {"answer": f"decline:{job.pk}"})
    job.refresh_from_db()
    assert job.state == JobState.DECLINED


def test_a_line_answered_by_the_advisor_meanwhile_shows_the_answer(client, finding, advisor):
    repair_order, job = finding
    url = link_for(repair_order)
    additional_work_record_answer(job_line=job, approved=False, customer_name="张三", channel="phone",
                                  amount="300", actor=advisor)
    response = client.post(url, {"answer": f"approve:{job.pk}"})
    assert response.status_code == 400 and 'id="approval-error"' in response.content.decode()
    job.refresh_from_db()
    assert job.state == JobState.DECLINED and CustomerAnswer.objects.count() == 1


def test_a_line_not_named_by_the_link_cannot_be_answered(client, finding, technician):
    repair_order, _job = finding
    url = link_for(repair_order)
    later = report(repair_order, technician)
    assert client.post(url, {"answer": f"approve:{later.pk}"}).status_code == 400
    later.refresh_from_db()
    assert later.state == JobState.PROPOSED


def test_a_tampered_link_gets_a_clear_page(client, finding):
    repair_order, _job = finding
    url = link_for(repair_order)
    tampered = url[:-3] + ("A" if url[-3] != "A" else "B") + url[-2:]
    response = client.get(tampered)
    assert response.status_code == 400 and "public-message-title" in response.content.decode()
    assert client.post(tampered, {"answer": "approve:1"}).status_code == 400


def test_an_expired_link_gets_a_clear_page(client, finding):
    repair_order, _job = finding
    url = link_for(repair_order)
    with mock.patch("django.core.signing.time.time", return_value=signing.time.time() + 49 * 3600):
        response = client.get(url)
    assert response.status_code == 410 and "public-message-title" in response.content.decode()


def test_a_link_to_an_ro_that_is_gone(client, site, advisor):
    other = SiteFactory(code="GZ01")
    token = signing.dumps({"r": 999999, "s": other.pk, "j": [1]}, salt=links.SALT, compress=True)
    assert client.get(reverse("ro_public:approval", kwargs={"token": token})).status_code == 404


def test_requests_from_one_address_are_rate_limited(client, finding):
    repair_order, _job = finding
    url = link_for(repair_order)
    with mock.patch("repair_orders.views.public.REQUESTS_PER_HOUR", 3):
        statuses = [client.get(url).status_code for _ in range(4)]
        other_address = client.get(url, REMOTE_ADDR="198.51.100.1").status_code
    assert statuses == [200, 200, 200, 429] and other_address == 200


def test_photos_of_other_lines_are_not_reachable_through_a_link(client, finding, technician):
    repair_order, _job = finding
    url = link_for(repair_order)
    token = url.split("/")[2]
    later = report(repair_order, technician, photos=[jpeg_bytes()])
    photo = Photo.objects.get(job_line=later)
    assert client.get(reverse("ro_public:photo", kwargs={"token": token, "photo_id": photo.pk})).status_code == 404


def test_the_page_runs_the_same_queries_for_one_line_or_five(client, site, advisor, technician):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for lines in (1, 5):
        repair_order = approved_ro(site, advisor)
        for _ in range(lines):
            job = report(repair_order, technician, photos=[jpeg_bytes()])
            part_line_add(job_line=job, part=make_part(site, f"P-{lines}-{job.pk}"), quantity=1, actor=advisor)
        url = link_for(repair_order)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    # RO with site, customer and vehicle; lines with answers; parts lines; parts; photos
    assert counts[0] == counts[1] == 5, counts


def test_the_link_sent_by_the_advisor_opens_the_page(client, finding, advisor):
    repair_order, job = finding
    message = approval_link_send(repair_order=repair_order, actor=advisor)
    path = "/" + message.text.split("/", 3)[3]
    assert client.get(path).status_code == 200


# ---------------------------------------------------------------- the staff panel

def other_site_object(kind: str, site):
    """For tests/test_permission_harness.py: a photo or a discount request of `site`."""
    from repair_orders.services import damage_mark_add, job_add_free_text, job_line_set_discount, photo_attach
    from servicedesk.accounts.roles import ADVISOR

    from .helpers import open_ro

    advisor = make_staff(role=ADVISOR, sites=[site])
    repair_order = open_ro(site, advisor)
    if kind == "ro_photo":
        mark = damage_mark_add(repair_order=repair_order, x=1, y=1, kind="dent", actor=advisor)
        return photo_attach(damage_mark=mark, image=jpeg_bytes(), actor=advisor)
    job = job_add_free_text(repair_order=repair_order, description="x", labour_price="100", actor=advisor)
    return job_line_set_discount(job_line=job, percent="50", actor=advisor).request


def test_the_panel_shows_lines_and_records_an_answer(client, finding, advisor):
    repair_order, job = finding
    client.force_login(advisor)
    panel = client.get(reverse("ro_additional:panel", args=[repair_order.pk]))
    assert panel.status_code == 200 and job.description in panel.content.decode()
    response = client.post(reverse("ro_additional:answer", args=[repair_order.pk]), {
        "job_line": job.pk, "approved": "yes", "customer_name": "张三", "channel": "phone", "amount": "300.00"},
        HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "张三" in response.content.decode()
    job.refresh_from_db()
    assert job.state == JobState.APPROVED


def test_the_panel_sends_the_link_and_moves_the_promised_time(client, finding, advisor):
    repair_order, _job = finding
    client.force_login(advisor)
    response = client.post(reverse("ro_additional:send_link", args=[repair_order.pk]))
    assert response.status_code == 302
    assert RepairOrderEvent.objects.filter(repair_order=repair_order, kind="approval_link_sent").exists()
    response = client.post(reverse("ro_additional:promised_time", args=[repair_order.pk]),
                           {"promised_at": "2030-01-02T17:30", "agreed_by": "张三"})
    assert response.status_code == 302
    repair_order.refresh_from_db()
    assert repair_order.promised_at is not None and repair_order.promised_at.year == 2030


def test_a_photo_upload_through_the_panel(client, finding, advisor):
    repair_order, job = finding
    client.force_login(advisor)
    upload = SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = client.post(reverse("ro_additional:photo_upload", args=[repair_order.pk]),
                           {"job_line": job.pk, "photo": upload})
    assert response.status_code == 302 and job.photos.count() == 2
    photo = job.photos.last()
    assert client.get(reverse("ro_additional:photo", args=[photo.pk])).status_code == 200
    bad = SimpleUploadedFile("p.jpg", b"nope", content_type="image/jpeg")
    client.post(reverse("ro_additional:photo_upload", args=[repair_order.pk]), {"job_line": job.pk, "photo": bad})
    assert job.photos.count() == 2


def test_a_technician_may_look_but_not_answer(client, finding, site):
    repair_order, job = finding
    client.force_login(make_staff(role=TECHNICIAN, sites=[site]))
    assert client.get(reverse("ro_additional:panel", args=[repair_order.pk])).status_code == 200
    assert client.post(reverse("ro_additional:answer", args=[repair_order.pk]), {}).status_code == 403


def test_a_manager_decides_a_discount_request_in_the_panel(client, finding, advisor, site):
    from repair_orders.services import job_line_set_discount

    repair_order, job = finding
    outcome = job_line_set_discount(job_line=job, percent="20", actor=advisor)
    client.force_login(make_staff(role=SERVICE_MANAGER, sites=[site]))
    panel = client.get(reverse("ro_additional:panel", args=[repair_order.pk])).content.decode()
    assert f"discount-request-{outcome.request.pk}" in panel
    response = client.post(reverse("ro_additional:discount_decide", args=[outcome.request.pk]),
                           {"decision": "approve"})
    assert response.status_code == 302
    outcome.request.refresh_from_db()
    assert outcome.request.status == "approved"
