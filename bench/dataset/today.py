"""The current day, so the boards have work: at BSH 30 repair orders in the workshop with 150 open jobs for its
20 technicians (a queue of 30; the others assigned, on the clock, paused or done), at the two other sites 8 with
3 jobs each; at every site ROs at reception, waiting for approval, in QC and ready, each with its key tag, and
today's and the coming week's appointments."""

from . import bookings
from .clock import DAY
from .history import RATE, money, pick_vehicle

JOB_STATES = ["approved", "assigned", "in_progress", "paused", "done"]
OTHER_STATES = [("checked_in", 4), ("awaiting_approval", 4), ("quality_check", 3), ("ready", 3)]


def current_day(ctx, *, workshop_ros: int, jobs_per_ro: int, daily_visits: int) -> None:
    rng = ctx.rng
    tags = iter(range(1, 10_000))
    running: set[int] = set()
    technicians = ctx.staff.technicians
    position = 0
    for n in range(workshop_ros):
        ro, number, opened, advisor = _open_ro(ctx, "in_progress", next(tags), n)
        approved = opened + 20
        for _job_number in range(jobs_per_ro):
            position += 1
            state = JOB_STATES[position % 5]
            technician = technicians[position % len(technicians)]
            if state == "in_progress":  # one running clock per technician: the others wait paused
                technician = technicians[len(running) % len(technicians)]
                state = "paused" if technician in running else state
            _job(ctx, ro, advisor, approved, state, technician, position, running)
    for state, count in OTHER_STATES:
        for _ in range(count):
            ro, _number, opened, advisor = _open_ro(ctx, state, next(tags), rng.randrange(workshop_ros or 1))
            job_state = {"checked_in": "proposed", "awaiting_approval": "proposed", "ready": "passed"}.get(
                state, "done")
            technician = rng.choice(ctx.staff.technicians)
            _job(ctx, ro, advisor, opened + 20, job_state, technician, 0, running)
    for day in range(8):  # today and the coming week: booked or confirmed
        for _ in range(max(5, int(daily_visits * 0.4))):
            vehicle = pick_vehicle(ctx, ctx.now)
            start = (ctx.now // DAY + day) * DAY + 510 + 30 * rng.randrange(16)
            bookings.add(ctx, vehicle, ctx.archive.owner[vehicle], rng.choice(ctx.staff.advisors), start,
                         rng.choice((0.5, 1.0, 1.5, 2.0)), rng.choice(("booked", "confirmed")))


def _open_ro(ctx, state: str, tag: int, n: int) -> tuple[int, str, int, int]:
    rng, clock, archive = ctx.rng, ctx.clock, ctx.archive
    opened = ctx.now - 30 - rng.randrange(240)
    vehicle = pick_vehicle(ctx, opened)
    customer, advisor = archive.owner[vehicle], rng.choice(ctx.staff.advisors)
    appointment = bookings.arrived(ctx, vehicle, customer, advisor, opened, 2.0) if n % 2 == 0 else None
    number = ctx.number("RO", clock.date_of(ctx.now).year)
    km = archive.last_km[vehicle] + 3000 + rng.randrange(3000)
    promised = opened + 240 + 20 * n  # some are already late
    ro = ctx.t.repair_orders.add(
        ctx.site.pk, number, "repair", None, archive.customer_ids[customer], archive.vehicle_ids[vehicle], advisor,
        appointment, state, clock.ts(promised), n % 3 == 0, km, 2, f"K{tag:03d}", "刹车有异响，顺便保养", "discard",
        "wechat_pay", True, "", None, clock.ts(opened), clock.ts(opened + 20))
    ctx.t.ro_events.add(ro, "opened", advisor, "", "checked_in", clock.ts(opened))
    if state not in ("checked_in", "awaiting_approval"):
        ctx.t.ro_events.add(ro, "approved", advisor, "awaiting_approval", "approved", clock.ts(opened + 20))
    return ro, number, opened, advisor


def _job(ctx, ro: int, advisor: int, approved: int, state: str, technician: int, position: int,
         running: set[int]) -> None:
    rng, clock = ctx.rng, ctx.clock
    op = rng.choice(ctx.ops[rng.choice(("maintenance", "mechanical", "electrical"))])
    labour = round(op.hours * RATE)
    unassigned = state in ("proposed", "approved")
    started = None if unassigned or state == "assigned" else min(approved + 30, ctx.now - 20)
    finished = ctx.now - 10 if state in ("done", "passed") else None
    clocked = f"{(ctx.now - 20 - started) / 60 * 0.6:.2f}" if started else "0"
    since = clock.ts(ctx.now - 15) if state == "in_progress" else None
    approved_ts = None if state == "proposed" else clock.ts(approved)
    job = ctx.t.job_lines.add(
        ro, op.pk, op.name, "customer", op.hours, money(labour), state, False, None if unassigned else technician,
        None if unassigned else rng.choice(ctx.staff.bays), position, started and clock.ts(started),
        finished and clock.ts(finished), clocked, since, "waiting_parts" if state == "paused" else "", approved_ts,
        None, advisor, clock.ts(approved - 10), clock.ts(ctx.now - 5))
    if started:
        ctx.t.time_entries.add(ctx.site.pk, technician, job, clock.ts(started), clock.ts(ctx.now - 20), "pause")
    if state == "in_progress":
        running.add(technician)
        ctx.t.time_entries.add(ctx.site.pk, technician, job, clock.ts(ctx.now - 15), None, "")
