"""The unified timeline: every source reduced to the same columns and UNIONed in the database, so that a page
costs a count, the page's rows and the names of the page's users whatever the number of sources."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import BigIntegerField, DateTimeField, F, Q, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from servicedesk.accounts.names import staff_name

from .sources import Source, sources, text


@dataclass(frozen=True)
class TimelineFilter:
    date_from: date | None = None
    date_to: date | None = None
    actor_id: int | None = None
    kinds: tuple[str, ...] = ()  # source keys; empty: all
    record: str = ""  # a record's id or number (RO / invoice number, customer name)


def _column(value):
    return F(value) if isinstance(value, str) else value


def _rows_of(source: Source, site_id: int, flt: TimelineFilter):
    qs = source.queryset().order_by()
    if source.site:
        qs = qs.filter(**{source.site: site_id})
    zone = timezone.get_current_timezone()
    if flt.date_from:
        qs = qs.filter(**{f"{source.at}__gte": datetime.combine(flt.date_from, time.min, zone)})
    if flt.date_to:
        qs = qs.filter(**{f"{source.at}__lt": datetime.combine(flt.date_to + timedelta(days=1), time.min, zone)})
    if flt.actor_id:
        qs = qs.filter(**{source.actor: flt.actor_id})
    if flt.record:
        qs = qs.filter(_record_q(source, flt.record))
    # Only annotations, all named alike and in the same order: the UNION lines the columns up by position.
    return qs.values(
        t_at=Cast(source.at, DateTimeField()),
        t_actor=Cast(source.actor, BigIntegerField()),
        t_source=text(_as_value(source.key)),
        t_record=Cast(source.record, BigIntegerField()),
        t_title=text(_column(source.title)),
        t_action=text(_column(source.action)),
        t_before=text(_column(source.before)),
        t_after=text(_column(source.after)),
    )


def _as_value(key: str):
    return Value(key)


def _record_q(source: Source, record: str) -> Q:
    """A number or a name matches the record's title; digits alone also match its id."""
    term = record.strip()
    q = Q(**{f"{source.search_path}__icontains": term}) if source.search_path else Q()
    if term.isdecimal():
        q |= Q(**{source.record: int(term)})
    return q if q else Q(pk__in=[])


def timeline(*, site, flt: TimelineFilter):
    """A queryset of dicts (t_at, t_actor, t_source, t_record, t_title, t_action, t_before, t_after), newest first.

    Paged with a Paginator: one COUNT over the union and one SELECT of the page's rows.
    """
    chosen = [s for s in sources() if not flt.kinds or s.key in flt.kinds]
    if not chosen:
        chosen = sources()
    parts = [_rows_of(s, site.pk, flt) for s in chosen]
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by("-t_at", "t_source", "-t_record")


def decorate(rows, *, users=None) -> list[dict]:
    """The page's rows with the acting user's name and the record's link (one query for the users)."""
    rows = list(rows)
    by_key = {s.key: s for s in sources()}
    ids = {r["t_actor"] for r in rows if r["t_actor"]}
    if users is None:
        users = {u.pk: u for u in get_user_model().objects.filter(pk__in=ids).select_related("profile")} if ids else {}
    for row in rows:
        source = by_key.get(row["t_source"])
        user = users.get(row["t_actor"])
        row["who"] = staff_name(user)
        row["source_label"] = source.label if source else row["t_source"]
        labels = source.labels if source else {}
        for column in ("t_action", "t_before", "t_after"):
            row[column + "_label"] = labels.get(row[column], row[column])
        if source and row["t_action"] in source.action_labels:
            row["t_action_label"] = source.action_labels[row["t_action"]]
        row["url"] = reverse(source.link, args=[row["t_record"]]) if source and source.link and row["t_record"] else ""
        if isinstance(row["t_at"], str):  # SQLite hands back text from a UNION's cast column
            row["t_at"] = datetime.fromisoformat(row["t_at"])
    return rows


def staff_choices(*, site) -> list[tuple[int, str]]:
    """Everybody who works at the site, for the "who" filter (one query)."""
    users = (get_user_model().objects.filter(profile__sites=site).select_related("profile")
             .order_by("username").distinct())
    return [(u.pk, u.profile.display_name or u.username) for u in users]
