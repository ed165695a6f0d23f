"""What the repair-order screens share: the RO of the current site, the posted version, the way back to a
tab of the RO page, and rendering in the site's time zone."""

import zoneinfo

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicedesk.core.views_common import current_site

from ..models import RepairOrder

TAB_LABELS = (("checkin", _("Check-in")), ("work", _("Work order")), ("workshop", _("Workshop progress")),
              ("qc", _("Quality control")), ("handover", _("Handover")))
TABS = tuple(key for key, _label in TAB_LABELS)
# The RO's timeline in words; kinds added by later stages show as they are until they get a label here.
EVENT_LABELS = {
    "opened": _("Repair order opened"),
    "walkaround": _("Walk-around recorded"),
    "damage_mark_added": _("Damage marked"),
    "damage_mark_removed": _("Damage mark removed"),
    "photo_added": _("Photo added"),
    "signed": _("Check-in sheet signed"),
    "job_added": _("Job added"),
    "part_added": _("Part added"),
    "estimate_submitted": _("Estimate submitted"),
    "approved": _("Customer approved the work order"),
    "declined_all": _("Customer declined all work"),
    "cancelled": _("Cancelled"),
    "additional_reported": _("Additional work reported"),
    "approval_link_sent": _("Approval link texted to the customer"),
    "additional_answered": _("Customer answered on additional work"),
    "recommendation_offered": _("Earlier recommendation offered again"),
    "promised_time_moved": _("Promised time moved"),
    "price_changed": _("Price changed"),
    "discount_set": _("Discount given"),
    "discount_requested": _("Discount waiting for a manager's approval"),
    "discount_approved": _("Discount approved"),
    "discount_rejected": _("Discount rejected"),
    # the workshop (workshop.services.dispatch)
    "dispatched": _("Dispatched to the workshop"),
    "ready": _("Pre-delivery check signed: ready"),
    "pre_delivery_checked": _("Pre-delivery check signed"),
    "ready_message_not_sent": _("No address on file: call the customer that the car is ready"),
    # quality control (workshop.services.qc)
    "quality_check": _("Workshop finished: waiting for QC"),
    "qc_passed": _("QC passed"),
    "qc_failed": _("QC failed: jobs sent back as rework"),
    # the cashier and the delivery (billing.services)
    "settlement_discount_granted": _("Settlement discount given"),
    "settlement_discount_requested": _("Settlement discount waiting for a manager's approval"),
    "settlement_discount_approved": _("Settlement discount approved"),
    "settlement_discount_rejected": _("Settlement discount rejected"),
    "settlement_discount_withdrawn": _("Settlement discount withdrawn"),
    "invoiced": _("Invoice issued"),
    "invoiced_again": _("Invoice issued again"),
    "credit_note": _("Credit note issued"),
    "payment": _("Payment taken"),
    "delivered": _("Delivered to the customer"),
}
PDFS = (("check-in-sheet", _("Check-in sheet")), ("work-order", _("Work order")),
        ("recommendations", _("Recommendations")))


def url_of(name: str):
    """pk -> the URL of the view `name` (one id argument), reversed once: a page of hundreds of links (the
    front-desk board) spent a third of its rendering in {% url %}."""
    marker = 2147483647
    head, tail = reverse(name, args=[marker]).split(str(marker))
    return lambda pk: f"{head}{int(pk)}{tail}"


def site_zone(site) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(site.time_zone)


def render_site(request, template: str, context: dict, *, status: int | None = None, site=None):
    """Render with dates and times on the site's wall clock (`site`, else the request's), whatever the server's
    zone."""
    with timezone.override(site_zone(site or current_site(request))):
        return render(request, template, context, status=status)


def repair_order_of(request, pk) -> RepairOrder:
    """The current site's RO (404 for another site's), for a view that hands it to a service."""
    return get_object_or_404(RepairOrder.objects.select_related("site", "vehicle"), site=current_site(request),
                             pk=pk)


def to_tab(repair_order, tab: str):
    return redirect(f"{reverse('repair_orders:detail', args=[repair_order.pk])}?tab={tab}")


def pdf_links(repair_order) -> list[tuple[str, str]]:
    """The PDFs of the API (DESIGN.md §7), served by repair_orders/api.py."""
    return [(f"/api/v1/repair-orders/{repair_order.pk}/{name}.pdf", label) for name, label in PDFS]
