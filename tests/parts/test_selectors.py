from decimal import Decimal

import pytest
from django.http import Http404

from parts import selectors, services
from parts.models import Part
from tests.factories import make_staff

from .factories import PartFactory, SupplierFactory, make_clerk, stocked_part

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def clerk(site):
    return make_clerk(site)


@pytest.fixture
def catalogue(site, other_site, clerk):
    """A few parts whose numbers, names and brands the search tests look for."""
    parts = {
        "filter": PartFactory(site=site, number="06A 115 561 B", name="机油滤清器", name_en="Oil filter", brand="MANN"),
        "pads": PartFactory(site=site, number="04465-02220", name="前刹车片", name_en="Front brake pads", brand="博世"),
        "plug": PartFactory(site=site, number="F026400101", name="火花塞", name_en="Spark plug", brand="NGK",
                            kind=Part.Kind.AFTERMARKET),
        "old": PartFactory(site=site, number="1K0-698-151", name="旧刹车片", active=False),
        "older": PartFactory(site=site, number="1J0-698-151", name="更旧刹车片", active=False),
        "odd": PartFactory(site=site, number="X%_1", name="百分号零件", brand="ZF"),
    }
    services.part_supersede(part=parts["older"], superseded_by=parts["old"], actor=clerk)
    services.part_supersede(part=parts["old"], superseded_by=parts["pads"], actor=clerk)
    PartFactory(site=other_site, number="06A115561B", name="机油滤清器")
    return parts


def _numbers(parts) -> list[str]:
    return [p.number for p in parts]


@pytest.mark.parametrize(("q", "expected"), [
    ("06a115", ["06A 115 561 B"]),                    # number prefix, case and spaces ignored
    ("a-115 56", ["06A 115 561 B"]),                  # a fragment typed with other separators
    ("0446502", ["04465-02220"]),                     # dashes ignored
    ("1k0698151", ["04465-02220"]),                   # an old number finds its replacement
    ("1J0 698", ["04465-02220"]),                     # … through two supersessions
    ("滤清", ["06A 115 561 B"]),                       # a Chinese name fragment of two characters
    ("刹车片", ["04465-02220"]),                        # inactive old parts are left out
    ("spark", ["F026400101"]),                        # English name, any case
    ("mann", ["06A 115 561 B"]),                      # brand
    ("博世", ["04465-02220"]),                         # a Chinese brand
    ("zf", ["X%_1"]),                                 # a short brand: whole brand only
    ("f0", ["F026400101"]),                           # a short number: its start only
    ("x%_", ["X%_1"]),                                # LIKE wildcards are plain characters
    ("%", []),
    ("nothing-like-it", []),
])
def test_part_search(site, catalogue, q, expected):
    assert _numbers(selectors.part_search(site=site, q=q)) == expected


def test_part_search_filters(site, catalogue):
    assert len(selectors.part_search(site=site)) == 4
    assert _numbers(selectors.part_search(site=site, kind=Part.Kind.AFTERMARKET)) == ["F026400101"]
    assert _numbers(selectors.part_search(site=site, brand="ngk")) == ["F026400101"]
    everything = selectors.part_search(site=site, q="刹车片", active_only=False)
    assert _numbers(everything) == ["04465-02220", "1J0-698-151", "1K0-698-151"]


def test_part_search_runs_a_fixed_number_of_queries(site, catalogue, django_assert_num_queries):
    for n in range(5):
        PartFactory(site=site, number=f"06A 115 56{n} C", supplier=SupplierFactory(site=site))
    with django_assert_num_queries(2):
        # 1: replacements of old numbers matching "06A115"; 2: the parts with supplier and replacement
        parts = list(selectors.part_search(site=site, q="06A115"))
        assert sum(1 for p in parts if p.supplier and p.supplier.name) == 5 and not any(p.superseded_by for p in parts)
    with django_assert_num_queries(1):
        # 1: the parts (a Chinese name can't be a number: no replacement query)
        assert len(list(selectors.part_search(site=site, q="滤清"))) == 1


def test_part_detail_is_limited_to_the_site(site, other_site, catalogue, django_assert_num_queries):
    with django_assert_num_queries(2):
        # 1: the part with site, supplier and replacement; 2: the numbers it replaces
        part = selectors.part_detail(site=site, pk=catalogue["pads"].pk)
        assert [p.number for p in part.supersedes.all()] == ["1K0-698-151"] and part.site.code == "SH01"
    with pytest.raises(Http404):
        selectors.part_detail(site=other_site, pk=catalogue["pads"].pk)


def test_movements_and_reservations_read_in_one_query_each(site, clerk, manager, django_assert_num_queries):
    part = stocked_part(site, clerk, quantity="9")
    for n in range(3):
        services.parts_reserve(part=part, quantity="1", repair_order_ref=f"RO{n}", actor=clerk)
        services.stock_issue(part=part, quantity="1", repair_order_ref=f"RO{n}", actor=clerk)
    services.adjustment_request(part=part, quantity="1", reason="盘盈", actor=manager)
    with django_assert_num_queries(1):
        # 1: movements with who booked / approved and their profiles
        movements = list(selectors.part_movements(part=part))
        assert len(movements) == 5 and movements[0].approved_by.profile.display_name == "李经理"
        assert {m.created_by.profile.display_name for m in movements} == {"赵库管", "李经理"}
    with django_assert_num_queries(1):
        # 1: held reservations with who made them
        held = list(selectors.part_open_reservations(part=part))
        assert [r.repair_order_ref for r in held] == ["RO0", "RO1", "RO2"] and held[0].created_by.profile


def test_shortage_list_is_one_query_however_long(site, clerk, advisor, django_assert_num_queries):
    supplier = SupplierFactory(site=site)
    for n in range(4):
        services.shortage_record(part=PartFactory(site=site, supplier=supplier), quantity="1", actor=advisor,
                                 repair_order_ref=f"RO{n}")
    services.purchase_requests_from_shortages(site=site, actor=clerk)
    services.shortage_record(part=PartFactory(site=site), quantity="2", actor=advisor)
    with django_assert_num_queries(1):
        # 1: shortages with part, requester (and profile) and purchase request
        rows = [(s.part.number, s.requested_by.profile.display_name, s.purchase_request and s.purchase_request.number)
                for s in selectors.shortage_list(site=site)]
    assert len(rows) == 5 and rows[0][2] is None and rows[1][2].startswith("SH01-PR-")
    assert len(selectors.shortage_list(site=site, status="open")) == 1


def test_reorder_list_counts_what_is_on_order(site, clerk, advisor, django_assert_num_queries):
    supplier = SupplierFactory(site=site)
    low = stocked_part(site, clerk, quantity="1", number="LOW", reorder_point=D("3"))
    covered = stocked_part(site, clerk, quantity="1", number="COVERED", reorder_point=D("3"), supplier=supplier)
    stocked_part(site, clerk, quantity="5", number="PLENTY", reorder_point=D("3"))
    stocked_part(site, clerk, quantity="0", number="NOPOINT")
    services.shortage_record(part=covered, quantity="2", actor=advisor)
    services.purchase_requests_from_shortages(site=site, actor=clerk)
    with django_assert_num_queries(1):
        # 1: parts below their reorder point with on_order annotated and supplier joined
        rows = [(p.number, p.on_order, p.supplier) for p in selectors.reorder_list(site=site)]
    assert rows == [("LOW", D("0"), None)]
    services.delivery_receive(site=site, lines=[{"part": covered, "quantity": "1"}], actor=clerk)
    services.stock_issue(part=covered, quantity="2", repair_order_ref="RO1", actor=clerk)
    rows = [(p.number, p.on_order) for p in selectors.reorder_list(site=site)]
    assert rows == [("COVERED", D("1")), ("LOW", D("0"))] and low


def test_pending_adjustments_and_availability(site, other_site, clerk, django_assert_num_queries):
    part = stocked_part(site, clerk, quantity="4", number="AV-1")
    services.parts_reserve(part=part, quantity="1", repair_order_ref="RO1", actor=clerk)
    there = stocked_part(other_site, make_staff(role=None, sites=[other_site]), quantity="2", number="AV-1")
    for n in range(3):
        services.adjustment_request(part=part, quantity=f"-{n + 1}", reason="盘亏", actor=clerk)
    with django_assert_num_queries(1):
        # 1: pending adjustments with part and requester
        pending = [(a.part.number, a.requested_by.profile.display_name)
                   for a in selectors.pending_adjustments(site=site)]
    assert pending == [("AV-1", "赵库管")] * 3
    with django_assert_num_queries(1):
        # 1: the parts with the same number at the sites asked about, with their site
        rows = selectors.part_availability(part=part, sites=[other_site, site])
        assert [(r["site"].code, r["on_hand"], r["reserved"], r["available"]) for r in rows] == [
            ("BJ01", D("2"), D("0"), D("2")), ("SH01", D("4"), D("1"), D("3"))]
    assert rows[0]["part"] == there


def test_ledger_check_is_four_queries_whatever_the_catalogue(site, clerk, django_assert_num_queries):
    for _n in range(5):
        stocked_part(site, clerk, quantity="2")
    with django_assert_num_queries(4):
        # 1: movement sums per part; 2: last balance per part; 3: held sums per part; 4: the parts
        assert selectors.stock_ledger_disagreements(site=site) == []
