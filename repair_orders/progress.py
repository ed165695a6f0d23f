"""How far along a job is, from its own fields only (no queries), and the at-risk marks both boards show
(the seeds' progress check at 70–80% of the flat-rate time; an RO whose remaining work no longer fits before
the time promised to the customer).

`clocked_hours` holds the hours of closed time entries and `clocked_on_since` is set while somebody is on
the clock (both kept by the workshop's clocking services), so the time used so far is
clocked_hours + (now − clocked_on_since)."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from .workflow import JobState

DEFAULT_AT_RISK_SHARE = Decimal("0.75")
HOURS = Decimal("0.01")
# Authorised work that is not finished yet: it still needs workshop time.
UNFINISHED_JOB_STATES = frozenset({JobState.APPROVED, JobState.ASSIGNED, JobState.IN_PROGRESS, JobState.PAUSED,
                                   JobState.REWORK})


def clocked_hours_now(job, now: datetime) -> Decimal:
    """Hours on the clock so far, the running entry included."""
    hours = job.clocked_hours or Decimal("0")
    if job.clocked_on_since is not None and now > job.clocked_on_since:
        hours += Decimal((now - job.clocked_on_since).total_seconds()) / 3600
    return hours.quantize(HOURS)


def flat_rate_share_used(job, now: datetime) -> Decimal | None:
    """Share of the flat-rate hours used (1 = all of them); None for a job without flat-rate hours."""
    if not job.hours or job.hours <= 0:
        return None
    return (clocked_hours_now(job, now) / job.hours).quantize(HOURS)


def remaining_hours(job, now: datetime) -> Decimal:
    """Flat-rate hours still to work (never below zero; nothing for a finished job)."""
    if job.state not in UNFINISHED_JOB_STATES:
        return Decimal("0")
    return max((job.hours or Decimal("0")) - clocked_hours_now(job, now), Decimal("0"))


def job_at_risk(job, now: datetime, at_risk_share: Decimal = DEFAULT_AT_RISK_SHARE) -> bool:
    """Not finished and at least `at_risk_share` of its flat-rate time used: the foreman looks at it."""
    share = flat_rate_share_used(job, now)
    return job.state in UNFINISHED_JOB_STATES and share is not None and share >= at_risk_share


def repair_order_at_risk(promised_at: datetime | None, jobs: Iterable, now: datetime) -> bool:
    """The RO's unfinished work no longer fits before the promised time. Each technician works their jobs
    one after the other while technicians work side by side, so the work ends after the longest technician's
    remaining hours (jobs nobody has yet count as one more queue). Wall-clock hours: the estimate ignores
    breaks and closing time, so it errs on the side of hope; a mark it gives is certain."""
    if promised_at is None:
        return False
    per_technician = defaultdict(Decimal)
    for job in jobs:
        per_technician[job.technician_id] += remaining_hours(job, now)
    longest = max(per_technician.values(), default=Decimal("0"))
    return longest > 0 and now + timedelta(hours=float(longest)) > promised_at
