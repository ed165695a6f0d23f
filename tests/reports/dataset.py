"""A dataset small enough to count by hand, for the monthly report of November 2026 at SH01 (Asia/Shanghai).
Rows are written directly: the report reads what the other apps record, whatever wrote it. The expected
figures are in the tests, worked out by hand in their comments."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from billing.models import Invoice, InvoiceLine
from followups.models import Callback, Complaint, Department, LostVehicle, Question, Survey, SurveyAnswer
from followups.services.survey_rollup import survey_rollup_add
from repair_orders.models import RepairOrder
from tests.factories import VehicleFactory

SH = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 10, month: int = 11, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SH)


class Dataset:
    def __init__(self, site, advisor, prefix: str = "T"):
        self.site, self.advisor, self.prefix = site, advisor, prefix
        self.count = 0

    def ro(self, *, created, state="delivered", delivered=None, vehicle=None, ro_type="maintenance",
           comeback_of=None) -> RepairOrder:
        self.count += 1
        vehicle = vehicle or VehicleFactory(owner__site=self.site)
        ro = RepairOrder.objects.create(site=self.site, number=f"{self.prefix}-{self.count:04d}", ro_type=ro_type,
                                        comeback_of=comeback_of, customer=vehicle.owner, vehicle=vehicle,
                                        advisor=self.advisor, state=state, delivered_at=delivered)
        RepairOrder.objects.filter(pk=ro.pk).update(created_at=created)
        ro.refresh_from_db()
        return ro

    def invoice(self, ro, *, issued, lines, kind="invoice", credits=None) -> Invoice:
        """lines: (kind, pay_type, net); VAT 13% on each line, rounded half-up."""
        self.count += 1
        net = sum((Decimal(n) for _, _, n in lines), Decimal("0"))
        vat = sum(((Decimal(n) * Decimal("0.13")).quantize(Decimal("0.01")) for _, _, n in lines), Decimal("0"))
        invoice = Invoice.objects.create(site=self.site, repair_order=ro, kind=kind, credits=credits,
                                         number=f"{self.prefix}INV-{self.count:04d}", customer=ro.customer,
                                         customer_name=ro.customer.name, net_total=net, vat_total=vat,
                                         gross_total=net + vat, vat_rate=Decimal("0.130"), issued_by=self.advisor)
        Invoice.objects.filter(pk=invoice.pk).update(issued_at=issued)
        for position, (line_kind, pay_type, line_net) in enumerate(lines, start=1):
            line_vat = (Decimal(line_net) * Decimal("0.13")).quantize(Decimal("0.01"))
            InvoiceLine.objects.create(invoice=invoice, position=position, kind=line_kind, pay_type=pay_type,
                                       description=line_kind, net=Decimal(line_net), vat=line_vat,
                                       gross=Decimal(line_net) + line_vat)
        return invoice

    def callback(self, ro, *, kind, due, status="open", completed=None) -> Callback:
        return Callback.objects.create(site=self.site, kind=kind, dedupe_key=f"ro:{ro.pk}:{kind}",
                                       customer=ro.customer, vehicle=ro.vehicle, repair_order=ro, due_at=due,
                                       status=status, completed_at=completed)

    def survey(self, callback, *, taken, overall, recommend, scores: dict[str, int], verbatim=""):
        survey = Survey.objects.create(site=self.site, callback=callback, repair_order=callback.repair_order,
                                       overall=overall, recommend=recommend, verbatim=verbatim,
                                       taken_by=self.advisor)
        Survey.objects.filter(pk=survey.pk).update(taken_at=taken)
        for code, score in scores.items():
            question = Question.objects.get(code=code)
            SurveyAnswer.objects.create(survey=survey, question=question, department=question.department,
                                        score=score)
        survey.taken_at = taken
        survey_rollup_add(survey)  # as the service recording a survey does
        return survey

    def complaint(self, ro, *, created, deadline, department, category="quality", resolved=None):
        complaint = Complaint.objects.create(
            site=self.site, customer=ro.customer, repair_order=ro, department=department, category=category,
            owner=self.advisor, deadline=deadline, description="…", created_by=self.advisor,
            status="resolved" if resolved else "open", resolved_at=resolved)
        Complaint.objects.filter(pk=complaint.pk).update(created_at=created)
        return complaint

    def lost(self, ro, *, lost_on, reason="", won_back=None):
        return LostVehicle.objects.create(site=self.site, vehicle=ro.vehicle, last_repair_order=ro,
                                          lost_on=lost_on, reason=reason, won_back_at=won_back)


def questions():
    for position, (code, department) in enumerate([("reception", Department.RECEPTION),
                                                    ("quality", Department.WORKSHOP),
                                                    ("wash", Department.WASH)]):
        Question.objects.get_or_create(code=code, defaults={"text": code, "department": department,
                                                            "position": position})


def appointment(site, *, start, status):
    from appointments.models import Appointment

    return Appointment.objects.create(site=site, start=start, day=start.date(), estimated_hours=Decimal("1.00"),
                                      status=status,
                                      contact_name="客户", plate="沪A00001")
