"""Which site a request works in: the one chosen in the session (or the API's `X-Site` header /
`?site=` code), among the sites the user is a member of; else their default; else the first."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .access import access_of
from .models import Site

SESSION_KEY = "current_site_id"


@dataclass
class SiteContext:
    site: Site | None = None
    sites: list[Site] = field(default_factory=list)


def resolve_site_context(request) -> SiteContext:
    user = request.user
    if not user.is_authenticated:
        return SiteContext()
    access = access_of(user)
    sites, default_id = list(access.sites), access.default_site_id
    if not sites:
        return SiteContext()
    by_code = {s.code: s for s in sites}
    by_id = {s.pk: s for s in sites}
    wanted_code = request.headers.get("X-Site") or (
        request.GET.get("site") if request.path.startswith("/api/") else None
    )
    site = by_code.get(wanted_code or "")
    if site is None and hasattr(request, "session"):
        site = by_id.get(request.session.get(SESSION_KEY))
    site = site or by_id.get(default_id) or sites[0]
    return SiteContext(site=site, sites=sites)


def current_site(request) -> Site:
    """The site to scope every query by; a user in no site may not work at all."""
    context = request.site_context
    if context.site is None:
        raise PermissionDenied(_("Your account is not a member of any site. Ask IT to add you."))
    return context.site
