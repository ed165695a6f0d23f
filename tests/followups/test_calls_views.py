"""The calls screens and API: the queue (filters, paging, a constant number of queries), the call screen
(claim, attempt, survey with its messages), the advisor's list, complaints (owners see theirs, care and the
manager all; resolve), comeback reports; who reaches which page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followups.models import Callback, Comeback, Complaint
from followups.services.callbacks import callback_claim, callback_complete
from followups.services.complaints import complaint_open
from servicedesk.accounts.roles import CUSTOMER_CARE, ROLE_LABELS
from tests.factories import make_staff

from .calls_helpers import delivered_ro, make_callback, scores

pytestmark = pytest.mark.django_db
QUEUE, MINE = reverse("followups:queue"), reverse("followups:my_calls")
COMPLAINTS, COMEBACKS = reverse("followups:complaint_list"), reverse("followups:comeback_list")


def rows(page, kind: str) -> int:
    """How many rows of `kind` ("call", "complaint") a page or response shows."""
    html = page if isinstance(page, str) else page.content.decode()
    return len(re.findall(rf'id="{kind}-\d+"', html))


@pytest.fixture
def care_client(client, care):
    client.force_login(care)
    return client


def many_calls(site, advisor, n=4):
    calls = []
    for i in range(n):
        repair_order = delivered_ro(site, advisor)
        calls.append(make_callback(repair_order, due_in_hours=i - 2, attempts=i % 3))
    return calls


def test_the_queue_lists_and_filters_in_constant_queries(care_client, care, site, advisor, django_assert_num_queries):
    calls = many_calls(site, advisor)
    make_callback(calls[0].repair_order, kind=Callback.Kind.ADVISOR_72H, assignee=advisor)  # the advisor's list
    callback_claim(callback=calls[3], actor=care)
    care_client.get(QUEUE)  # the user's access (permissions, roles, sites) read once, then cached
    # session, user, count, page
    with django_assert_num_queries(4):
        html = care_client.get(QUEUE).content.decode()
    assert all(f'id="call-{c.pk}"' in html for c in calls) and rows(html, "call") == 4
    assert html.index(f"call-{calls[0].pk}") < html.index(f"call-{calls[1].pk}")  # by due time
    assert "bg-danger" in html  # overdue marked
    many_calls(site, advisor, n=6)
    care_client.get(QUEUE)  # new staff renewed the access stamp
    with django_assert_num_queries(4):
        care_client.get(QUEUE)
    overdue = care_client.get(QUEUE, {"overdue": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert rows(overdue, "call") == 6 and "<html" not in overdue  # rows only for htmx (due -2 h, -1 h, now)
    assert rows(care_client.get(QUEUE, {"attempts": "1"}), "call") == 3
    assert rows(care_client.get(QUEUE, {"mine": "1"}), "call") == 1
    assert rows(care_client.get(QUEUE, {"kind": "maintenance"}), "call") == 0


def test_the_advisor_sees_their_72_hour_calls(client, advisor, delivered, site):
    own = make_callback(delivered, kind=Callback.Kind.ADVISOR_72H, assignee=advisor)
    queue_call = make_callback(delivered)
    client.force_login(advisor)
    assert client.get(QUEUE).url == MINE
    html = client.get(MINE).content.decode()
    assert f'id="call-{own.pk}"' in html and f'id="call-{queue_call.pk}"' not in html
    assert client.get(reverse("followups:call", args=[queue_call.pk])).status_code == 404
    assert client.post(reverse("followups:claim", args=[own.pk])).url == reverse("followups:call", args=[own.pk])


def test_a_claim_by_a_second_agent_is_refused_with_a_message(client, csi_call, care, site):
    callback_claim(callback=csi_call, actor=care)
    other = make_staff(role=CUSTOMER_CARE, sites=[site], username="care2")
    client.force_login(other)
    response = client.post(reverse("followups:claim", args=[csi_call.pk]), HTTP_REFERER=QUEUE, follow=True)
    assert "care" in response.content.decode() and 'id="call-table"' in response.content.decode()
    screen = client.get(reverse("followups:call", args=[csi_call.pk])).content.decode()
    assert 'id="claimed-elsewhere"' in screen and 'id="survey-form"' not in screen


def test_the_call_screen_records_an_attempt_then_the_survey(care_client, csi_call, care, advisor, questions):
    call_url = reverse("followups:call", args=[csi_call.pk])
    assert care_client.post(reverse("followups:claim", args=[csi_call.pk])).url == call_url
    screen = care_client.get(call_url).content.decode()
    assert csi_call.repair_order.number in screen and csi_call.customer.mobile in screen
    assert questions[0].text in screen and 'id="attempt-form"' in screen
    blank = care_client.post(reverse("followups:attempt", args=[csi_call.pk]), {"version": 2})
    assert "选择" in blank.content.decode() or "Choose what happened" in blank.content.decode()
    response = care_client.post(reverse("followups:attempt", args=[csi_call.pk]),
                                {"outcome": "no_answer", "version": 2}, follow=True)
    assert response.redirect_chain[-1][0] == QUEUE
    csi_call.refresh_from_db()
    assert (csi_call.attempts, csi_call.status) == (1, "open")

    no_overall = care_client.post(reverse("followups:complete", args=[csi_call.pk]), {"version": csi_call.version})
    assert 'id="survey-errors"' in no_overall.content.decode()
    form = {f"q_{pk}": score for pk, score in scores(repair_quality=2).items()}
    overall_pk = next(q.pk for q in questions if q.code == "overall")
    form.update({"overall": 3, "recommend": 6, "verbatim": "刹车还有点软", "version": csi_call.version})
    del form[f"q_{overall_pk}"]
    response = care_client.post(reverse("followups:complete", args=[csi_call.pk]), form, follow=True)
    complaint = Complaint.objects.get()
    assert f"no. {complaint.pk}" in response.content.decode() or f"{complaint.pk}" in response.content.decode()
    csi_call.refresh_from_db()
    assert csi_call.status == "done" and csi_call.survey.overall == 3 and complaint.department == "workshop"
    done = care_client.get(call_url).content.decode()
    assert 'id="survey-result"' in done and 'id="opened-complaint"' in done


def test_complaints_owners_see_theirs_care_and_manager_all(client, site, advisor, foreman, manager, care,
                                                           delivered, django_assert_num_queries):
    mine = [complaint_open(site=site, customer=delivered.customer, repair_order=delivered, department="reception",
                           description=f"接待问题{i}", actor=care) for i in range(3)]
    theirs = complaint_open(site=site, customer=delivered.customer, department="workshop", description="质量问题",
                            actor=care)
    client.force_login(advisor)
    html = client.get(COMPLAINTS).content.decode()
    assert all(f'id="complaint-{c.pk}"' in html for c in mine) and f'id="complaint-{theirs.pk}"' not in html
    assert client.get(reverse("followups:complaint_detail", args=[theirs.pk])).status_code == 404
    client.force_login(manager)
    # session, user, user perms, group perms, roles (works_queue), current site, profile, count, page
    with django_assert_num_queries(9):
        html = client.get(COMPLAINTS).content.decode()
    assert rows(html, "complaint") == 4
    assert rows(client.get(COMPLAINTS, {"department": "workshop"}), "complaint") == 1
    Complaint.objects.filter(pk=theirs.pk).update(deadline=timezone.now() - timedelta(hours=1))
    assert rows(client.get(COMPLAINTS, {"overdue": "1"}), "complaint") == 1
    assert rows(client.get(COMPLAINTS, {"status": "closed"}), "complaint") == 0
    client.force_login(foreman)
    page = client.get(reverse("followups:complaint_detail", args=[theirs.pk])).content.decode()
    assert 'id="resolve-form"' in page
    blank = client.post(reverse("followups:complaint_resolve", args=[theirs.pk]), {"resolution": ""})
    assert 'id="resolve-form"' in blank.content.decode() and Complaint.objects.get(pk=theirs.pk).status == "open"
    stale = client.post(reverse("followups:complaint_resolve", args=[theirs.pk]),
                        {"resolution": "返工", "version": theirs.version - 1 if theirs.version > 1 else 99})
    assert "Reload" in stale.content.decode() or "重新" in stale.content.decode()
    done = client.post(reverse("followups:complaint_resolve", args=[theirs.pk]),
                       {"resolution": "免费返工", "version": theirs.version}, follow=True)
    assert 'id="complaint-resolution"' in done.content.decode()
    assert Callback.objects.filter(dedupe_key=f"complaint:{theirs.pk}:recheck:1").exists()


def test_the_comebacks_list_links_to_the_prefilled_walk_in(manager_client, csi_call, care, questions,
                                                           django_assert_num_queries):
    callback_complete(callback=csi_call, actor=care, overall=5, fault_back=True, verbatim="故障又出现")
    comeback = Comeback.objects.get()
    # session, user, user perms, group perms, roles (navigation), current site, profile, count, page
    with django_assert_num_queries(9):
        html = manager_client.get(COMEBACKS).content.decode()
    assert f'id="open-comeback-{comeback.pk}"' in html and "ro_type=comeback" in html
    manager_client.post(reverse("followups:comeback_close", args=[comeback.pk]))
    comeback.refresh_from_db()
    assert comeback.status == Comeback.Status.CLOSED


PAGES = {
    MINE: {"advisor", "customer_care", "service_manager"},
    COMPLAINTS: {"advisor", "foreman", "parts_clerk", "cashier", "customer_care", "service_manager"},
    COMEBACKS: {"advisor", "customer_care", "service_manager"},
}


@pytest.mark.parametrize("url, allowed", PAGES.items())
def test_every_role_reaches_only_its_pages(client, site, url, allowed):
    for role in ROLE_LABELS:
        client.force_login(make_staff(role=role, sites=[site]))
        assert client.get(url).status_code == (200 if role in allowed else 403), (role, url)


def test_the_queue_is_customer_cares_and_the_managers(client, site):
    for role in ROLE_LABELS:
        client.force_login(make_staff(role=role, sites=[site]))
        status = client.get(QUEUE).status_code
        expected = {"customer_care": 200, "service_manager": 200, "advisor": 302}.get(role, 403)
        assert status == expected, (role, status)


# ---------------------------------------------------------------- API

def test_the_api_claims_attempts_and_completes(care_client, csi_call, site, questions):
    api = f"/api/v1/callbacks/{csi_call.pk}"
    listed = care_client.get("/api/v1/callbacks/", {"status": "open", "kind": "csi_3day"}).json()
    assert [row["id"] for row in listed["results"]] == [csi_call.pk]
    claimed = care_client.post(f"{api}/claim/").json()
    assert claimed["status"] == "claimed" and claimed["version"] == 2
    other = make_staff(role=CUSTOMER_CARE, sites=[site], username="care2")
    care_client.force_login(other)
    refused = care_client.post(f"{api}/claim/")
    assert refused.status_code == 409 and refused.json()["code"] == "locked" and "care" in refused.json()["detail"]
    care_client.post(f"{api}/release/")  # care may release another agent's claim
    attempt = care_client.post(f"{api}/attempt/", {"outcome": "busy", "note": "占线"}, content_type="application/json")
    assert attempt.status_code == 200 and attempt.json()["attempts"] == 1
    assert care_client.post(f"{api}/attempt/", {"outcome": "reached"},
                            content_type="application/json").status_code == 400
    stale = care_client.post(f"{api}/complete/", {"overall": 4, "version": 1}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    low = next(q for q in questions if q.code == "cleanliness")
    done = care_client.post(f"{api}/complete/", {"answers": [{"question": low.pk, "score": 1}], "overall": 4,
                                                 "recommend": 8, "verbatim": "车没洗"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    complaints = care_client.get("/api/v1/complaints/", {"department": "wash"}).json()["results"]
    assert len(complaints) == 1 and complaints[0]["customer_name"] == csi_call.customer.name


def test_the_api_takes_and_resolves_complaints(client, site, delivered, care, advisor, other_site):
    client.force_login(care)
    created = client.post("/api/v1/complaints/", {"customer": delivered.customer_id, "repair_order": delivered.pk,
                                                  "department": "reception", "description": "报价不清"},
                          content_type="application/json")
    assert created.status_code == 201 and created.json()["owner"] == advisor.pk
    pk, version = created.json()["id"], created.json()["version"]
    client.force_login(advisor)
    stale = client.post(f"/api/v1/complaints/{pk}/resolve/", {"resolution": "解释", "version": version + 5},
                        content_type="application/json")
    assert stale.status_code == 409
    resolved = client.post(f"/api/v1/complaints/{pk}/resolve/", {"resolution": "解释", "version": version},
                           content_type="application/json")
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    assert client.post("/api/v1/complaints/", {"customer": delivered.customer_id, "description": "x"},
                       content_type="application/json").status_code == 403  # an advisor does not take them
    foreign = delivered_ro(other_site, make_staff(role="advisor", sites=[other_site]))
    client.force_login(care)
    assert client.post("/api/v1/complaints/", {"customer": foreign.customer_id, "description": "x"},
                       content_type="application/json").status_code == 400
