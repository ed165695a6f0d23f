"""Satisfaction (DESIGN.md §6): department score = mean of its 1–5 answers × 20; satisfaction rate = share
of surveys with overall ≥ 4; NPS = % of 9–10 minus % of 0–6 on the recommend question; callback on-time
rate = satisfaction callbacks completed by their due time ÷ those due in the period; reachability = reached
÷ (reached + unreachable) among them."""

from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncMonth

from followups.models import Callback, Department, Survey, SurveyAnswer

from ..periods import Period, trailing_months
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


def trend(sites, period: Period) -> list[dict]:
    """Department scores month by month over the twelve months ending with `period` (one query)."""
    window = trailing_months(period)
    rows = (SurveyAnswer.objects
            .filter(survey__site__in=sites, survey__taken_at__gte=window.start, survey__taken_at__lt=window.end)
            .annotate(month=TruncMonth("survey__taken_at", tzinfo=period.zone))
            .values("month", "department").annotate(mean=Avg("score")).order_by("month"))
    by_month: dict[str, dict] = {}
    for row in rows:
        by_month.setdefault(f"{row['month']:%Y-%m}", {})[row["department"]] = one_place(row["mean"] * 20)
    return [{"month": month, "scores": scores} for month, scores in sorted(by_month.items())]


def low_score_comments(sites, period: Period, limit: int = 50) -> list[dict]:
    rows = (Survey.objects.filter(site__in=sites, taken_at__gte=period.start, taken_at__lt=period.end,
                                  overall__lte=LOW_SCORE).exclude(verbatim="")
            .select_related("repair_order").order_by("taken_at")[:limit])
    return [{"taken_at": survey.taken_at, "overall": survey.overall, "verbatim": survey.verbatim,
             "repair_order": survey.repair_order.number if survey.repair_order else ""} for survey in rows]


def satisfaction(sites, period: Period) -> dict:
    return {
        "departments": department_scores(sites, period),
        **survey_rates(sites, period),
        **callback_rates(sites, period),
        "trend": trend(sites, period),
        "low_score_comments": low_score_comments(sites, period),
    }
