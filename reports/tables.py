"""The monthly report as labelled tables: the screen, the PDF and the CSV/XLSX exports all render these, so
a figure is named and laid out once."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from billing.models import Payment
from followups.models import Complaint, Department, LostVehicle


@dataclass
class Table:
    key: str
    title: str
    headers: list
    rows: list[list]


def _label(choices, code) -> str:
    return str(dict(choices).get(code, code or "—"))


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


def _none(value):
    return "—" if value is None else value


def satisfaction_tables(figures: dict) -> list[Table]:
    s = figures["satisfaction"]
    departments = Table("departments", _("Satisfaction by department"), [_("Department"), _("Score (of 100)")],
                        [[label, _none(s["departments"].get(code))] for code, label in Department.choices])
    summary = Table("satisfaction", _("Satisfaction"), [_("Measure"), _("Value")], [
        [_("Surveys"), s["surveys"]],
        [_("Satisfaction rate (overall ≥ 4)"), _pct(s["satisfaction_rate"])],
        [_("NPS"), _none(s["nps"])],
        [_("Callbacks due"), s["callbacks_due"]],
        [_("Callbacks on time"), _pct(s["on_time_rate"])],
        [_("Reachability"), _pct(s["reachability"])],
    ])
    comments = Table("comments", _("Comments of low scores"), [_("Date"), _("Repair order"), _("Overall"),
                                                                 _("The customer's words")],
                     [[f"{c['taken_at']:%Y-%m-%d}" if hasattr(c["taken_at"], "strftime") else str(c["taken_at"])[:10],
                       c["repair_order"], c["overall"], c["verbatim"]] for c in s["low_score_comments"]])
    return [summary, departments, comments]


def complaint_tables(figures: dict) -> list[Table]:
    c = figures["complaints"]
    summary = Table("complaints", _("Complaints"), [_("Measure"), _("Value")], [
        [_("Opened"), c["opened"]],
        [_("Resolved"), c["resolved"]],
        [_("Median hours to resolve"), _none(c["median_hours_to_resolve"])],
        [_("Resolved by the deadline"), _pct(c["resolved_by_deadline_rate"])],
        [_("Rechecks done"), c["rechecks_done"]],
    ])
    by_department = Table("complaints_by_department", _("Complaints by department"),
                          [_("Department"), _("Complaints")],
                          [[_label(Department.choices, k), v] for k, v in c["by_department"].items()])
    by_category = Table("complaints_by_category", _("Complaints by category"), [_("Category"), _("Complaints")],
                        [[_label(Complaint.Category.choices, k), v] for k, v in c["by_category"].items()])
    return [summary, by_department, by_category]


def churn_tables(figures: dict) -> list[Table]:
    ch = figures["churn"]
    rows = [[_("Month"), ch["month"]["active_at_start"], ch["month"]["lost"], _pct(ch["month"]["rate"])],
            [_("Quarter to date"), ch["quarter"]["active_at_start"], ch["quarter"]["lost"],
             _pct(ch["quarter"]["rate"])]]
    churn = Table("churn", _("Churn (target %(target)s%% a quarter)") % {"target": ch["target_percent"]},
                  [_("Period"), _("Active at start"), _("Lost"), _("Churn")], rows)
    reasons = Table("lost_reasons", _("Vehicles lost this month, by reason"), [_("Reason"), _("Vehicles")],
                    [[_label(LostVehicle.Reason.choices, k) if k else _("Not recorded yet"), v]
                     for k, v in ch["reasons"].items()] + [[_("Won back this month"), ch["won_back"]]])
    return [churn, reasons]


def workshop_tables(figures: dict) -> list[Table]:
    w = figures["workshop"]
    summary = Table("workshop", _("Workshop"), [_("Measure"), _("Value")], [
        [_("Delivered repair orders"), w["delivered"]],
        [_("Comebacks"), w["comebacks"]],
        [_("First-time fix"), _pct(w["first_time_fix"])],
        [_("Sold hours"), w["sold_hours"]],
        [_("Hours per repair order"), _none(w["hours_per_ro"])],
        [_("Effective labour rate"), _none(w["effective_labour_rate"])],
    ])
    technicians = Table("technicians", _("Technicians"), [
        _("Technician"), _("Sold hours"), _("Clocked hours"), _("Attended hours"), _("Efficiency"),
        _("Productivity"), _("Proficiency")],
        [[t["technician"], t["sold_hours"], t["clocked_hours"], t["attended_hours"], _pct(t["efficiency"]),
          _pct(t["productivity"]), _pct(t["proficiency"])] for t in w["technicians"]])
    return [summary, technicians]


def business_tables(figures: dict) -> list[Table]:
    b = figures["business"]
    r = b["revenue"]
    summary = Table("business", _("Business"), [_("Measure"), _("Value")], [
        [_("Car count"), b["car_count"]],
        [_("Appointments due"), b["due"]], [_("Arrived"), b["arrived"]], [_("No-shows"), b["no_shows"]],
        [_("Show rate"), _pct(b["show_rate"])],
        [_("Invoiced repair orders"), r["invoiced_ros"]],
        [_("ARO (ex-VAT)"), _none(r["aro"])],
    ])
    revenue = Table("revenue", _("Revenue ex-VAT"), [_("Kind"), _("Amount")], [
        [_("Labour (customer)"), r["labour"]], [_("Parts (customer)"), r["parts"]],
        [_("Warranty"), r["warranty"]], [_("Internal"), r["internal"]], [_("Total"), r["total"]]])
    advisors = Table("advisors", _("Service advisors"), [
        _("Advisor"), _("Repair orders"), _("Revenue ex-VAT"), _("Additional work proposed"),
        _("Additional work accepted"), _("Satisfaction rate")],
        [[a["advisor"], a["repair_orders"], a["revenue"], a["additional_proposed"], a["additional_accepted"],
          _pct(a["satisfaction_rate"])] for a in b["advisors"]])
    return [summary, revenue, advisors]


def monthly_tables(figures: dict) -> list[Table]:
    return (satisfaction_tables(figures) + complaint_tables(figures) + churn_tables(figures)
            + workshop_tables(figures) + business_tables(figures))


def daily_tables(figures: dict) -> list[Table]:
    a = figures["appointments"]
    summary = Table("daily", _("Daily report"), [_("Measure"), _("Value")], [
        [_("Repair orders opened"), figures["repair_orders_opened"]],
        [_("Repair orders delivered"), figures["repair_orders_delivered"]],
        [_("Invoices issued"), figures["invoices_issued"]], [_("Credit notes"), figures["credit_notes"]],
        [_("Appointments due"), a["due"]], [_("Arrived"), a["arrived"]], [_("No-shows"), a["no_shows"]]])
    payments = Table("payments", _("Payments by method"), [_("Method"), _("Amount")],
                     [[_label(Payment.Method.choices, k), v] for k, v in figures["payments_by_method"].items()]
                     + [[_("Total"), figures["payments_total"]]])
    return [summary, payments]
