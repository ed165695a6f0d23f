"""Reads of the parts store (DESIGN.md §3): each a constant number of queries."""

import re
from decimal import Decimal

from django.db.models import DecimalField, F, Lookup, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Replace, Upper
from django.shortcuts import get_object_or_404

from customers.validation import clean_search_text

from .models import Part, PurchaseRequest, PurchaseRequestLine, Reservation, Shortage, StockAdjustment, StockMovement
from .quantities import format_quantity

# How many supersessions back a search for an old number still finds the current part.
SUPERSESSION_DEPTH = 3
_NUMBER_NOISE = re.compile(r"[\s\-]+")
_ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=12, decimal_places=2))


def number_key(number: str) -> str:
    """A part number as searched and compared: capitals, without spaces or dashes."""
    return _NUMBER_NOISE.sub("", number or "").upper()


def number_key_expression():
    """number_key() in SQL; migration 0002 indexes exactly this expression on PostgreSQL."""
    return Upper(Replace(Replace(F("number"), Value("-"), Value("")), Value(" "), Value("")))


class _Like(Lookup):
    """`LIKE pattern`, or ILIKE when case-insensitive, with the pattern built here (see _pattern). Django's
    icontains compares UPPER(column) on PostgreSQL, which the plain-column trigram indexes can't serve; pg_trgm
    serves ILIKE. SQLite's LIKE ignores ASCII case already."""

    lookup_name = "like"
    insensitive = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        operator = "ILIKE" if self.insensitive and connection.vendor == "postgresql" else "LIKE"
        return f"{lhs} {operator} {rhs} ESCAPE '\\'", [*lhs_params, *rhs_params]


class _ILike(_Like):
    lookup_name = "ilike"
    insensitive = True


def _pattern(text: str, *, start: str = "%", end: str = "%") -> Value:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Value(f"{start}{escaped}{end}")


def _text_match(q: str) -> Q:
    """Which parts a search text finds, in conditions each served by one trigram index (migration 0002).

    Text without Latin letters or digits (机油, 博世) can only be in the name or the brand. pg_trgm can't index
    a fragment under three characters, so a short Latin query ("zf", "5q") looks only at starts: the
    number, the names, the whole brand.
    """
    if not any(ch.isascii() and ch.isalnum() for ch in q):
        return Q(_Like(F("name"), _pattern(q))) | Q(_Like(F("brand"), _pattern(q)))
    key = number_key(q)
    if len(q) < 3:
        conditions = [_Like(number_key_expression(), _pattern(key, start="")),
                      _ILike(F("brand"), _pattern(q, start="", end="")),
                      _ILike(F("name"), _pattern(q, start="")), _ILike(F("name_en"), _pattern(q, start=""))]
    else:
        conditions = [_ILike(F(field), _pattern(q)) for field in ("name", "name_en", "brand")]
        if key:
            conditions.append(_Like(number_key_expression(), _pattern(key)))
    match = Q()
    for condition in conditions:
        match |= Q(condition)
    return match


def _replacement_ids(*, site, q: str) -> list[int]:
    """The parts that replace the old numbers matching `q` (one query, up to SUPERSESSION_DEPTH links on)."""
    key = number_key(q)
    if len(key) < 3:
        return []
    links = ["superseded_by"]
    for _depth in range(SUPERSESSION_DEPTH - 1):
        links.append(links[-1] + "__superseded_by")
    old = (Part.objects.filter(site=site, superseded_by__isnull=False)
           .filter(_Like(number_key_expression(), _pattern(key))).order_by())
    return sorted({pk for row in old.values_list(*links)[:200] for pk in row if pk is not None})


def part_search(*, site, q: str = "", kind: str = "", brand: str = "", active_only: bool = True) -> QuerySet[Part]:
    """Number (ignoring spaces/dashes/case), old number (finds its replacement), name, name_en, brand.

    Runs one query now when `q` has a number in it (the replacements of matching old numbers), and one when
    iterated (parts with supplier and replacement joined). The match is a flat OR of indexed conditions, so
    PostgreSQL combines the trigram indexes (BitmapOr) instead of scanning the catalogue.
    """
    parts = Part.objects.filter(site=site)
    if active_only:
        parts = parts.filter(active=True)
    if kind:
        parts = parts.filter(kind=kind)
    if brand:
        parts = parts.filter(brand__iexact=brand)
    parts = parts.select_related("supplier", "superseded_by")
    q = clean_search_text(q)
    if not q:
        return parts.order_by("number", "pk")
    replacements = _replacement_ids(site=site, q=q)
    parts = parts.filter(_text_match(q) | Q(pk__in=replacements) if replacements else _text_match(q))
    # Migration 0002 raises the statistics target of the searched columns: with the default, PostgreSQL
    # overestimated rare number fragments and walked the (site, number) index through the whole catalogue.
    return parts.order_by("number", "pk")


def part_detail(*, site, pk) -> Part:
    """The part with supplier and replacement (one query), and the numbers it replaces (a second). 404 elsewhere."""
    queryset = Part.objects.filter(site=site).select_related("site", "supplier", "superseded_by")
    return get_object_or_404(queryset.prefetch_related("supersedes"), pk=pk)


def part_movements(*, part: Part) -> QuerySet[StockMovement]:
    """The part's ledger, newest first, with who booked and who approved (one query)."""
    return (StockMovement.objects.filter(part=part)
            .select_related("created_by__profile", "approved_by__profile", "delivery")
            .order_by("-created_at", "-pk"))


def part_open_reservations(*, part: Part) -> QuerySet[Reservation]:
    """HELD reservations of the part, oldest first, with who made them (one query)."""
    return (Reservation.objects.filter(part=part, status=Reservation.Status.HELD)
            .select_related("created_by__profile").order_by("created_at", "pk"))


def shortage_list(*, site, status: str = "") -> QuerySet[Shortage]:
    """Shortages of the site, newest first; one query with part, requester and purchase request joined."""
    shortages = Shortage.objects.filter(site=site)
    if status:
        shortages = shortages.filter(status=status)
    return shortages.select_related("part", "requested_by__profile", "purchase_request").order_by("-created_at", "-pk")


def _on_order():
    """Per part: what ordered purchase requests still have to deliver (over-deliveries count as zero)."""
    lines = (PurchaseRequestLine.objects
             .filter(part=OuterRef("pk"), purchase_request__status=PurchaseRequest.Status.ORDERED)
             .order_by().values("part")
             .annotate(total=Sum(Greatest(F("quantity") - F("received_quantity"), _ZERO))).values("total"))
    return Coalesce(Subquery(lines, output_field=_ZERO.output_field), _ZERO)


def reorder_list(*, site) -> QuerySet[Part]:
    """Active parts whose on_hand + on_order is below the reorder point (one query; on_order annotated)."""
    return (Part.objects.filter(site=site, active=True, reorder_point__gt=0)
            .annotate(on_order=_on_order())
            .filter(reorder_point__gt=F("on_hand") + F("on_order"))
            .select_related("supplier").order_by("number", "pk"))


def pending_adjustments(*, site) -> QuerySet[StockAdjustment]:
    """Adjustments waiting for approval, oldest first, with part and requester (one query)."""
    return (StockAdjustment.objects.filter(site=site, status=StockAdjustment.Status.PENDING)
            .select_related("part", "requested_by__profile").order_by("requested_at", "pk"))


def part_availability(*, part: Part, sites) -> list[dict]:
    """[{"site", "part", "on_hand", "reserved", "available"}] for the same number at each of `sites` that
    stocks it, in the order given (one query)."""
    site_ids = [getattr(site, "pk", site) for site in sites]
    found = {p.site_id: p for p in Part.objects.filter(site_id__in=site_ids, number=part.number).select_related("site")}
    return [
        {"site": p.site, "part": p, "on_hand": p.on_hand, "reserved": p.reserved, "available": p.available}
        for p in (found.get(site_id) for site_id in site_ids) if p is not None
    ]


def stock_ledger_disagreements(*, site=None) -> list[str]:
    """Every part whose on_hand or reserved disagrees with its ledger, as readable lines.

    on_hand must equal the sum of its movements and the last movement's balance_after; reserved must equal
    what its HELD reservations still hold. Four set-based queries (parts, movement sums, last balances,
    held sums) rather than per-part subqueries, which took seconds on 50,000 parts.
    """
    parts, movements = Part.objects.all(), StockMovement.objects.all()
    reservations = Reservation.objects.filter(status=Reservation.Status.HELD)
    if site is not None:
        parts, movements, reservations = (qs.filter(site=site) for qs in (parts, movements, reservations))
    moved = dict(movements.order_by().values("part").annotate(total=Sum("quantity")).values_list("part", "total"))
    # The last movement is the highest id: ids are drawn while the part row is locked, so in ledger order.
    last_ids = movements.order_by().values("part").annotate(last=Max("pk")).values("last")
    last_balance = dict(StockMovement.objects.filter(pk__in=last_ids).values_list("part", "balance_after"))
    held = dict(reservations.order_by().values("part")
                .annotate(total=Sum(F("quantity") - F("issued_quantity"))).values_list("part", "total"))
    q, zero = format_quantity, Decimal("0")
    lines = []
    rows = parts.order_by("site__code", "number").values_list("pk", "site__code", "number", "on_hand", "reserved")
    for pk, code, number, on_hand, reserved in rows:
        total, last, holding = moved.get(pk, zero), last_balance.get(pk, zero), held.get(pk, zero)
        if on_hand != total or on_hand != last or reserved != holding:
            lines.append(f"{code} {number}: on_hand {q(on_hand)}, movements sum {q(total)}, "
                         f"last balance {q(last)}; reserved {q(reserved)}, held by reservations {q(holding)}")
    return lines
