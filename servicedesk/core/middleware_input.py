"""Query strings a database cannot take: PostgreSQL refuses a NUL character in any text, so a search or a
filter holding one would end in a 500. Nobody types one: it is dropped before any view reads the query."""

from django.http import QueryDict


class DropNulFromQueryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", ""):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
