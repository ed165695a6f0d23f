"""What every app's HTML views share: the permission guard, calling a service from a form, paging."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator

from servicedesk.accounts.sites import current_site
from servicedesk.core.errors import ApplicationError, apply_to_form

PAGE_SIZE = 25


def staff_view(permission: str):
    """Signed in and holding `permission` (403 otherwise)."""

    def decorate(view):
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorate


def call_service(form, service, **kwargs):
    """Run a service for a valid form; a domain failure lands on the form and None is returned."""
    try:
        return service(**kwargs)
    except ApplicationError as error:
        apply_to_form(form, error)
        return None


def paginate(request, queryset, *, param: str = "page", per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get(param))


__all__ = ["call_service", "current_site", "paginate", "staff_view"]
