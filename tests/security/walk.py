"""The project's URLs, generated from the URL configuration, and an address for each (the harness's walk)."""

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from repair_orders.models import RepairOrder

SKIP_PREFIXES = ("admin:",)  # Django admin guards itself (staff only)
SAMPLE_KWARGS = {"kind": "customers", "fmt": "csv", "format": "json", "job_id": "1", "photo_id": "1"}


def _walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            yield from _walk(entry, prefix + namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name, entry


def named_patterns():
    seen = {}
    for name, pattern in _walk(get_resolver()):
        if not name.startswith(SKIP_PREFIXES):
            seen.setdefault(name, pattern)
    return seen


def kwarg_names(pattern) -> list[str]:
    return list(pattern.pattern.regex.groupindex)


def url_for(name, pattern, obj=None):
    kwargs = {}
    for key in kwarg_names(pattern):
        if key == "pk":
            kwargs[key] = obj.pk if obj is not None else 1
        elif key == "job_id" and isinstance(obj, RepairOrder) and obj.jobs.exists():
            kwargs[key] = obj.jobs.first().pk
        else:
            kwargs[key] = SAMPLE_KWARGS.get(key, "x")
    return reverse(name, kwargs=kwargs)
