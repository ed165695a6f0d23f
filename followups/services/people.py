"""Who may work which follow-up, and who owns a department's complaints at a site."""

import zoneinfo
from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from servicedesk.accounts.roles import (
    ADVISOR,
    CASHIER,
    CUSTOMER_CARE,
    FOREMAN,
    PARTS_CLERK,
    SERVICE_MANAGER,
    roles_of,
)
from servicedesk.core.errors import ApplicationError, StaleVersion

from ..models import Department

# Customer care and the service manager work the shared queue and see every complaint; anybody else works
# the calls assigned to them (the advisor's 72-hour calls) and sees the complaints they own.
QUEUE_ROLES = frozenset({CUSTOMER_CARE, SERVICE_MANAGER})
# The role whose member owns a department's complaints; reception goes to the RO's advisor first.
DEPARTMENT_OWNER_ROLE = {
    Department.RECEPTION: ADVISOR,
    Department.WORKSHOP: FOREMAN,
    Department.PARTS: PARTS_CLERK,
    Department.CASHIER: CASHIER,
    Department.WASH: SERVICE_MANAGER,
    Department.OVERALL: SERVICE_MANAGER,
}


def who(user) -> str:
    if user is None:
        return ""
    return getattr(getattr(user, "profile", None), "display_name", "") or user.get_username()


def local_text(site, moment: datetime) -> str:
    """A moment as the site's staff read it."""
    return timezone.localtime(moment, zoneinfo.ZoneInfo(site.time_zone)).strftime("%Y-%m-%d %H:%M")


def works_queue(user) -> bool:
    return bool(user.is_superuser or QUEUE_ROLES.intersection(roles_of(user)))


def first_staff_of(site, role: str):
    """The site's longest-standing active member of `role`, or None (one query)."""
    return (get_user_model().objects.filter(groups__name=role, is_active=True, profile__sites=site)
            .order_by("pk").first())


def default_owner(*, site, department: str, repair_order=None):
    """The owner of a new complaint of `department` (issue 8): reception → the RO's advisor, workshop → a
    foreman, parts → a parts clerk, cashier → a cashier, wash and overall → the service manager; a site
    without such a person gives it to its service manager."""
    if department == Department.RECEPTION and repair_order is not None and repair_order.advisor.is_active:
        return repair_order.advisor
    role = DEPARTMENT_OWNER_ROLE.get(department, SERVICE_MANAGER)
    return first_staff_of(site, role) or first_staff_of(site, SERVICE_MANAGER)


def lock_versioned(queryset, pk: int, *, version: int | None, missing: str):
    """The row of `queryset` (a model with `version`, `site` and `events`), locked for this transaction; an
    older `version` is refused with who made the last change and when (its last event)."""
    try:
        locked = queryset.select_for_update(of=("self",)).select_related("site").get(pk=pk)
    except queryset.model.DoesNotExist:
        raise ApplicationError(missing, code="not_found") from None
    if version is not None and locked.version != int(version):
        last = locked.events.select_related("actor__profile").order_by("-at", "-pk").first()
        raise StaleVersion(changed_by=who(last.actor) if last else "",
                           changed_at=local_text(locked.site, last.at) if last else "")
    return locked
