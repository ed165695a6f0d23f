"""Domain failures and the one place that turns them into what the user sees.

A service raises `ApplicationError`; a form view calls `apply_to_form`, any other HTML view lets it
propagate to `ApplicationErrorMiddleware` (htmx gets a message fragment, a page gets a message and is
sent back), and the API's exception handler (core.api) answers 400 or 409.
"""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

# Codes that mean "the world moved under you" rather than "your input is wrong": HTTP 409.
CONFLICT_CODES = frozenset({"stale_version", "stale", "illegal_transition", "conflict", "locked"})


class ApplicationError(Exception):
    def __init__(self, message, *, code: str = "invalid", field: str | None = None, extra=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
        self.extra = extra or {}

    @property
    def is_conflict(self) -> bool:
        return self.code in CONFLICT_CODES

    def __str__(self) -> str:
        return str(self.message)


class StaleVersion(ApplicationError):
    def __init__(self, *, changed_by: str, changed_at):
        super().__init__(
            _("This record was changed by %(who)s at %(when)s. Reload it and apply your change again.")
            % {"who": changed_by or _("someone else"), "when": changed_at},
            code="stale_version",
        )


def apply_to_form(form, error: ApplicationError) -> None:
    """Show a domain failure on the form: on its field when the service named one the form has."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
    form.application_error = error  # the view may use its extra (e.g. the duplicate's id)


class ApplicationErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ApplicationError) or request.path.startswith("/api/"):
            return None
        if getattr(request, "htmx", False):
            html = render_to_string(
                "partials/messages_oob.html",
                {"error_message": exception.message},
                request=request,
            )
            response = HttpResponse(html, status=200)
            response["HX-Reswap"] = "none"
            return response
        messages.error(request, exception.message)
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = "/"
        return HttpResponseRedirect(back)
