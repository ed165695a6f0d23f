"""The foreman's dispatch board (派工) for a site and today: a row per technician on shift (or per bay), their
job cards laid on a time axis from opening to closing and sized by flat-rate hours, and the queue of approved
jobs nobody has yet, the earliest promised first. Seven queries whatever the size (each named below); the
board's `version` (one query) lets polling skip a redraw when nothing changed."""

import hashlib
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, Max, OuterRef, QuerySet
from django.utils import timezone

from appointments.capacity import technician_hours
from appointments.models import TechnicianAbsence, TechnicianShift
from parts.models import Shortage
from repair_orders.models import JobLine, PartLine
from repair_orders.progress import (
    clocked_hours_now,
    flat_rate_share_used,
    job_at_risk,
    remaining_hours,
    repair_order_at_risk,
)
from repair_orders.workflow import JobState, ROState
from servicedesk.accounts.names import staff_name

from ..models import Bay, TechnicianProfile
from ..rules import workshop_settings

TECHNICIANS, BAYS = "technicians", "bays"
# Jobs on the board: still to do in an RO the workshop has, or finished today (the day's history).
BOARD_RO_STATES = (ROState.APPROVED, ROState.IN_PROGRESS, ROState.QUALITY_CHECK)
OPEN_STATES = (JobState.APPROVED, JobState.ASSIGNED, JobState.IN_PROGRESS, JobState.PAUSED, JobState.REWORK)
FINISHED_STATES = (JobState.DONE, JobState.PASSED)
MOVABLE_STATES = frozenset({JobState.APPROVED, JobState.ASSIGNED, JobState.REWORK})
MIN_CARD_PCT = 6.0  # a 10-minute job stays big enough to read and to grab on a tablet
# What a card shows and the progress marks read: the RO's and vehicle's check-in fields stay in the database.
CARD_FIELDS = ("description", "hours", "state", "technician", "bay", "queue_position", "started_at", "finished_at",
               "clocked_hours", "clocked_on_since", "pause_reason", "rework_count", "repair_order__number",
               "repair_order__promised_at", "repair_order__state", "repair_order__vehicle__plate",
               "operation__skill", "operation__code", "technician__username", "technician__profile__display_name",
               "bay__code", "bay__name")
VERSION_BUCKET_SECONDS = 60  # at-risk marks and the "now" line move with time: redraw at least this often


@dataclass
class Card:
    job: JobLine
    colour: str  # assigned, in_progress, paused, done, rework, queue
    movable: bool
    at_risk: bool
    ro_at_risk: bool
    share_used: Decimal | None
    clocked: Decimal
    offset_pct: float = 0.0  # gap before the card on its row (after the previous card)
    width_pct: float = 0.0
    # Formatted once here: the board draws 150 cards every few seconds, the template stays cheap.
    promised: str = ""  # HH:MM on the site's clock
    share_pct: int | None = None


@dataclass
class Row:
    key: str
    label: str
    technician: object = None  # the user (technician rows) ...
    bay: Bay | None = None  # ... or the bay (bay rows)
    profile: TechnicianProfile | None = None
    on_shift: bool = True
    attended: Decimal = Decimal("0")
    load: Decimal = Decimal("0")
    cards: list[Card] = field(default_factory=list)
    overflow_hours: Decimal = Decimal("0")

    @property
    def overloaded(self) -> bool:
        return self.technician is not None and self.load > self.attended


@dataclass
class Board:
    site: object
    day: date
    mode: str
    opens: datetime
    closes: datetime
    now_pct: float | None
    ticks: list[tuple[str, float]]
    rows: list[Row]
    queue: list[Card]
    bays: list[Bay]
    version: str
    refresh_seconds: int
    at_risk_share: Decimal


def _day_bounds(site, now: datetime) -> tuple[date, datetime, datetime]:
    zone = zoneinfo.ZoneInfo(site.time_zone)
    day = timezone.localtime(now, zone).date()
    return day, datetime.combine(day, site.opens_at, tzinfo=zone), datetime.combine(day, site.closes_at, tzinfo=zone)


def board_jobs(site, *, since: datetime) -> QuerySet[JobLine]:
    """Open jobs of the ROs in the workshop, and jobs finished since `since` (today's start).

    The two halves are a UNION in a subquery, not an OR: an OR across the RO's state and the job's finish
    time defeats every index and scans all job lines (100 ms at a million lines; 2 ms like this, each half
    on its own index: job_ro_state and the partial job_finished_sold)."""
    open_jobs = JobLine.objects.filter(repair_order__site=site, repair_order__state__in=BOARD_RO_STATES,
                                       state__in=OPEN_STATES).order_by().values("pk")
    finished_today = JobLine.objects.filter(repair_order__site=site, state__in=FINISHED_STATES,
                                            finished_at__gte=since).order_by().values("pk")
    return JobLine.objects.filter(pk__in=open_jobs.union(finished_today, all=True))


def board_version(site, *, now: datetime | None = None) -> str:
    """Changes whenever a job on the board or its RO changes, and every VERSION_BUCKET_SECONDS. One query."""
    now = now or timezone.now()
    day, _opens, _closes = _day_bounds(site, now)
    since = datetime.combine(day, datetime.min.time(), tzinfo=zoneinfo.ZoneInfo(site.time_zone))
    stamp = board_jobs(site, since=since).aggregate(n=Count("pk"), jobs=Max("updated_at"),
                                                    orders=Max("repair_order__updated_at"))
    bucket = int(now.timestamp()) // VERSION_BUCKET_SECONDS
    raw = f"{stamp['n']}|{stamp['jobs']}|{stamp['orders']}|{bucket}"
    return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:12]


def dispatch_board(*, site, mode: str = TECHNICIANS, now: datetime | None = None, version: str = "") -> Board:
    """Queries: workshop settings (1), the version (2), technician profiles with users (3), today's shifts
    (4), today's absences (5), the board's jobs with RO, vehicle, operation, technician, bay and a
    waiting-for-parts flag (6), the active bays (7)."""
    now = now or timezone.now()
    rules = workshop_settings(site)
    version = version or board_version(site, now=now)  # the poll that found a change has it already
    day, opens, closes = _day_bounds(site, now)
    since = datetime.combine(day, datetime.min.time(), tzinfo=opens.tzinfo)
    profiles = list(TechnicianProfile.objects.filter(site=site, active=True, user__is_active=True)
                    .select_related("user__profile").order_by("team", "user__profile__display_name", "user_id"))
    shifts = list(TechnicianShift.objects.filter(site=site, weekday=day.weekday()))
    absences = list(TechnicianAbsence.objects.filter(site=site, day=day))
    waiting = PartLine.objects.filter(job_line=OuterRef("pk"),
                                      shortage__status__in=[Shortage.Status.OPEN, Shortage.Status.ORDERED])
    jobs = list(board_jobs(site, since=since)
                .select_related("repair_order__vehicle", "operation", "technician__profile", "bay")
                .only(*CARD_FIELDS)
                .annotate(parts_waiting=Exists(waiting))
                .order_by(F("repair_order__promised_at").asc(nulls_last=True), "repair_order_id", "pk"))
    bays = list(Bay.objects.filter(site=site, active=True).order_by("code"))

    share = rules.at_risk_share
    by_order = defaultdict(list)
    for job in jobs:
        if job.state in OPEN_STATES:
            by_order[job.repair_order_id].append(job)
    ro_risk = {pk: repair_order_at_risk(order_jobs[0].repair_order.promised_at, order_jobs, now)
               for pk, order_jobs in by_order.items()}
    zone = opens.tzinfo
    cards = [_card(job, now, share, ro_risk.get(job.repair_order_id, False), zone) for job in jobs]
    queue = [card for card in cards if card.job.technician_id is None and card.job.state in OPEN_STATES]
    placed = [card for card in cards if card.job.technician_id is not None]

    day_hours = Decimal((closes - opens).total_seconds()) / 3600
    if mode == BAYS:
        rows = _bay_rows(bays, placed)
    else:
        rows = _technician_rows(profiles, shifts, absences, day, placed, now)
    for row in rows:
        _lay_out(row, opens=opens, now=now, day_hours=day_hours, timed=row.key != "bay-none")
    return Board(site=site, day=day, mode=mode, opens=opens, closes=closes,
                 now_pct=_pct(now, opens, day_hours) if opens <= now <= closes else None,
                 ticks=_ticks(opens, closes, day_hours), rows=rows, queue=queue, bays=bays, version=version,
                 refresh_seconds=rules.board_refresh_seconds, at_risk_share=share)


def _card(job: JobLine, now: datetime, share: Decimal, ro_at_risk: bool, zone) -> Card:
    if job.technician_id is None and job.state in (JobState.APPROVED, JobState.REWORK):
        colour = "queue"
    elif job.state == JobState.REWORK or (job.state == JobState.ASSIGNED and job.rework_count):
        colour = "rework"
    elif job.state in FINISHED_STATES:
        colour = "done"
    else:
        colour = job.state
    used = flat_rate_share_used(job, now)
    promised = job.repair_order.promised_at
    return Card(job=job, colour=colour, movable=job.state in MOVABLE_STATES,
                at_risk=job_at_risk(job, now, share), ro_at_risk=ro_at_risk and job.state in OPEN_STATES,
                share_used=used, clocked=clocked_hours_now(job, now),
                promised=promised.astimezone(zone).strftime("%H:%M") if promised else "",
                share_pct=int(used * 100) if used is not None else None)


def _technician_rows(profiles, shifts, absences, day, placed: list[Card], now) -> list[Row]:
    """Technicians on shift today (less whole-day absences), and anyone else who holds jobs on the board."""
    by_technician = defaultdict(list)
    for card in placed:
        by_technician[card.job.technician_id].append(card)
    rows = []
    for profile in profiles:
        attended = technician_hours([s for s in shifts if s.technician_id == profile.user_id],
                                    [a for a in absences if a.technician_id == profile.user_id], day)
        cards = by_technician.pop(profile.user_id, [])
        if attended > 0 or cards:
            rows.append(Row(key=f"tech-{profile.user_id}", label=staff_name(profile.user), technician=profile.user,
                            profile=profile, on_shift=attended > 0, attended=attended, cards=cards))
    for cards in by_technician.values():  # jobs with somebody who has no active profile here
        user = cards[0].job.technician
        rows.append(Row(key=f"tech-{user.pk}", label=staff_name(user), technician=user, on_shift=False, cards=cards))
    for row in rows:
        row.load = sum((remaining_hours(card.job, now) for card in row.cards), Decimal("0"))
    return rows


def _bay_rows(bays: list[Bay], placed: list[Card]) -> list[Row]:
    by_bay = defaultdict(list)
    for card in placed:
        by_bay[card.job.bay_id].append(card)
    rows = [Row(key=f"bay-{bay.pk}", label=str(bay), bay=bay, cards=by_bay.pop(bay.pk, [])) for bay in bays]
    if by_bay.get(None):
        rows.append(Row(key="bay-none", label="", cards=by_bay.pop(None)))
    return rows


def _lay_out(row: Row, *, opens: datetime, now: datetime, day_hours: Decimal, timed: bool = True) -> None:
    """Cards one after another on the row's time axis: today's finished jobs where they ended, the running or
    paused ones from when their clocked time began, then the queue in its order from now on. A row that is no
    one's sequence (jobs without a bay) lists its cards without gaps."""
    finished = sorted((c for c in row.cards if c.job.state in FINISHED_STATES), key=lambda c: c.job.finished_at)
    active = sorted((c for c in row.cards if c.job.state in (JobState.IN_PROGRESS, JobState.PAUSED)),
                    key=lambda c: (c.job.started_at or now))
    waiting = sorted((c for c in row.cards if c.job.state in (JobState.ASSIGNED, JobState.REWORK)),
                     key=lambda c: (c.job.queue_position, c.job.pk))
    now_h = max(Decimal("0"), _hours(opens, now))
    cursor = Decimal("0")
    for group, earliest in ((finished, None), (active, "clocked"), (waiting, now_h)):
        for card in group:
            size = max(card.job.hours, Decimal("0.1"))
            if earliest is None:
                start = max(cursor, _hours(opens, card.job.finished_at) - size)
            elif earliest == "clocked":
                start = max(cursor, now_h - card.clocked)
            else:
                start = max(cursor, earliest)
            start = start if timed else cursor
            card.offset_pct = float((start - cursor) / day_hours * 100)
            card.width_pct = max(float(size / day_hours * 100), MIN_CARD_PCT)
            cursor = start + size
    row.cards = finished + active + waiting
    row.overflow_hours = max(cursor - day_hours, Decimal("0")).quantize(Decimal("0.1"))


def _hours(opens: datetime, moment: datetime) -> Decimal:
    return Decimal((moment - opens).total_seconds()) / 3600


def _pct(moment: datetime, opens: datetime, day_hours: Decimal) -> float:
    return float(_hours(opens, moment) / day_hours * 100)


def _ticks(opens: datetime, closes: datetime, day_hours: Decimal) -> list[tuple[str, float]]:
    first = opens.replace(minute=0, second=0, microsecond=0)
    if first < opens:
        first += timedelta(hours=1)
    ticks, moment = [], first
    while moment <= closes:
        ticks.append((moment.strftime("%H:%M"), _pct(moment, opens, day_hours)))
        moment += timedelta(hours=1)
    return ticks



def technicians_of(site) -> QuerySet:
    """Users with an active technician profile in the site: whom a job may be given to. One query."""
    return (get_user_model().objects.filter(technician_profiles__site=site, technician_profiles__active=True,
                                            is_active=True).select_related("profile"))
