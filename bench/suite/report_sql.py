"""The monthly report's aggregates (reports/figures/*.py, DESIGN.md §6) for one site in hand-written SQL: the yardstick
the ORM version is held to (≤ 1.5× its time, measured pairwise). Ten statements or fewer, one round trip each; the
final rounding reuses reports.figures.common so both give identical figures, which `differences` checks. It takes
the same short cuts as the ORM version, so the ratio compares queries, not shortcuts: department scores come from
the trend, read from the same survey month scores (followups_surveymonthscore) as the report; one pass over the
invoice lines per advisor gives the totals too; the quarter of a quarter's first month is the month."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import connection

from reports.figures.common import median, one_place, percent, ratio
from reports.periods import Period, add_months, quarter_to_date, trailing_months

# Surveys, satisfaction callbacks, complaints, rechecks, lost vehicles, RO counts and appointments: one row.
COUNTS_SQL = """
SELECT
 (SELECT count(*) FROM followups_survey s WHERE s.site_id = %(site)s AND s.taken_at >= %(start)s
    AND s.taken_at < %(end)s),
 sv.rated, sv.satisfied, sv.recommended, sv.promoters, sv.detractors,
 cb.due, cb.on_time, cb.reached, cb.unreachable,
 cp.total, cp.by_deadline,
 (SELECT count(*) FROM followups_callback c WHERE c.site_id = %(site)s AND c.kind = 'complaint_recheck'
    AND c.status = 'done' AND c.completed_at >= %(start)s AND c.completed_at < %(end)s),
 (SELECT count(*) FROM followups_lostvehicle l WHERE l.site_id = %(site)s AND l.won_back_at >= %(start)s
    AND l.won_back_at < %(end)s),
 (SELECT count(DISTINCT l.vehicle_id) FROM followups_lostvehicle l WHERE l.site_id = %(site)s
    AND l.lost_on >= %(first_day)s AND l.lost_on < %(end_day)s),
 (SELECT count(DISTINCT l.vehicle_id) FROM followups_lostvehicle l WHERE l.site_id = %(site)s
    AND l.lost_on >= %(quarter_day)s AND l.lost_on < %(end_day)s),
 ro.delivered, ro.comebacks, ro.car_count,
 ap.due, ap.arrived, ap.no_shows
FROM
 (SELECT count(overall) AS rated, count(*) FILTER (WHERE overall >= 4) AS satisfied,
         count(recommend) AS recommended, count(*) FILTER (WHERE recommend >= 9) AS promoters,
         count(*) FILTER (WHERE recommend <= 6) AS detractors
  FROM followups_survey WHERE site_id = %(site)s AND taken_at >= %(start)s AND taken_at < %(end)s) sv,
 (SELECT count(*) AS due, count(*) FILTER (WHERE status = 'done' AND completed_at <= due_at) AS on_time,
         count(*) FILTER (WHERE status = 'done') AS reached,
         count(*) FILTER (WHERE status = 'unreachable') AS unreachable
  FROM followups_callback WHERE site_id = %(site)s AND kind IN ('advisor_72h', 'csi_3day')
    AND due_at >= %(start)s AND due_at < %(end)s) cb,
 (SELECT count(*) AS total, count(*) FILTER (WHERE resolved_at IS NOT NULL AND resolved_at <= deadline) AS by_deadline
  FROM followups_complaint WHERE site_id = %(site)s AND created_at >= %(start)s AND created_at < %(end)s) cp,
 (SELECT count(*) FILTER (WHERE state = 'delivered' AND delivered_at >= %(start)s AND delivered_at < %(end)s)
           AS delivered,
         count(*) FILTER (WHERE ro_type = 'comeback' AND created_at >= %(start)s AND created_at < %(end)s)
           AS comebacks,
         count(*) FILTER (WHERE state <> 'cancelled' AND created_at >= %(start)s AND created_at < %(end)s)
           AS car_count
  FROM repair_orders_repairorder WHERE site_id = %(site)s
    AND (delivered_at >= %(start)s AND delivered_at < %(end)s OR created_at >= %(start)s AND created_at < %(end)s)
 ) ro,
 (SELECT count(*) AS due, count(*) FILTER (WHERE status = 'arrived') AS arrived,
         count(*) FILTER (WHERE status = 'no_show') AS no_shows
  FROM appointments_appointment WHERE site_id = %(site)s AND status <> 'cancelled'
    AND day >= %(first_day)s AND day < %(end_day)s) ap"""

ACTIVE_SQL = """
SELECT count(DISTINCT vehicle_id) FROM repair_orders_repairorder WHERE site_id = %(site)s AND state = 'delivered'
  AND delivered_at >= %(since)s AND delivered_at < %(before)s"""

# The department scores of the trend's twelve months, from the survey answers rolled up per month and department
# (followups.services.survey_rollup), as the report reads them.
TREND_SQL = """
SELECT to_char(month, 'YYYY-MM'), department, score_sum, answers FROM followups_surveymonthscore
WHERE site_id = %(site)s AND month >= %(from)s AND month < %(to)s AND answers > 0"""

GROUPS_SQL = """
SELECT 'department', department, count(*) FROM followups_complaint
 WHERE site_id = %(site)s AND created_at >= %(start)s AND created_at < %(end)s GROUP BY department
UNION ALL
SELECT 'category', category, count(*) FROM followups_complaint
 WHERE site_id = %(site)s AND created_at >= %(start)s AND created_at < %(end)s GROUP BY category
UNION ALL
SELECT 'reason', reason, count(*) FROM followups_lostvehicle
 WHERE site_id = %(site)s AND lost_on >= %(first_day)s AND lost_on < %(end_day)s GROUP BY reason"""

RESOLVE_HOURS_SQL = """
SELECT extract(epoch FROM resolved_at - created_at) / 3600 FROM followups_complaint
WHERE site_id = %(site)s AND resolved_at >= %(start)s AND resolved_at < %(end)s"""

LOW_SCORES_SQL = """
SELECT s.taken_at, s.overall, s.verbatim, coalesce(r.number, '') FROM followups_survey s
LEFT JOIN repair_orders_repairorder r ON r.id = s.repair_order_id
WHERE s.site_id = %(site)s AND s.taken_at >= %(start)s AND s.taken_at < %(end)s AND s.overall <= 3
  AND s.verbatim <> '' ORDER BY s.taken_at LIMIT 50"""

# Per advisor of the invoiced RO; the report's totals are the sums of these rows.
REVENUE_SQL = """
WITH lines AS (
 SELECT r.advisor_id, l.net * CASE WHEN i.kind = 'credit_note' THEN -1 ELSE 1 END AS net, l.kind, l.pay_type
 FROM billing_invoiceline l JOIN billing_invoice i ON i.id = l.invoice_id
 JOIN repair_orders_repairorder r ON r.id = i.repair_order_id
 WHERE i.site_id = %(site)s AND i.issued_at >= %(start)s AND i.issued_at < %(end)s)
SELECT advisor_id, coalesce(sum(net), 0),
 coalesce(sum(net) FILTER (WHERE pay_type = 'customer' AND kind IN ('labour', 'fee')), 0),
 coalesce(sum(net) FILTER (WHERE pay_type = 'customer' AND kind = 'part'), 0),
 coalesce(sum(net) FILTER (WHERE pay_type = 'warranty'), 0),
 coalesce(sum(net) FILTER (WHERE pay_type = 'internal'), 0),
 coalesce(sum(net) FILTER (WHERE kind = 'labour'), 0)
FROM lines GROUP BY advisor_id"""

# Credited invoices are few: NOT IN hashes them once instead of probing per invoice.
INVOICED_SQL = """
SELECT count(DISTINCT i.repair_order_id) FROM billing_invoice i WHERE i.site_id = %(site)s AND i.kind = 'invoice'
  AND i.issued_at >= %(start)s AND i.issued_at < %(end)s
  AND i.id NOT IN (SELECT c.credits_id FROM billing_invoice c WHERE c.credits_id IS NOT NULL)"""

# Per technician: sold hours, clocked hours, attended hours (shift × weekday over the month's days, less absences).
TECHNICIANS_SQL = """
WITH days AS (SELECT d::date AS day FROM generate_series(%(first_day)s::date, %(last_day)s::date, '1 day') d),
shift AS (SELECT technician_id, weekday,
            round(greatest(extract(epoch FROM ends_at - starts_at) / 60 - break_minutes, 0) / 60, 2) AS hours
          FROM appointments_technicianshift WHERE site_id = %(site)s),
absence AS (SELECT technician_id, day, bool_or(hours IS NULL) AS whole_day, coalesce(sum(hours), 0) AS hours
            FROM appointments_technicianabsence WHERE site_id = %(site)s AND day BETWEEN %(first_day)s AND %(last_day)s
            GROUP BY technician_id, day),
attended AS (SELECT s.technician_id, sum(CASE WHEN a.whole_day THEN 0
                                              ELSE greatest(s.hours - coalesce(a.hours, 0), 0) END) AS hours
             FROM shift s JOIN days d ON s.weekday = extract(isodow FROM d.day) - 1
             LEFT JOIN absence a ON a.technician_id = s.technician_id AND a.day = d.day
             GROUP BY s.technician_id),
sold AS (SELECT j.technician_id, sum(j.hours) AS hours FROM repair_orders_jobline j
         JOIN repair_orders_repairorder r ON r.id = j.repair_order_id
         WHERE r.site_id = %(site)s AND j.state IN ('done', 'passed') AND j.technician_id IS NOT NULL
           AND j.finished_at >= %(start)s AND j.finished_at < %(end)s GROUP BY j.technician_id),
clocked AS (SELECT technician_id, sum(extract(epoch FROM ended_at - started_at)) / 3600 AS hours
            FROM workshop_timeentry WHERE site_id = %(site)s AND ended_at IS NOT NULL
              AND started_at >= %(start)s AND started_at < %(end)s GROUP BY technician_id),
ids AS (SELECT user_id AS id FROM workshop_technicianprofile WHERE site_id = %(site)s AND active
        UNION SELECT technician_id FROM shift UNION SELECT technician_id FROM sold
        UNION SELECT technician_id FROM clocked)
SELECT ids.id, coalesce(nullif(p.display_name, ''), u.username),
       round(coalesce(sold.hours, 0), 2), round(coalesce(clocked.hours, 0), 2), round(coalesce(attended.hours, 0), 2)
FROM ids JOIN auth_user u ON u.id = ids.id LEFT JOIN accounts_staffprofile p ON p.user_id = u.id
LEFT JOIN sold ON sold.technician_id = ids.id LEFT JOIN clocked ON clocked.technician_id = ids.id
LEFT JOIN attended ON attended.technician_id = ids.id"""

ADVISORS_SQL = """
WITH opened AS (SELECT advisor_id AS id, count(*) AS n FROM repair_orders_repairorder
                WHERE site_id = %(site)s AND state <> 'cancelled' AND created_at >= %(start)s AND created_at < %(end)s
                GROUP BY advisor_id),
extra AS (SELECT r.advisor_id AS id, count(*) AS proposed, count(j.approved_at) AS accepted
          FROM repair_orders_jobline j JOIN repair_orders_repairorder r ON r.id = j.repair_order_id
          WHERE r.site_id = %(site)s AND j.additional AND j.created_at >= %(start)s AND j.created_at < %(end)s
          GROUP BY r.advisor_id),
rated AS (SELECT r.advisor_id AS id, count(s.overall) AS rated, count(*) FILTER (WHERE s.overall >= 4) AS satisfied
          FROM followups_survey s JOIN repair_orders_repairorder r ON r.id = s.repair_order_id
          WHERE s.site_id = %(site)s AND s.taken_at >= %(start)s AND s.taken_at < %(end)s GROUP BY r.advisor_id),
ids AS (SELECT id FROM opened UNION SELECT id FROM extra UNION SELECT id FROM rated)
SELECT ids.id, coalesce(opened.n, 0), coalesce(extra.proposed, 0),
       coalesce(extra.accepted, 0), coalesce(rated.satisfied, 0), coalesce(rated.rated, 0)
FROM ids LEFT JOIN opened USING (id) LEFT JOIN extra USING (id)
LEFT JOIN rated USING (id) WHERE ids.id IS NOT NULL ORDER BY ids.id"""

SETTINGS_SQL = """
SELECT lost_after_months, churn_target FROM followups_followupsettings WHERE site_id = %(site)s"""


def _params(site, period: Period, lost_after: int) -> dict:
    quarter = quarter_to_date(period)

    def since(first_day):
        return datetime.combine(add_months(first_day, -lost_after), time.min, tzinfo=period.zone)

    return {"site": site.pk, "start": period.start, "end": period.end, "first_day": period.first_day,
            "end_day": period.end_day, "last_day": period.end_day - timedelta(days=1),
            "quarter_day": quarter.first_day, "quarter_start": quarter.start,
            "month_since": since(period.first_day), "quarter_since": since(quarter.first_day),
            "zone": str(period.zone)}


def _trend(rows, site, period: Period) -> dict[str, dict]:
    window = trailing_months(period)
    by_month: dict[str, dict] = {}
    for month, department, total, answers in rows(TREND_SQL, {"site": site.pk, "from": window.first_day,
                                                               "to": window.end_day}):
        by_month.setdefault(month, {})[department] = one_place(Decimal(total) * 20 / answers)
    return by_month


def monthly_sql(site, period: Period) -> dict:
    """The figures of reports.monthly.monthly_figures for one site, from hand-written SQL."""
    with connection.cursor() as cursor:
        def rows(sql, params):
            cursor.execute(sql, params)
            return cursor.fetchall()

        settings_row = rows(SETTINGS_SQL, {"site": site.pk})
        lost_after, target = settings_row[0] if settings_row else (12, Decimal("0.050"))
        p = _params(site, period, lost_after)
        (surveys, rated, satisfied, recommended, promoters, detractors, cb_due, cb_on_time, reached, unreachable,
         complaints, by_deadline, rechecks, won_back, lost_month, lost_quarter, delivered, comebacks, car_count,
         ap_due, ap_arrived, no_shows) = rows(COUNTS_SQL, p)[0]
        active_month = rows(ACTIVE_SQL, {"site": site.pk, "since": p["month_since"], "before": p["start"]})[0][0]
        if quarter_to_date(period) == period:
            active_quarter = active_month
        else:
            active_quarter = rows(ACTIVE_SQL, {"site": site.pk, "since": p["quarter_since"],
                                               "before": p["quarter_start"]})[0][0]
        by_month = _trend(rows, site, period)
        groups = rows(GROUPS_SQL, p)
        hours = [float(h) for (h,) in rows(RESOLVE_HOURS_SQL, p)]
        low = rows(LOW_SCORES_SQL, p)
        revenue_rows = rows(REVENUE_SQL, p)
        invoiced = rows(INVOICED_SQL, p)[0][0]
        technicians = rows(TECHNICIANS_SQL, p)
        advisors = rows(ADVISORS_SQL, p)
    total, labour, parts, warranty, internal, labour_all = (sum((row[n] for row in revenue_rows), Decimal(0))
                                                             for n in range(1, 7))
    revenue_by = {row[0]: row[1] for row in revenue_rows}
    advisor_ids = sorted({row[0] for row in advisors} | {a for a in revenue_by if a is not None})
    advisors_by = {row[0]: row for row in advisors}
    grouped: dict[str, dict] = {"department": {}, "category": {}, "reason": {}}
    for kind, key, n in groups:
        grouped[kind][key] = n
    sold = sum((row[2] for row in technicians), Decimal(0))
    quarter_rate = percent(ratio(lost_quarter, active_quarter))
    return {
        "satisfaction": {
            "departments": by_month.get(period.label, {}),
            "surveys": surveys, "satisfaction_rate": percent(ratio(satisfied, rated)),
            "nps": percent(ratio(promoters - detractors, recommended)), "promoters": promoters,
            "detractors": detractors, "callbacks_due": cb_due, "callbacks_on_time": cb_on_time,
            "on_time_rate": percent(ratio(cb_on_time, cb_due)),
            "reachability": percent(ratio(reached, reached + unreachable)),
            "trend": [{"month": month, "scores": scores} for month, scores in sorted(by_month.items()) if scores],
            "low_score_comments": [{"taken_at": at, "overall": overall, "verbatim": text, "repair_order": number}
                                   for at, overall, text, number in low],
        },
        "complaints": {
            "opened": complaints, "by_department": grouped["department"], "by_category": grouped["category"],
            "resolved": len(hours), "median_hours_to_resolve": one_place(median(hours)),
            "resolved_by_deadline_rate": percent(ratio(by_deadline, complaints)), "rechecks_done": rechecks,
        },
        "churn": {
            "month": {"active_at_start": active_month, "lost": lost_month,
                      "rate": percent(ratio(lost_month, active_month))},
            "quarter": {"active_at_start": active_quarter, "lost": lost_quarter, "rate": quarter_rate},
            "target_percent": percent(target), "reasons": grouped["reason"], "won_back": won_back,
        },
        "workshop": {
            "delivered": delivered, "comebacks": comebacks,
            "first_time_fix": None if not delivered else percent(1 - ratio(comebacks, delivered)),
            "technicians": {row[0]: {"technician": row[1], "sold_hours": row[2], "clocked_hours": row[3],
                                     "attended_hours": row[4]} for row in technicians},
            "sold_hours": sold,
            "hours_per_ro": one_place(sold / invoiced) if invoiced else None,
        },
        "business": {
            "car_count": car_count, "due": ap_due, "arrived": ap_arrived, "no_shows": no_shows,
            "show_rate": percent(ratio(ap_arrived, ap_due)),
            "revenue": {"total": total, "labour": labour, "parts": parts, "warranty": warranty,
                        "internal": internal, "labour_all_pay_types": labour_all, "invoiced_ros": invoiced},
            "advisors": {advisor: {"repair_orders": advisors_by.get(advisor, (0,) * 6)[1],
                                   "revenue": revenue_by.get(advisor, Decimal(0)),
                                   "additional_proposed": advisors_by.get(advisor, (0,) * 6)[2],
                                   "additional_accepted": advisors_by.get(advisor, (0,) * 6)[3]}
                         for advisor in advisor_ids},
        },
    }


def differences(orm: dict, sql: dict) -> list[str]:
    """Where the ORM report and the SQL figures disagree (an empty list when they agree)."""
    found = []

    def same(path: str, a, b) -> None:
        if a != b and not (isinstance(a, (int, float, Decimal)) and isinstance(b, (int, float, Decimal))
                           and abs(Decimal(str(a)) - Decimal(str(b))) < Decimal("0.011")):
            found.append(f"{path}: report {a!r}, SQL {b!r}")

    for section, figures in sql.items():
        for key, value in figures.items():
            mine = orm[section].get(key) if key in orm[section] else orm[section].get("revenue", {}).get(key)
            if section == "workshop" and key == "technicians":
                mine = {row["technician_id"]: {k: row[k] for k in value.get(row["technician_id"], {})}
                        for row in orm["workshop"]["technicians"]}
            elif section == "business" and key == "advisors":
                mine = {row["advisor_id"]: {k: row[k] for k in value.get(row["advisor_id"], {})}
                        for row in orm["business"]["advisors"]}
            elif section == "satisfaction" and key == "departments":
                mine = {code: score for code, score in orm[section][key].items() if score is not None}
            if isinstance(value, dict) and isinstance(mine, dict):
                # keyed tables must hold the same keys; fixed records only the keys the SQL computes
                keys = set(value) if key in ("revenue", "month", "quarter") else set(value) | set(mine)
                for inner in keys:
                    same(f"{section}.{key}.{inner}", mine.get(inner), value.get(inner))
            else:
                same(f"{section}.{key}", mine, value)
    return found
