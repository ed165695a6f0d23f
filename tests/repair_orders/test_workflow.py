"""The state machine of DESIGN.md §4, table-driven from workflow.py: every listed move is allowed, every other
pair refused with an illegal-transition error naming both states; and the tables match the design."""

import itertools

import pytest

from repair_orders.workflow import (
    JOB_TRANSITIONS,
    RO_TRANSITIONS,
    JobState,
    ROState,
    check_job_transition,
    check_ro_transition,
)
from servicedesk.core.errors import ApplicationError

MACHINES = {"ro": (ROState, RO_TRANSITIONS, check_ro_transition),
            "job": (JobState, JOB_TRANSITIONS, check_job_transition)}
PAIRS = [(machine, from_state, to_state) for machine, (states, _table, _check) in MACHINES.items()
         for from_state, to_state in itertools.product(states.values, repeat=2)]


def test_every_state_has_a_row():
    assert set(RO_TRANSITIONS) == set(ROState.values)
    assert set(JOB_TRANSITIONS) == set(JobState.values)


@pytest.mark.parametrize(("machine", "from_state", "to_state"), PAIRS)
def test_every_listed_move_is_allowed_and_every_other_refused(machine, from_state, to_state):
    states, table, check = MACHINES[machine]
    if to_state in table[from_state]:
        check(from_state, to_state)
        return
    with pytest.raises(ApplicationError) as refused:
        check(from_state, to_state)
    assert refused.value.code == "illegal_transition" and refused.value.is_conflict
    assert str(states(from_state).label) in refused.value.message
    assert str(states(to_state).label) in refused.value.message


def test_ro_table_is_the_designs():
    edges = {(a, b) for a, targets in RO_TRANSITIONS.items() for b in targets}
    assert edges == {
        ("checked_in", "awaiting_approval"), ("checked_in", "cancelled"),
        ("awaiting_approval", "approved"), ("awaiting_approval", "ready"), ("awaiting_approval", "cancelled"),
        ("approved", "in_progress"), ("approved", "cancelled"),
        ("in_progress", "quality_check"),
        ("quality_check", "ready"), ("quality_check", "in_progress"),
        ("ready", "invoiced"), ("invoiced", "delivered"),
    }


def test_job_table_is_the_designs():
    edges = {(a, b) for a, targets in JOB_TRANSITIONS.items() for b in targets}
    assert edges == {
        ("proposed", "approved"), ("proposed", "declined"), ("proposed", "pending_diagnosis"),
        ("pending_diagnosis", "approved"), ("pending_diagnosis", "declined"),
        ("approved", "assigned"), ("assigned", "in_progress"), ("assigned", "approved"),
        ("in_progress", "paused"), ("paused", "in_progress"), ("in_progress", "done"),
        ("done", "passed"), ("done", "rework"), ("rework", "assigned"),
    }


def test_final_states_lead_nowhere():
    assert not RO_TRANSITIONS[ROState.DELIVERED] and not RO_TRANSITIONS[ROState.CANCELLED]
    assert not JOB_TRANSITIONS[JobState.DECLINED] and not JOB_TRANSITIONS[JobState.PASSED]
