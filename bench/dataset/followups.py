"""What follows a delivery: the 72-hour and 3-day callbacks (open for the last days, worked before), surveys
with their answers, complaints from low scores, maintenance reminders, and vehicles lost and won back."""

from followups.survey_defaults import CATEGORY_OF_QUESTION

from .clock import DAY

OVERALL = [5] * 60 + [4] * 28 + [3] * 8 + [2] * 3 + [1]
LOST_REASONS = ["", "", "price", "distance", "service_quality", "sold", "moved", "other"]
VERBATIM = ["", "", "", "服务很好", "等待时间有点长", "价格偏高", "顾问讲解很清楚", "洗车不干净"]


def after_delivery(ctx, ro: int, vehicle: int, customer: int, advisor: int, opened: int, delivered: int,
                   ro_type: str) -> None:
    archive = ctx.archive
    reminder_due(ctx, vehicle, customer, opened)
    if archive.last_ro[vehicle] and opened - archive.last_delivered[vehicle] > 365 * DAY:
        lost(ctx, vehicle, won_back=(opened, ro))
    callbacks(ctx, ro, vehicle, customer, advisor, delivered, ro_type)


def callbacks(ctx, ro: int, vehicle: int, customer: int, advisor: int, delivered: int, ro_type: str) -> None:
    rng, t, clock, archive = ctx.rng, ctx.t, ctx.clock, ctx.archive
    care = ctx.staff.roles["care"]
    common = (ctx.site.pk,)
    ids = (archive.customer_ids[customer], archive.vehicle_ids[vehicle], ro)
    due_72h = delivered + 72 * 60
    due_3day = delivered - delivered % DAY + 4 * DAY - 1
    for kind, due, assignee, worker in (("advisor_72h", due_72h, advisor, advisor), ("csi_3day", due_3day, None, care)):
        created = clock.ts(delivered + 10)
        if due > ctx.now - DAY:  # still in the queue
            t.callbacks.add(*common, kind, f"ro:{ro}:{kind}", *ids, assignee, clock.ts(due), "open", 0, None, None,
                            created)
            continue
        r = rng.random()
        status = "done" if r < 0.85 else "unreachable" if r < 0.95 else "cancelled"
        completed = due - rng.randrange(0, 2 * DAY) if status == "done" else None
        callback = t.callbacks.add(*common, kind, f"ro:{ro}:{kind}", *ids, assignee, clock.ts(due), status,
                                   1 if status == "done" else 3, completed and clock.ts(completed),
                                   worker if completed else None, created)
        if kind == "csi_3day" and status == "done" and rng.random() < 0.75:
            survey(ctx, callback, ro, customer, completed, ro_type)


def survey(ctx, callback: int, ro: int, customer: int, taken: int, ro_type: str) -> None:
    rng, t, clock = ctx.rng, ctx.t, ctx.clock
    overall = rng.choice(OVERALL)
    recommend = min(10, max(0, overall * 2 - rng.randrange(3)))
    complaint = overall <= 2 or (overall == 3 and rng.random() < 0.3)
    care = ctx.staff.roles["care"]
    survey_id = t.surveys.add(ctx.site.pk, callback, ro, overall, recommend, rng.choice(VERBATIM), complaint,
                              ro_type == "comeback", care, clock.ts(taken))
    lowest = (6, "reception", "other")
    for pk, code, department, kind in ctx.questions:
        if code == "paint_quality" and ro_type != "accident":
            continue
        if kind == "recommend":
            score = recommend
        elif code == "overall":
            score = overall
        else:
            score = min(5, max(1, overall + rng.choice((-1, 0, 0, 0, 1))))
            if score < lowest[0]:
                lowest = (score, department, CATEGORY_OF_QUESTION.get(code, "other"))
        t.survey_answers.add(survey_id, pk, department, score)
    if complaint:
        _score, department, category = lowest
        created = taken + 5
        if created > ctx.now - 5 * DAY:  # still open
            status, resolution, resolved, closed, rechecks = "open", "", None, None, 0
        else:
            status, resolution, resolved, closed, rechecks = (
                "closed", "已致电客户致歉并安排免费复检", clock.ts(created + DAY), clock.ts(created + 3 * DAY), 1)
        t.complaints.add(ctx.site.pk, ctx.archive.customer_ids[customer], ro, survey_id, department, category,
                         ctx.manager, clock.ts(created + 2 * DAY), "回访中客户表示不满意", status, resolution, resolved,
                         closed, rechecks, care, clock.ts(created))


def reminder_due(ctx, vehicle: int, customer: int, minute: int) -> None:
    """The maintenance reminder of the vehicle's current cycle, once, if it came due before `minute`."""
    archive, rng, clock = ctx.archive, ctx.rng, ctx.clock
    due = archive.next_due[vehicle]
    if not due or ctx.reminded.get(vehicle) == due or due - 14 * DAY > minute:
        return
    ctx.reminded[vehicle] = due
    sent = due - 14 * DAY + 600
    if minute < ctx.now:
        converted = minute <= due + 30 * DAY
        status, converted_at = ("converted", clock.ts(minute)) if converted else (
            rng.choice(("closed", "call")), None)
    else:
        status, converted_at = "sent", None
    ctx.t.reminders.add(ctx.site.pk, "maintenance", archive.vehicle_ids[vehicle], archive.customer_ids[customer],
                        clock.day(due), clock.day(due), archive.next_km[vehicle], "date", status, clock.ts(sent),
                        converted_at)


def lost(ctx, vehicle: int, won_back: tuple[int, int] | None = None) -> None:
    archive, clock = ctx.archive, ctx.clock
    lost_on = archive.last_delivered[vehicle] + 365 * DAY
    back_at, back_ro = won_back or (None, None)
    ctx.t.lost_vehicles.add(ctx.site.pk, archive.vehicle_ids[vehicle], archive.last_ro[vehicle], clock.day(lost_on),
                            ctx.rng.choice(LOST_REASONS), back_at and clock.ts(back_at), back_ro)


def after_history(ctx) -> None:
    """Vehicles gone for a year and reminders due by now, as the nightly scans would have left them."""
    archive = ctx.archive
    for vehicle in range(len(archive.vehicle_ids)):
        if not archive.last_ro[vehicle]:
            continue
        if archive.last_delivered[vehicle] + 365 * DAY <= ctx.now:
            lost(ctx, vehicle)
        if archive.next_due[vehicle] and archive.next_due[vehicle] - 14 * DAY <= ctx.now:
            reminder_due(ctx, vehicle, archive.owner[vehicle], archive.next_due[vehicle] + 31 * DAY)
