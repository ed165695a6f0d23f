"""Three years of repair orders at one site, day by day: the RO with its events, job lines, parts lines, time
entries and stock issues; billing.py, followups.py and bookings.py add what follows from each RO."""

import random
from collections import deque
from dataclasses import dataclass, field

from . import billing, bookings, followups, stock
from .archive import Archive, mileage
from .clock import DAY, Clock

# ro_type: share of the visits (comebacks are found first: a vehicle delivered ≤ 30 days ago returns)
MIX = [("maintenance", 0.52), ("repair", 0.25), ("warranty", 0.08), ("accident", 0.11), ("internal", 0.04)]
COMEBACK_SHARE = 0.025
CANCELLED_SHARE = 0.015
RATE = 30000  # labour, fen per flat-rate hour (the site's default 300.00)
PAYMENT_METHODS = ["wechat_pay", "wechat_pay", "alipay", "card", "cash", "transfer"]
CONCERNS = {"maintenance": ["常规保养", "到期保养，顺便检查刹车", "首保", "保养+空调清洗"],
            "repair": ["刹车有异响", "发动机故障灯亮", "空调不制冷", "方向盘抖动", "车窗升降失灵", "怠速不稳"],
            "warranty": ["仪表报警，保修期内", "变速箱顿挫，要求保修", "中控屏黑屏"],
            "accident": ["前保险杠刮擦", "左后门凹陷需钣喷", "追尾事故，走保险"],
            "internal": ["新车PDI检查", "展车保养"], "comeback": ["上次修完又有异响", "故障灯又亮了"]}
OPS_OF_TYPE = {"maintenance": ["maintenance"], "repair": ["mechanical", "electrical", "diagnosis"],
               "warranty": ["mechanical", "electrical"], "accident": ["body", "paint"], "internal": ["maintenance"],
               "comeback": ["mechanical", "electrical"]}
PAY_OF_TYPE = {"warranty": "warranty", "internal": "internal", "comeback": "internal"}


@dataclass
class Context:
    """What the generation of one site reads and keeps."""

    t: object  # tables.Tables
    site: object
    staff: object  # staff.SiteStaff
    manager: int
    archive: Archive
    stock: stock.Ledger
    ops: dict
    questions: list
    clock: Clock
    rng: random.Random
    now: int = 0  # the current minute; history ends the day before
    numbers: dict = field(default_factory=dict)  # (kind, year) -> last number used
    reminded: dict = field(default_factory=dict)  # vehicle -> the due minute whose reminder exists
    recent: deque = field(default_factory=deque)  # (delivered minute, ro id, vehicle) of the last 30 days

    def number(self, kind: str, year: int) -> str:
        value = self.numbers[(kind, year)] = self.numbers.get((kind, year), 0) + 1
        prefix = f"{self.site.code}-" if kind == "RO" else f"{self.site.code}-{kind}-"
        return f"{prefix}{year}-{value:06d}"


def money(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def generate(ctx: Context, per_day: list[int], progress) -> None:
    rng = ctx.rng
    for day, count in enumerate(per_day):
        opens = sorted(day * DAY + 510 + int(rng.random() ** 1.6 * 480) for _ in range(count))
        for minute in opens:
            one_repair_order(ctx, minute)
        bookings.no_shows(ctx, day, count)
        if (day + 1) * 10 // len(per_day) != day * 10 // len(per_day):  # every tenth of the days
            progress(day + 1, len(per_day))


def pick_vehicle(ctx: Context, minute: int) -> int:
    """Some vehicles come often, many rarely (some never again: the lost ones); registered before the visit."""
    archive, rng = ctx.archive, ctx.rng
    n = len(archive.vehicle_ids)
    for _ in range(4):
        vehicle = int(n * rng.random() ** 1.3)
        if archive.registered[vehicle] < minute - 30 * DAY:
            return vehicle
    return vehicle


def one_repair_order(ctx: Context, opened: int) -> None:
    rng, archive, t, clock = ctx.rng, ctx.archive, ctx.t, ctx.clock
    while ctx.recent and ctx.recent[0][0] < opened - 30 * DAY:
        ctx.recent.popleft()
    comeback_of, earlier = None, None
    if ctx.recent and rng.random() < COMEBACK_SHARE:
        earlier = ctx.recent[rng.randrange(len(ctx.recent))]
    if earlier and opened - 30 * DAY <= earlier[0] < opened:  # delivered ≤ 30 days before this visit
        _delivered, comeback_of, vehicle = earlier
        ro_type = "comeback"
    else:
        vehicle = pick_vehicle(ctx, opened)
        ro_type = choose_type(rng)
    customer = archive.owner[vehicle]
    advisor = rng.choice(ctx.staff.advisors)
    cancelled = rng.random() < CANCELLED_SHARE
    km = mileage(archive, vehicle, opened)
    jobs = plan_jobs(ctx, ro_type)
    hours = sum(job[2] for job in jobs)
    promised = opened + int(hours * 60) + 120 + (2 * DAY if ro_type == "accident" else 0)
    appointment = bookings.arrived(ctx, vehicle, customer, advisor, opened, hours) if rng.random() < 0.45 else None
    year = clock.date_of(opened).year
    number = ctx.number("RO", year)
    delivered = None if cancelled else finish_time(rng, opened, hours, ro_type, ctx.now)
    ro = t.repair_orders.add(
        ctx.site.pk, number, ro_type, comeback_of, archive.customer_ids[customer], archive.vehicle_ids[vehicle],
        advisor, appointment, "cancelled" if cancelled else "delivered", clock.ts(promised), rng.random() < 0.3, km,
        rng.randrange(5), "", rng.choice(CONCERNS[ro_type]), "discard", rng.choice(PAYMENT_METHODS),
        rng.random() < 0.6, "客户改期" if cancelled else "", None if cancelled else clock.ts(delivered),
        clock.ts(opened), clock.ts(delivered or opened + 30))
    opened_ts = clock.ts(opened)
    t.ro_events.add(ro, "opened", advisor, "", "checked_in", opened_ts)
    if cancelled:
        t.ro_events.add(ro, "cancelled", advisor, "checked_in", "cancelled", clock.ts(opened + 30))
        return
    approved = opened + 20 + rng.randrange(25)
    t.ro_events.add(ro, "approved", advisor, "awaiting_approval", "approved", clock.ts(approved))
    lines = work(ctx, ro, number, jobs, approved, delivered - 40, advisor)
    t.ro_events.add(ro, "delivered", ctx.staff.roles["cashier"], "invoiced", "delivered", clock.ts(delivered))
    invoice_number = ctx.number("INV", clock.date_of(delivered).year)
    billing.invoice(ctx, ro, invoice_number, customer, vehicle, km, lines, delivered, ro_type)
    followups.after_delivery(ctx, ro, vehicle, customer, advisor, opened, delivered, ro_type)
    archive.last_ro[vehicle], archive.last_delivered[vehicle], archive.last_km[vehicle] = ro, delivered, km
    if ro_type in ("maintenance", "internal"):
        archive.next_due[vehicle], archive.next_km[vehicle] = delivered + 182 * DAY, km + 5000
    ctx.recent.append((delivered, ro, vehicle))


def choose_type(rng: random.Random) -> str:
    r = rng.random()
    for ro_type, share in MIX:
        r -= share
        if r < 0:
            return ro_type
    return "repair"


def plan_jobs(ctx: Context, ro_type: str) -> list[tuple]:
    """(operation, description, hours, pay type, state, additional) of each job line."""
    rng = ctx.rng
    categories = OPS_OF_TYPE[ro_type]
    count = {"maintenance": rng.choice((1, 2, 2, 3)), "accident": rng.choice((2, 2, 3))}.get(
        ro_type, rng.choice((1, 1, 2)))
    pay = PAY_OF_TYPE.get(ro_type, "customer")
    jobs = []
    for n in range(count):
        op = rng.choice(ctx.ops[rng.choice(categories)])
        jobs.append((op.pk, op.name, op.hours, pay, "passed", n > 0 and rng.random() < 0.08))
    if rng.random() < 0.05:  # a recommendation the customer declined (建议项目)
        op = rng.choice(ctx.ops["mechanical"])
        jobs.append((op.pk, op.name, op.hours, "customer", "declined", False))
    return jobs


def finish_time(rng: random.Random, opened: int, hours: float, ro_type: str, now: int) -> int:
    """Delivery: the work, QC and wash after the opening; body work waits days; nobody collects at night."""
    done = opened + 60 + int(hours * 60 * (0.8 + rng.random() * 0.6)) + rng.randrange(30, 150)
    if ro_type == "accident":
        done += rng.randint(1, 4) * DAY
    if done % DAY > 19 * 60:
        done += DAY - done % DAY + 9 * 60 + rng.randrange(120)
    if done > now - 30:  # yesterday's body work: delivered just now rather than in the future
        done = max(opened + 60, now - 30 - rng.randrange(60))
    return done


def work(ctx: Context, ro: int, number: str, jobs: list[tuple], approved: int, must_end: int,
         advisor: int) -> list[tuple]:
    """Job lines with their parts, time entries and stock issues; returns the invoice's raw lines:
    (job id, pay type, description, hours, labour fen, [(part index, quantity, unit fen)])."""
    rng, t, clock, staff = ctx.rng, ctx.t, ctx.clock, ctx.staff
    lines = []
    start = approved + rng.randrange(10, 90)
    approved_ts = clock.ts(approved)
    for operation, description, hours, pay, state, additional in jobs:
        labour = round(hours * RATE)
        if state == "declined":
            t.job_lines.add(ro, operation, description, pay, hours, money(labour), "declined", False, None, None, 0,
                            None, None, 0, None, "", None, approved_ts, advisor, approved_ts, approved_ts)
            continue
        technician = rng.choice(staff.technicians)
        minutes = max(10, int(hours * 60 * (0.7 + rng.random() * 0.6)))
        end = min(start + minutes, max(must_end, start + 10))
        job = t.job_lines.add(ro, operation, description, pay, hours, money(labour), "passed", additional, technician,
                              rng.choice(staff.bays), 0, clock.ts(start), clock.ts(end), f"{(end - start) / 60:.2f}",
                              None, "", approved_ts, None, advisor, approved_ts, clock.ts(end))
        t.time_entries.add(ctx.site.pk, technician, job, clock.ts(start), clock.ts(end), "finish")
        parts = stock.issue_for_job(ctx, job, number, approved, pay) if rng.random() < 0.75 else []
        lines.append((job, pay, description, hours, labour, parts))
        start = end + 5
    return lines

