"""Satisfaction (DESIGN.md §6): department score = mean of its 1–5 answers × 20; satisfaction rate = share
of surveys with overall ≥ 4; NPS = % of 9–10 minus % of 0–6 on the recommend question; callback on-time
rate = satisfaction callbacks completed by their due time ÷ those due in the period; reachability = reached
÷ (reached + unreachable) among them."""

from decimal import Decimal

from django.db.models import Avg, Count, F, Q, Sum
from django.db.models.functions import TruncMonth

from followups.models import Callback, Department, Survey, SurveyAnswer, SurveyMonthScore

from ..periods import Period, month_period, trailing_months
from .common import one_place, percent, ratio

SATISFACTION_CALLS = [Callback.Kind.ADVISOR_72H, Callback.Kind.CSI_3DAY]
LOW_SCORE = 3  # verbatims of surveys at or below this overall score are shown


def department_scores(sites, period: Period) -> dict[str, object]:
    rows = (SurveyAnswer.objects
            .filter(survey__site__in=sites, survey__taken_at__gte=period.start, survey__taken_at__lt=period.end)
            .values("department").annotate(mean=Avg("score"), answers=Count("pk")))
    found = {row["department"]: one_place(row["mean"] * 20) for row in rows}
    return {code: found.get(code) for code in Department.values}


def survey_rates(sites, period: Period) -> dict:
    counts = (Survey.objects.filter(site__in=sites, taken_at__gte=period.start, taken_at__lt=period.end)
              .aggregate(surveys=Count("pk"), rated=Count("overall"), satisfied=Count("pk", filter=Q(overall__gte=4)),
                         recommended=Count("recommend"), promoters=Count("pk", filter=Q(recommend__gte=9)),
                         detractors=Count("pk", filter=Q(recommend__lte=6))))
    nps_share = ratio(counts["promoters"] - counts["detractors"], counts["recommended"])
    return {
        "surveys": counts["surveys"],
        "satisfaction_rate": percent(ratio(counts["satisfied"], counts["rated"])),
        "nps": percent(nps_share),
        "promoters": counts["promoters"],
        "detractors": counts["detractors"],
    }


def callback_rates(sites, period: Period) -> dict:
    counts = (Callback.objects
              .filter(site__in=sites, kind__in=SATISFACTION_CALLS, due_at__gte=period.start, due_at__lt=period.end)
              .aggregate(due=Count("pk"),
                         on_time=Count("pk", filter=Q(status=Callback.Status.DONE, completed_at__lte=F("due_at"))),
                         reached=Count("pk", filter=Q(status=Callback.Status.DONE)),
                         unreachable=Count("pk", filter=Q(status=Callback.Status.UNREACHABLE))))
    return {
        "callbacks_due": counts["due"],
        "callbacks_on_time": counts["on_time"],
        "on_time_rate": percent(ratio(counts["on_time"], counts["due"])),
        "reachability": percent(ratio(counts["reached"], counts["reached"] + counts["unreachable"])),
    }


def _rollup_scores(sites, window: Period) -> dict[str, dict]:
    """{"YYYY-MM": {department: score}} over the window (whole months) from the survey month scores: one query
    over a few rows per month, which followups.services.survey_rollup keeps with every survey recorded."""
    rows = (SurveyMonthScore.objects.filter(site__in=sites, month__gte=window.first_day, month__lt=window.end_day)
            .values("month", "department").annotate(answers=Sum("answers"), total=Sum("score_sum")).order_by())
    by_month: dict[str, dict] = {}
    for row in rows:
        if row["answers"]:
            score = one_place(Decimal(row["total"]) * 20 / row["answers"])
            by_month.setdefault(f"{row['month']:%Y-%m}", {})[row["department"]] = score
    return by_month


def _answer_scores(sites, window: Period) -> dict[str, dict]:
    """The same from the answers (one query over a year of them), for a window that is not whole months or a group
    whose sites keep other time zones than the report's (their rolled-up months are their own)."""
    rows = (SurveyAnswer.objects
            .filter(survey__site__in=sites, survey__taken_at__gte=window.start, survey__taken_at__lt=window.end)
            .annotate(month=TruncMonth("survey__taken_at", tzinfo=window.zone))
            .values("month", "department").annotate(mean=Avg("score")).order_by())
    by_month: dict[str, dict] = {}
    for row in rows:
        by_month.setdefault(f"{row['month']:%Y-%m}", {})[row["department"]] = one_place(row["mean"] * 20)
    return by_month


def _monthly_scores(sites, window: Period) -> dict[str, dict]:
    whole_months = window.first_day.day == 1 and window.end_day.day == 1
    if whole_months and all(site.time_zone == window.zone.key for site in sites):
        return _rollup_scores(sites, window)
    return _answer_scores(sites, window)


def _trend_rows(by_month: dict[str, dict]) -> list[dict]:
    return [{"month": month, "scores": dict(sorted(scores.items()))} for month, scores in sorted(by_month.items())
            if scores]


def trend(sites, period: Period) -> list[dict]:
    """Department scores month by month over the twelve months ending with `period` (one query)."""
    return _trend_rows(_monthly_scores(sites, trailing_months(period)))


def low_score_comments(sites, period: Period, limit: int = 50) -> list[dict]:
    rows = (Survey.objects.filter(site__in=sites, taken_at__gte=period.start, taken_at__lt=period.end,
                                  overall__lte=LOW_SCORE).exclude(verbatim="")
            .select_related("repair_order").order_by("taken_at")[:limit])
    return [{"taken_at": survey.taken_at, "overall": survey.overall, "verbatim": survey.verbatim,
             "repair_order": survey.repair_order.number if survey.repair_order else ""} for survey in rows]


def satisfaction(sites, period: Period) -> dict:
    by_month = _monthly_scores(sites, trailing_months(period))
    if period == month_period(period.first_day, period.zone):  # a calendar month: the trend's last month
        found = by_month.get(period.label, {})
        departments = {code: found.get(code) for code in Department.values}
    else:
        departments = department_scores(sites, period)
    return {
        "departments": departments,
        **survey_rates(sites, period),
        **callback_rates(sites, period),
        "trend": _trend_rows(by_month),
        "low_score_comments": low_score_comments(sites, period),
    }
