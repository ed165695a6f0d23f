from django.utils.functional import SimpleLazyObject

from .sites import resolve_site_context


class CurrentSiteMiddleware:
    """Attach the lazily resolved site context: the API authenticates later, by token."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.site_context = SimpleLazyObject(lambda: resolve_site_context(request))
        return self.get_response(request)
