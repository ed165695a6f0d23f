from .access import access_of
from .navigation import navigation_for
from .roles import ROLE_LABELS, roles_of


def shell(request) -> dict:
    """What the base layout needs: current site, the user's sites, roles and navigation."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    context = request.site_context
    roles = roles_of(request.user)
    return {
        "current_site": context.site,
        "user_sites": context.sites,
        "user_roles": [ROLE_LABELS[r] for r in roles],
        "navigation": navigation_for(request.user, roles),
        "user_display_name": access_of(request.user).display_name or request.user.get_username(),
    }
