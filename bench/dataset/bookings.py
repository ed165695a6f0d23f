"""Appointments: the one an RO checked in from (arrived), and each day's no-shows and cancellations."""

from .clock import DAY

CHANNELS = ["phone", "phone", "wechat", "app", "web"]


def add(ctx, vehicle: int, customer: int, advisor: int, start: int, hours: float, status: str,
        arrived: int | None = None) -> int:
    rng, clock, archive = ctx.rng, ctx.clock, ctx.archive
    booked = max(0, start - rng.randint(1, 7) * DAY - rng.randrange(600))
    return ctx.t.appointments.add(
        ctx.site.pk, archive.customer_ids[customer], archive.vehicle_ids[vehicle], archive.customer_names[customer],
        archive.customer_mobiles[customer], archive.plates[vehicle], rng.choice(CHANNELS), "", advisor,
        clock.ts(start), clock.day(start), f"{hours:.2f}", status, None if arrived is None else clock.ts(arrived),
        clock.ts(booked), advisor, clock.ts(arrived if arrived is not None else start))


def arrived(ctx, vehicle: int, customer: int, advisor: int, opened: int, hours: float) -> int:
    start = max(opened - opened % 30 - ctx.rng.choice((0, 0, 30)), opened - opened % DAY)
    return add(ctx, vehicle, customer, advisor, start, hours, "arrived", arrived=opened - 5)


def no_shows(ctx, day: int, visits: int) -> None:
    """About one booking in ten is missed (show rate ~90%), a few more are cancelled ahead."""
    rng = ctx.rng
    n = len(ctx.archive.vehicle_ids)
    for _ in range(int(visits * 0.07 + rng.random())):
        vehicle = int(n * rng.random() ** 1.3)
        start = day * DAY + 510 + 30 * rng.randrange(16)
        status = "no_show" if rng.random() < 0.6 else "cancelled"
        add(ctx, vehicle, ctx.archive.owner[vehicle], rng.choice(ctx.staff.advisors), start,
            rng.choice((0.5, 1.0, 1.5)), status)
