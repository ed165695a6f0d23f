"""Quality control's services: to QC when the last job is done, pass, fail with rework, and the refusals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from repair_orders.models import JobLineEvent, RepairOrderEvent
from repair_orders.workflow import JobState, ROState
from servicedesk.accounts.roles import TECHNICIAN
from servicedesk.core.errors import ApplicationError, StaleVersion
from servicedesk.core.models import Notification
from tests.factories import make_staff
from workshop.models import Inspection, InspectionAnswer, TimeEntry
from workshop.services.qc import qc_record, repair_order_to_quality_check_if_done

from .qc_helpers import all_ok, approved_ro, finish, ro_in_quality_check, start_work

# These tests read messages in English, the second language (the fixture sets the pages and services).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def ro(site, advisor, technician):
    return ro_in_quality_check(site, advisor, technician, operations=("BY001", "JX001"))


def record(ro, inspector, *, passed=True, **extra):
    extra.setdefault("answers", all_ok(ro))
    return qc_record(repair_order=ro, inspector=inspector, passed=passed, **extra)


# ---------------------------------------------------------------- to quality check


def test_the_ro_moves_to_quality_check_when_the_last_authorised_job_is_done(site, advisor, technician):
    repair_order = approved_ro(site, advisor, operations=("BY001", "JX001"), free_text=["检查异响"])
    start_work(repair_order, technician)
    jobs = list(repair_order.jobs.order_by("pk"))
    assert not repair_order_to_quality_check_if_done(repair_order=repair_order, actor=technician)  # nothing done
    for job in jobs[:-1]:
        finish(job)
        assert not repair_order_to_quality_check_if_done(repair_order=repair_order, actor=technician)
    finish(jobs[-1])
    assert repair_order_to_quality_check_if_done(repair_order=repair_order, actor=technician)
    assert repair_order.state == ROState.QUALITY_CHECK  # the caller's object follows
    # Idempotent: a second call (a retried request, the next job's finish) changes nothing.
    assert not repair_order_to_quality_check_if_done(repair_order=repair_order, actor=technician)
    assert RepairOrderEvent.objects.filter(repair_order=repair_order, to_state=ROState.QUALITY_CHECK).count() == 1


def test_declined_and_waiting_for_diagnosis_lines_do_not_hold_up_qc(site, advisor, technician):
    from repair_orders.services import repair_order_approve, repair_order_submit_estimate
    from tests.repair_orders.helpers import estimated_ro, signature_png

    repair_order = estimated_ro(site, advisor, operations=("BY001", "JX001", "ZD001"))
    done, declined, diagnosis = repair_order.jobs.order_by("pk")
    repair_order = repair_order_submit_estimate(repair_order=repair_order, version=None, actor=advisor)
    repair_order_approve(repair_order=repair_order, approved_line_ids=[done.pk], diagnosis_line_ids=[diagnosis.pk],
                         signer_name="张三", signature_image=signature_png(), version=None, actor=advisor)
    start_work(repair_order, technician)
    finish(done)
    assert repair_order_to_quality_check_if_done(repair_order=repair_order, actor=technician)


# ---------------------------------------------------------------- pass


def test_a_pass_marks_the_jobs_passed_and_keeps_the_ro_for_the_pre_delivery_check(ro, inspector):
    version, expected = ro.version, len(all_ok(ro))
    inspection = record(ro, inspector, road_test_done=True, road_test_km=5, notes="路试正常", version=version)
    assert inspection.result == Inspection.Result.PASSED and inspection.road_test_km == 5
    assert set(ro.jobs.values_list("state", flat=True)) == {JobState.PASSED}
    ro.refresh_from_db()
    assert ro.state == ROState.QUALITY_CHECK and ro.version == version + 1
    assert ro.events.filter(kind="qc_passed", data__inspection=inspection.pk).exists()
    answers = InspectionAnswer.objects.filter(inspection=inspection)
    assert answers.count() == expected
    general = answers.filter(job_line=None).values_list("check_text", flat=True)
    assert "仪表无故障灯" in general
    oil_job = ro.jobs.get(operation__code="BY001")
    assert answers.filter(job_line=oil_job, check_text="机油液位正确").exists()
    # Passed: nothing left to inspect.
    with pytest.raises(ApplicationError) as error:
        record(ro, inspector, answers=[])
    assert error.value.code == "conflict"


def test_a_pass_with_a_check_not_ok_is_refused(ro, inspector):
    with pytest.raises(ApplicationError) as error:
        record(ro, inspector, answers=all_ok(ro, but=[(None, "仪表无故障灯")]))
    assert "not OK" in str(error.value) or "不合格" in str(error.value)
    assert not Inspection.objects.exists()


# ---------------------------------------------------------------- fail and rework


def test_a_fail_sends_the_job_back_to_its_technician_as_rework(ro, inspector, technician):
    oil, other = ro.jobs.order_by("pk")
    inspection = record(ro, inspector, passed=False, answers=all_ok(ro, but=[(oil.pk, "机油液位正确")]),
                        failed_jobs={oil.pk: "机油加多了"})
    assert inspection.result == Inspection.Result.FAILED
    oil.refresh_from_db(), other.refresh_from_db()
    assert (oil.state, oil.technician, oil.rework_count) == (JobState.ASSIGNED, technician, 1)
    assert other.state == JobState.DONE  # inspected again with the rework next time
    trail = list(JobLineEvent.objects.filter(job_line=oil).order_by("pk").values_list("from_state", "to_state"))
    assert trail[-2:] == [(JobState.DONE, JobState.REWORK), (JobState.REWORK, JobState.ASSIGNED)]
    assert JobLineEvent.objects.get(job_line=oil, to_state=JobState.REWORK).data["reason"] == "机油加多了"
    ro.refresh_from_db()
    assert ro.state == ROState.IN_PROGRESS
    event = ro.events.get(kind="qc_failed")
    assert event.data["failed_jobs"] == [{"job": oil.pk, "description": oil.description, "reason": "机油加多了"}]
    note = Notification.objects.get(recipient=technician)
    assert "机油加多了" in note.text and ro.number in note.text
    # The technician finishes the rework: back to QC, and this time it passes.
    finish(oil)
    assert repair_order_to_quality_check_if_done(repair_order=ro, actor=technician)
    record(ro, inspector)
    oil.refresh_from_db()
    assert (oil.state, oil.rework_count) == (JobState.PASSED, 1)


def test_a_fail_needs_a_failed_job_with_a_reason(ro, inspector):
    oil = ro.jobs.order_by("pk").first()
    for failed in ({}, {oil.pk: "  "}):
        with pytest.raises(ApplicationError) as error:
            record(ro, inspector, passed=False, failed_jobs=failed)
        assert error.value.field == "failed_jobs"
    with pytest.raises(ApplicationError):
        record(ro, inspector, passed=False, failed_jobs={999999: "x"})
    with pytest.raises(ApplicationError):
        record(ro, inspector, passed=True, failed_jobs={oil.pk: "x"})
    assert not Inspection.objects.exists()


# ---------------------------------------------------------------- refusals


def test_the_technician_who_did_the_work_may_not_inspect_it(ro, technician):
    with pytest.raises(ApplicationError) as error:
        record(ro, technician)
    assert error.value.code == "own_work" and "own work" in str(error.value)
    assert not Inspection.objects.exists() and ro.jobs.filter(state=JobState.DONE).count() == 2


def test_someone_who_clocked_time_on_the_job_may_not_inspect_it(ro, site, inspector):
    helper = make_staff(role=TECHNICIAN, sites=[site])
    helper.user_permissions.add(*inspector.groups.get().permissions.all())  # also an inspector
    now = timezone.now()
    TimeEntry.objects.create(site=site, technician=helper, job_line=ro.jobs.first(),
                             started_at=now - timedelta(hours=1), ended_at=now)
    with pytest.raises(ApplicationError) as error:
        record(ro, helper)
    assert error.value.code == "own_work"


def test_only_an_ro_in_quality_check_is_inspected(site, advisor, technician, inspector):
    repair_order = approved_ro(site, advisor)
    with pytest.raises(ApplicationError) as error:
        qc_record(repair_order=repair_order, inspector=inspector, passed=True, answers=[])
    assert error.value.code == "illegal_transition" and error.value.is_conflict


def test_every_check_must_be_answered(ro, inspector):
    answers = all_ok(ro)
    with pytest.raises(ApplicationError) as error:
        record(ro, inspector, answers=answers[1:])
    assert error.value.field == "answers" and "1" in str(error.value)
    with pytest.raises(ApplicationError):
        record(ro, inspector, answers=answers + answers[:1])  # twice
    with pytest.raises(ApplicationError):
        record(ro, inspector, answers=[*answers[1:], {**answers[0], "check": 999999}])
    assert not Inspection.objects.exists()


def test_road_test_distance_needs_the_road_test(ro, inspector):
    for done, km in ((False, 5), (True, -1), (True, 5000), (True, "abc")):
        with pytest.raises(ApplicationError) as error:
            record(ro, inspector, road_test_done=done, road_test_km=km)
        assert error.value.field == "road_test_km"


def test_a_stale_version_is_refused_with_who_changed_it(ro, inspector):
    with pytest.raises(StaleVersion) as error:
        record(ro, inspector, version=ro.version - 1)
    assert error.value.is_conflict
    assert not Inspection.objects.exists()
