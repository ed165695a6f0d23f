"""Reads of the retention screens and API: a constant number of queries whatever the page holds."""

from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat

from .models import Callback, LostVehicle, Reminder

LOST_STATES = {"lost": {"won_back_at__isnull": True}, "won_back": {"won_back_at__isnull": False}}


def reminder_list(*, site, kind: str = "", status: str = "") -> QuerySet[Reminder]:
    reminders = Reminder.objects.filter(site=site).select_related("vehicle", "customer").order_by("-created_at", "-pk")
    if kind in Reminder.Kind.values:
        reminders = reminders.filter(kind=kind)
    if status in Reminder.Status.values:
        reminders = reminders.filter(status=status)
    return reminders


def lost_list(*, site, state: str = "lost", reason: str = "") -> QuerySet[LostVehicle]:
    """Lost vehicles of the site (still lost by default), with the owner, the RO they left after and
    whether a win-back call was started."""
    lost = (LostVehicle.objects.filter(site=site, **LOST_STATES.get(state, {}))
            .select_related("vehicle__owner", "last_repair_order", "won_back_repair_order", "recorded_by")
            .annotate(win_back_started=Exists(Callback.objects.filter(site=site, kind=Callback.Kind.WIN_BACK,
                                                                      dedupe_key=_winback_key())))
            .order_by("-lost_on", "-pk"))
    if reason == "none":
        lost = lost.filter(reason="")
    elif reason in LostVehicle.Reason.values:
        lost = lost.filter(reason=reason)
    return lost


def _winback_key():
    return Concat(Value("winback:"), Cast(OuterRef("pk"), output_field=CharField()))
