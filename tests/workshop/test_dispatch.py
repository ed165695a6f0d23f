"""Dispatch (派工): the rules of job_assign / job_unassign, their warnings and events, the stale-move check, the
board's moves and the API, and who may dispatch."""

from datetime import time

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from repair_orders.models import JobLine, JobLineEvent, RepairOrderEvent
from repair_orders.services import job_add_from_operation
from repair_orders.services.common import lock_repair_order, move_job, move_ro
from repair_orders.workflow import JobState, ROState
from servicedesk.accounts.roles import ROLE_LABELS
from servicedesk.core.errors import ApplicationError
from tests.factories import make_staff
from workshop.models import Bay
from workshop.services.dispatch import job_assign, job_unassign

from .dispatch_helpers import approved_ro, operation, technician

pytestmark = pytest.mark.django_db


@pytest.fixture
def mechanic(site):
    return technician(site, "mechanic", skills=["mechanical", "electrical"], display_name="刘师傅")


@pytest.fixture
def painter(site):
    return technician(site, "painter", skills=["paint"], display_name="周师傅")


def job_of(repair_order, code="JX001") -> JobLine:
    return repair_order.jobs.get(operation__code=code)


def test_assigning_a_queued_job_moves_job_and_ro_and_records_both(site, advisor, foreman, mechanic):
    repair_order = approved_ro(site, advisor, codes=("JX001", "DQ001"))
    brakes, lights = job_of(repair_order), job_of(repair_order, "DQ001")
    result = job_assign(job_line=brakes, technician=mechanic, actor=foreman, expected_technician_id=None)
    assert result.assigned and not result.warnings
    brakes.refresh_from_db()
    repair_order.refresh_from_db()
    assert (brakes.state, brakes.technician, brakes.queue_position) == (JobState.ASSIGNED, mechanic, 0)
    assert repair_order.state == ROState.IN_PROGRESS
    event = JobLineEvent.objects.filter(job_line=brakes).latest("pk")
    assert (event.from_state, event.to_state, event.actor, event.data["kind"]) == ("approved", "assigned", foreman,
                                                                                  "assigned")
    assert event.data["technician"] == mechanic.pk and event.data["previous_technician"] is None
    job_assign(job_line=lights, technician=mechanic, actor=foreman, expected_technician_id=None)
    lights.refresh_from_db()
    assert lights.queue_position == 1
    dispatched = RepairOrderEvent.objects.filter(repair_order=repair_order, kind="dispatched")
    assert dispatched.count() == 1  # the RO starts once, at its first assignment
    assert (dispatched.get().from_state, dispatched.get().to_state) == ("approved", "in_progress")


def test_warnings_come_back_unsaved_until_the_foreman_assigns_anyway(site, advisor, foreman, painter):
    repair_order = approved_ro(site, advisor, short_part=True)
    job = job_of(repair_order)
    result = job_assign(job_line=job, technician=painter, actor=foreman, expected_technician_id=None)
    assert not result.assigned and {w.code for w in result.warnings} == {"skill", "parts"}
    assert "周师傅" in result.warnings[0].message
    job.refresh_from_db()
    repair_order.refresh_from_db()
    assert (job.state, job.technician, repair_order.state) == (JobState.APPROVED, None, ROState.APPROVED)
    assert not JobLineEvent.objects.filter(job_line=job, to_state=JobState.ASSIGNED).exists()
    result = job_assign(job_line=job, technician=painter, actor=foreman, expected_technician_id=None,
                        acknowledge_warnings=True)
    job.refresh_from_db()
    assert result.assigned and job.technician == painter
    assert sorted(JobLineEvent.objects.filter(job_line=job).latest("pk").data["warnings"]) == ["parts", "skill"]


def test_more_work_than_hours_and_no_shift_today_are_warnings(site, advisor, foreman):
    short_day = technician(site, "short", skills=["paint"], starts=time(8, 30), ends=time(12, 30))  # 3 h
    day_off = technician(site, "off", skills=["paint"], on_shift=False)
    job = job_of(approved_ro(site, advisor, codes=("PQ001",)), "PQ001")  # 4 flat-rate hours
    (warning,) = job_assign(job_line=job, technician=short_day, actor=foreman).warnings
    assert warning.code == "hours" and "4.0" in warning.message and "3.0" in warning.message
    (warning,) = job_assign(job_line=job, technician=day_off, actor=foreman).warnings
    assert warning.code == "not_on_shift"


def test_hours_already_given_count_towards_the_load(site, advisor, foreman):
    tech = technician(site, "busy", skills=["mechanical"], starts=time(8, 30), ends=time(11, 30))  # 2 h
    first, second = (job_of(approved_ro(site, advisor)) for _n in range(2))  # 1.2 h each
    assert job_assign(job_line=first, technician=tech, actor=foreman).assigned
    (warning,) = job_assign(job_line=second, technician=tech, actor=foreman).warnings
    assert warning.code == "hours" and "2.4" in warning.message


def test_jobs_the_customer_has_not_authorised_cannot_be_dispatched(site, advisor, foreman, mechanic):
    repair_order = approved_ro(site, advisor)
    extra = job_add_from_operation(repair_order=repair_order, operation=operation("DQ001"), actor=advisor)
    with pytest.raises(ApplicationError) as refused:
        job_assign(job_line=extra, technician=mechanic, actor=foreman)
    assert refused.value.code == "illegal_transition" and refused.value.is_conflict
    assert refused.value.message == _("The customer has not approved this job yet; it cannot be dispatched.")
    extra.refresh_from_db()
    assert extra.state == JobState.PROPOSED and extra.technician is None


def test_a_declined_job_is_refused(site, advisor, foreman, mechanic):
    from repair_orders.services import repair_order_approve, repair_order_submit_estimate
    from tests.repair_orders.helpers import estimated_ro, signature_png

    operation("JX001")
    repair_order = estimated_ro(site, advisor, operations=("JX001", "BY001"))
    repair_order = repair_order_submit_estimate(repair_order=repair_order, version=None, actor=advisor)
    brakes = job_of(repair_order)
    repair_order_approve(repair_order=repair_order, approved_line_ids=[brakes.pk], signer_name="张三",
                         signature_image=signature_png(), version=None, actor=advisor)
    declined = repair_order.jobs.get(state=JobState.DECLINED)
    with pytest.raises(ApplicationError) as refused:
        job_assign(job_line=declined, technician=mechanic, actor=foreman)
    assert "recommendations" in refused.value.message or "建议" in refused.value.message
    assert JobLine.objects.get(pk=declined.pk).technician is None


def test_a_started_job_stays_with_its_technician(site, advisor, foreman, mechanic, painter):
    job = job_of(approved_ro(site, advisor))
    job_assign(job_line=job, technician=mechanic, actor=foreman)
    job = JobLine.objects.get(pk=job.pk)
    move_job(job, JobState.IN_PROGRESS, mechanic)
    with pytest.raises(ApplicationError) as refused:
        job_assign(job_line=job, technician=painter, actor=foreman, acknowledge_warnings=True)
    assert refused.value.code == "illegal_transition" and "刘师傅" in refused.value.message
    with pytest.raises(ApplicationError):
        job_unassign(job_line=job, actor=foreman)
    assert JobLine.objects.get(pk=job.pk).technician == mechanic


def test_a_job_of_an_ro_at_quality_check_is_not_dispatched(site, advisor, foreman, mechanic):
    repair_order = approved_ro(site, advisor, codes=("JX001", "DQ001"))
    job_assign(job_line=job_of(repair_order), technician=mechanic, actor=foreman)
    locked = lock_repair_order(repair_order, version=None)
    move_ro(locked, ROState.QUALITY_CHECK, foreman, kind="test")
    with pytest.raises(ApplicationError) as refused:
        job_assign(job_line=job_of(repair_order, "DQ001"), technician=mechanic, actor=foreman)
    assert refused.value.code == "illegal_transition" and repair_order.number in refused.value.message


def test_a_stale_move_changes_nothing_and_says_who_moved_the_job(site, advisor, foreman, manager, mechanic):
    other = technician(site, "other", skills=["mechanical"], display_name="吴师傅")
    job = job_of(approved_ro(site, advisor))
    job_assign(job_line=job, technician=mechanic, actor=foreman, expected_technician_id=None)
    with pytest.raises(ApplicationError) as stale:  # the manager's board still showed it in the queue
        job_assign(job_line=job, technician=other, actor=manager, expected_technician_id=None)
    assert stale.value.code == "stale" and stale.value.is_conflict
    assert "赵主管" in stale.value.message and "刘师傅" in stale.value.message
    job.refresh_from_db()
    assert job.technician == mechanic and JobLineEvent.objects.filter(job_line=job).count() == 3
    with pytest.raises(ApplicationError) as stale:
        job_unassign(job_line=job, actor=manager, expected_technician_id=other.pk)
    assert stale.value.code == "stale"


def test_reassigning_before_the_start_is_allowed_and_recorded(site, advisor, foreman, mechanic):
    other = technician(site, "other", skills=["mechanical"])
    repair_order = approved_ro(site, advisor, codes=("JX001", "DQ001"))
    brakes, lights = job_of(repair_order), job_of(repair_order, "DQ001")
    job_assign(job_line=brakes, technician=other, actor=foreman)
    job_assign(job_line=lights, technician=mechanic, actor=foreman)
    result = job_assign(job_line=brakes, technician=mechanic, actor=foreman, expected_technician_id=other.pk,
                        position=0)
    assert result.assigned and result.previous_technician_id == other.pk
    event = JobLineEvent.objects.filter(job_line=brakes).latest("pk")
    assert (event.from_state, event.to_state, event.data["kind"], event.data["previous_technician"]) == (
        "assigned", "assigned", "reassigned", other.pk)
    positions = dict(JobLine.objects.filter(technician=mechanic).values_list("pk", "queue_position"))
    assert positions == {brakes.pk: 0, lights.pk: 1}
    job_assign(job_line=brakes, technician=mechanic, actor=foreman, expected_technician_id=mechanic.pk,
               position=5)  # past the end: last
    positions = dict(JobLine.objects.filter(technician=mechanic).values_list("pk", "queue_position"))
    assert positions == {lights.pk: 0, brakes.pk: 1}
    assert JobLineEvent.objects.filter(job_line=brakes).latest("pk").data["kind"] == "requeued"


def test_unassign_puts_the_job_back_in_the_queue(site, advisor, foreman, mechanic):
    job = job_of(approved_ro(site, advisor))
    job_assign(job_line=job, technician=mechanic, actor=foreman)
    job_unassign(job_line=job, actor=foreman, expected_technician_id=mechanic.pk)
    job.refresh_from_db()
    assert (job.state, job.technician, job.bay) == (JobState.APPROVED, None, None)
    assert JobLineEvent.objects.filter(job_line=job).latest("pk").data["kind"] == "unassigned"


def test_only_this_sites_technicians_and_bays(site, other_site, advisor, foreman, mechanic):
    stranger = technician(other_site, "stranger")
    no_profile = make_staff(role="technician", sites=[site], username="noprofile")
    job = job_of(approved_ro(site, advisor))
    for user in (stranger, no_profile):
        with pytest.raises(ApplicationError) as refused:
            job_assign(job_line=job, technician=user, actor=foreman)
        assert refused.value.field == "technician"
    their_bay = Bay.objects.create(site=other_site, code="L1", name="举升机1")
    with pytest.raises(ApplicationError) as refused:
        job_assign(job_line=job, technician=mechanic, actor=foreman, bay=their_bay)
    assert refused.value.field == "bay"
    bay = Bay.objects.create(site=site, code="L1", name="举升机1")
    job_assign(job_line=job, technician=mechanic, actor=foreman, bay=bay)
    assert JobLine.objects.get(pk=job.pk).bay == bay


# ---------------------------------------------------------------- the board's moves (htmx) and the API


def _post_assign(client, job, technician, **extra):
    return client.post(reverse("workshop:board_assign", args=[job.pk]), {
        "technician": technician.pk, "expected_technician": "", "position": "0", "view": "technicians", **extra},
        HTTP_HX_REQUEST="true")


def test_the_board_assigns_and_answers_with_the_redrawn_board(client, site, advisor, foreman, mechanic):
    job = job_of(approved_ro(site, advisor))
    client.force_login(foreman)
    response = _post_assign(client, job, mechanic)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="dispatch-board"' in html and 'hx-swap-oob="true"' in html
    assert f'id="job-card-{job.pk}"' in html and f'data-expected="{mechanic.pk}"' in html
    assert JobLine.objects.get(pk=job.pk).technician == mechanic


def test_the_board_shows_warnings_with_assign_anyway(client, site, advisor, foreman, painter):
    job = job_of(approved_ro(site, advisor))
    client.force_login(foreman)
    html = _post_assign(client, job, painter).content.decode()
    assert 'id="assign-warnings"' in html and 'data-code="skill"' in html and 'id="assign-anyway"' in html
    assert JobLine.objects.get(pk=job.pk).technician is None
    html = _post_assign(client, job, painter, acknowledge="1").content.decode()
    assert 'id="assign-warnings"' not in html and JobLine.objects.get(pk=job.pk).technician == painter


def test_a_stale_drag_shows_the_message_and_the_refreshed_board(client, site, advisor, foreman, manager, mechanic):
    other = technician(site, "other", skills=["mechanical"])
    job = job_of(approved_ro(site, advisor))
    job_assign(job_line=job, technician=mechanic, actor=manager)
    client.force_login(foreman)
    html = _post_assign(client, job, other).content.decode()
    assert "李经理" in html and "alert-danger" in html
    assert f'id="row-tech-{mechanic.pk}"' in html and f'data-expected="{mechanic.pk}"' in html
    assert JobLine.objects.get(pk=job.pk).technician == mechanic


def test_dropping_on_the_queue_unassigns(client, site, advisor, foreman, mechanic):
    job = job_of(approved_ro(site, advisor))
    job_assign(job_line=job, technician=mechanic, actor=foreman)
    client.force_login(foreman)
    response = client.post(reverse("workshop:board_unassign", args=[job.pk]),
                           {"expected_technician": mechanic.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and JobLine.objects.get(pk=job.pk).state == JobState.APPROVED


def test_polling_gets_204_until_the_board_changes(client, site, advisor, foreman, mechanic):
    job = job_of(approved_ro(site, advisor))
    client.force_login(foreman)
    page = client.get(reverse("workshop:board"))
    assert page.status_code == 200 and "Sortable.min.js" in page.content.decode()
    version = page.context["board"].version
    poll = client.get(reverse("workshop:board"), {"version": version}, HTTP_HX_REQUEST="true")
    assert poll.status_code == 204
    job_assign(job_line=job, technician=mechanic, actor=foreman)  # the other foreman's move
    poll = client.get(reverse("workshop:board"), {"version": version}, HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and f'data-expected="{mechanic.pk}"' in poll.content.decode()


def test_the_bays_view_has_a_row_per_bay(client, site, advisor, foreman, mechanic):
    bay = Bay.objects.create(site=site, code="L1", name="举升机1")
    job = job_of(approved_ro(site, advisor))
    job_assign(job_line=job, technician=mechanic, actor=foreman)
    client.force_login(foreman)
    html = client.get(reverse("workshop:board"), {"view": "bays"}).content.decode()
    assert f'data-bay="{bay.pk}"' in html
    response = client.post(reverse("workshop:board_assign", args=[job.pk]), {
        "bay": bay.pk, "expected_technician": mechanic.pk, "view": "bays"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    job.refresh_from_db()
    assert (job.bay, job.technician) == (bay, mechanic)


@pytest.mark.parametrize("role", sorted(ROLE_LABELS))
def test_only_the_foreman_and_the_manager_dispatch(client, site, advisor, role):
    tech = technician(site, f"t-{role}", skills=["mechanical"])
    job = job_of(approved_ro(site, advisor))
    client.force_login(make_staff(role=role, sites=[site]))
    allowed = role in {"foreman", "service_manager"}
    assert client.get(reverse("workshop:board")).status_code == (200 if allowed else 403)
    assert _post_assign(client, job, tech).status_code == (200 if allowed else 403)
    api = client.post(f"/api/v1/repair-orders/{job.repair_order_id}/jobs/{job.pk}/assign/",
                      {"technician": tech.pk}, content_type="application/json")
    assert api.status_code == (200 if allowed else 403)
    assert (JobLine.objects.get(pk=job.pk).technician == tech) is allowed
    nav = client.get(reverse("home")).content.decode()
    assert (reverse("workshop:board") in nav) is allowed


def test_the_api_assigns_lists_warnings_and_refuses_stale_moves(client, site, other_site, advisor, foreman,
                                                                  mechanic, painter):
    job = job_of(approved_ro(site, advisor))
    url = f"/api/v1/repair-orders/{job.repair_order_id}/jobs/{job.pk}/assign/"
    client.force_login(foreman)
    warned = client.post(url, {"technician": painter.pk, "expected_technician": None}, content_type="application/json")
    assert warned.status_code == 400 and warned.json()["code"] == "warnings"
    assert [w["code"] for w in warned.json()["warnings"]] == ["skill"]
    done = client.post(url, {"technician": mechanic.pk, "expected_technician": None}, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["state"] == "assigned" and done.json()["technician"] == mechanic.pk
    assert done.json()["repair_order_state"] == "in_progress"
    stale = client.post(url, {"technician": painter.pk, "expected_technician": None, "acknowledge_warnings": True},
                        content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    assert client.post(url, {"technician": 999999}, content_type="application/json").status_code == 400
    other_ro = approved_ro(other_site, make_staff(role="advisor", sites=[other_site]))
    theirs = other_ro.jobs.get()
    url = f"/api/v1/repair-orders/{other_ro.pk}/jobs/{theirs.pk}/assign/"
    assert client.post(url, {"technician": mechanic.pk}, content_type="application/json").status_code == 404
    extra = job_add_from_operation(repair_order=job.repair_order, operation=operation("DQ001"), actor=advisor)
    url = f"/api/v1/repair-orders/{job.repair_order_id}/jobs/{extra.pk}/assign/"
    illegal = client.post(url, {"technician": mechanic.pk}, content_type="application/json")
    assert illegal.status_code == 409 and illegal.json()["code"] == "illegal_transition"


def test_the_workshop_admin_edits_profiles_bays_and_rules(client, site, mechanic):
    from django.contrib.auth.models import User

    from workshop.models import TechnicianProfile

    client.force_login(User.objects.create_superuser("root", password="pw"))
    for model in ("technicianprofile", "bay", "workshopsettings"):
        assert client.get(reverse(f"admin:workshop_{model}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:workshop_{model}_add")).status_code == 200
    profile = TechnicianProfile.objects.get(user=mechanic)
    response = client.post(reverse("admin:workshop_technicianprofile_change", args=[profile.pk]), {
        "site": site.pk, "user": mechanic.pk, "skills": ["paint", "body"], "level": "master", "team": "钣喷组",
        "active": "on"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert sorted(profile.skills) == ["body", "paint"] and profile.level == "master"
