"""What every API view shares: role permissions, the current site, and error mapping."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.response import Response

from servicedesk.accounts.sites import current_site

from .errors import ApplicationError


class RolePermission(permissions.DjangoModelPermissions):
    """Model permissions from the user's role groups, reads included (view_*)."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
    }


class SiteScopedMixin:
    """Every queryset is the current site's: another site's object is a 404, never a 403."""

    @property
    def site(self):
        return current_site(self.request)


def choice_param(request, name: str, choices) -> str:
    """A list filter from the query string: "" when absent. Any other value outside `choices` is a 400, so a
    typo never reads as "nothing found" (or as "no filter")."""
    if name not in request.query_params:
        return ""
    value = request.query_params[name]
    if value not in choices:
        raise ApplicationError(_("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}, field=name)
    return value


def positive_int_param(request, name: str, *, default: int | None, maximum: int | None = None) -> int | None:
    """A whole number ≥ 1 from the query string (`default` when absent), capped at `maximum`; else a 400."""
    if name not in request.query_params:
        return default
    value = request.query_params[name]
    if not (value.isascii() and value.isdigit() and int(value) > 0):
        raise ApplicationError(_("Enter a whole number greater than zero."), field=name)
    return min(int(value), maximum) if maximum else int(value)


@extend_schema_field(OpenApiTypes.INT)
class SiteField(serializers.PrimaryKeyRelatedField):
    """An id of the current site's rows only: another site's id "does not exist". Staff are the site's active
    members; a model without a site (the group's labour-time book) is taken whole, its active rows only;
    `queryset_for(site)` narrows further (e.g. the site's advisors)."""

    def __init__(self, model, queryset_for=None, **kwargs):
        self.model, self.queryset_for = model, queryset_for
        super().__init__(**kwargs)

    def get_queryset(self):
        site = self.context["site"]
        if self.queryset_for is not None:
            return self.queryset_for(site)
        if self.model is get_user_model():
            return self.model.objects.filter(is_active=True, profile__sites=site).distinct()
        if not any(field.name == "site" for field in self.model._meta.get_fields()):
            return self.model.objects.filter(active=True)
        return self.model.objects.filter(site=site)


def exception_handler(exc, context):
    # imported here: rest_framework.views loads these settings, which name this module
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, ApplicationError):
        body = {"detail": str(exc.message), "code": exc.code}
        if exc.field:
            body = {exc.field: [str(exc.message)], "code": exc.code, "detail": str(exc.message)}
        body.update({k: v for k, v in exc.extra.items() if k not in body})
        code = status.HTTP_409_CONFLICT if exc.is_conflict else status.HTTP_400_BAD_REQUEST
        return Response(body, status=code)
    if isinstance(exc, DjangoPermissionDenied):
        return Response({"detail": str(exc) or "Forbidden"}, status=status.HTTP_403_FORBIDDEN)
    return drf_exception_handler(exc, context)
