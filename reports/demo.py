"""Demo history for the manager's screens: three months of delivered repair orders with invoices, payments,
technicians' time, callbacks with surveys and complaints, so `make run` shows reports
with numbers. Rows are written directly (as an import from an earlier system would); skipped when the site
already has this history."""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from billing.models import Invoice, InvoiceLine, Payment
from customers.models import Vehicle
from followups.models import Callback, Complaint, Question, Survey, SurveyAnswer
from followups.services.survey_rollup import survey_rollup_rebuild
from repair_orders.models import JobLine, RepairOrder
from repair_orders.workflow import JobState, ROState
from servicedesk.accounts.roles import TECHNICIAN
from workshop.models import TimeEntry

MARK = "H"  # history ROs are numbered <site>-H-<n>
VAT = Decimal("0.13")
JOBS = [("更换机油机滤", "0.50", "280.00", "customer"), ("四轮定位", "0.80", "260.00", "customer"),
        ("更换前刹车片", "1.50", "680.00", "customer"), ("更换水泵", "1.50", "450.00", "warranty"),
        ("钣金喷漆 左前门", "3.00", "1200.00", "customer"), ("检修大灯线路", "1.00", "300.00", "internal")]


def _vat(gross: Decimal) -> Decimal:
    return (gross - gross / (1 + VAT)).quantize(Decimal("0.01"))


@transaction.atomic
def seed_report_history(site, *, advisors, months: int = 3, per_month: int = 40) -> int:
    if RepairOrder.objects.filter(site=site, number__startswith=f"{site.code}-{MARK}-").exists():
        return 0
    rng = random.Random(f"history-{site.code}")  # nosec B311 # seeded demo data
    zone = ZoneInfo(site.time_zone)
    technicians = list(get_user_model().objects.filter(groups__name=TECHNICIAN, profile__sites=site))
    vehicles = list(Vehicle.objects.filter(site=site).select_related("owner")[: per_month * months])
    questions = list(Question.objects.filter(active=True))
    if not (vehicles and advisors and technicians):
        return 0
    today = timezone.now().astimezone(zone).date()
    count = 0
    for n in range(per_month * months):
        day = today - timedelta(days=rng.randint(3, 30 * months))
        opened = datetime.combine(day, time(rng.randint(8, 11), rng.choice([0, 30])), tzinfo=zone)
        delivered = opened + timedelta(hours=rng.randint(3, 8))
        vehicle, advisor = vehicles[n % len(vehicles)], rng.choice(advisors)
        count += 1
        ro = RepairOrder.objects.create(site=site, number=f"{site.code}-{MARK}-{count:05d}", ro_type="maintenance",
                                        customer=vehicle.owner, vehicle=vehicle, advisor=advisor,
                                        state=ROState.DELIVERED, delivered_at=delivered, mileage=vehicle.mileage)
        RepairOrder.objects.filter(pk=ro.pk).update(created_at=opened)
        _work(ro, rng, technicians, advisor, opened, delivered)
        _follow_up(ro, rng, questions, advisor, delivered, now=timezone.now())
    survey_rollup_rebuild(site=site)  # the surveys were written directly, backdated: recount the site's months
    return count


def _work(ro, rng, technicians, advisor, opened, delivered):
    technician = rng.choice(technicians)
    lines, start = [], opened + timedelta(minutes=30)
    for description, hours, price, pay_type in rng.sample(JOBS, rng.randint(1, 3)):
        job = JobLine.objects.create(repair_order=ro, description=description, hours=Decimal(hours),
                                     labour_price=Decimal(price), pay_type=pay_type, state=JobState.PASSED,
                                     technician=technician, created_by=advisor, approved_at=opened,
                                     started_at=start, finished_at=start + timedelta(hours=float(hours)),
                                     clocked_hours=Decimal(hours))
        spent = timedelta(hours=float(hours) * rng.uniform(0.8, 1.3))
        TimeEntry.objects.create(site=ro.site, technician=technician, job_line=job, started_at=start,
                                 ended_at=start + spent, ended_by=TimeEntry.EndedBy.FINISH)
        start += spent
        lines.append((job, Decimal(price), pay_type))
    gross = sum((price for _job, price, _pay in lines), Decimal("0"))
    by_pay = {pay: sum((p for _j, p, t in lines if t == pay), Decimal("0")) for pay in ("customer", "warranty",
                                                                                       "internal")}
    invoice = Invoice.objects.create(
        site=ro.site, repair_order=ro, number=f"{ro.number}-INV", customer=ro.customer,
        customer_name=ro.customer.name, vehicle_plate=ro.vehicle.plate, labour_total=gross,
        net_total=gross - _vat(gross), vat_total=_vat(gross), gross_total=gross, customer_amount=by_pay["customer"],
        warranty_amount=by_pay["warranty"], internal_amount=by_pay["internal"], vat_rate=VAT, issued_by=advisor)
    Invoice.objects.filter(pk=invoice.pk).update(issued_at=delivered - timedelta(minutes=20))
    for position, (job, price, pay_type) in enumerate(lines, start=1):
        InvoiceLine.objects.create(invoice=invoice, position=position, kind="labour", pay_type=pay_type, job_line=job,
                                   description=job.description, hours=job.hours, unit_price=price,
                                   net=price - _vat(price), vat=_vat(price), gross=price)
    if by_pay["customer"]:
        payment = Payment.objects.create(site=ro.site, invoice=invoice, amount=by_pay["customer"], received_by=advisor,
                                         method=rng.choice(["wechat", "alipay", "card", "cash"]))
        Payment.objects.filter(pk=payment.pk).update(received_at=delivered - timedelta(minutes=10))


def _follow_up(ro, rng, questions, advisor, delivered, *, now):
    for kind, due in (("advisor_72h", delivered + timedelta(hours=72)), ("csi_3day", delivered + timedelta(days=3))):
        if due > now:
            Callback.objects.create(site=ro.site, kind=kind, dedupe_key=f"ro:{ro.pk}:{kind}", customer=ro.customer,
                                    vehicle=ro.vehicle, repair_order=ro, due_at=due,
                                    assignee=advisor if kind == "advisor_72h" else None)
            continue
        reached = rng.random() < 0.85
        completed = due - timedelta(hours=rng.randint(-6, 20))
        callback = Callback.objects.create(
            site=ro.site, kind=kind, dedupe_key=f"ro:{ro.pk}:{kind}", customer=ro.customer, vehicle=ro.vehicle,
            repair_order=ro, due_at=due, status="done" if reached else "unreachable", attempts=1 if reached else 3,
            completed_at=completed if reached else None, assignee=advisor if kind == "advisor_72h" else None)
        if reached and kind == "csi_3day" and questions:
            _survey(ro, rng, questions, callback, advisor, completed)


def _survey(ro, rng, questions, callback, advisor, taken):
    mood = rng.choice([5, 5, 5, 4, 4, 4, 3, 2])
    survey = Survey.objects.create(site=ro.site, callback=callback, repair_order=ro, overall=mood,
                                   recommend=min(10, max(0, mood * 2 + rng.randint(-1, 1))), taken_by=advisor,
                                   verbatim="" if mood > 3 else rng.choice(["等待时间太长", "洗车不干净", "价格偏高"]))
    Survey.objects.filter(pk=survey.pk).update(taken_at=taken)
    for question in questions:
        if question.kind == Question.Kind.SCORE:
            SurveyAnswer.objects.create(survey=survey, question=question, department=question.department,
                                        score=max(1, min(5, mood + rng.choice([-1, 0, 0, 1]))))
    if mood <= 3:
        resolved = taken + timedelta(hours=rng.randint(4, 60))
        complaint = Complaint.objects.create(
            site=ro.site, customer=ro.customer, repair_order=ro, survey=survey, department="workshop",
            category=rng.choice(["quality", "time", "price", "cleanliness"]), owner=advisor,
            deadline=taken + timedelta(hours=48), description=survey.verbatim or "评分偏低", created_by=advisor,
            status="closed" if resolved < timezone.now() else "open",
            resolved_at=resolved if resolved < timezone.now() else None, resolution="已致电致歉并安排复检")
        Complaint.objects.filter(pk=complaint.pk).update(created_at=taken)

