"""Which sites a report covers: the current site, one named site of the user's, or all of them ("all", for
users of several sites). A site the user does not belong to is a 404, as everywhere (DESIGN.md §1)."""

from django.http import Http404

ALL_SITES = "all"


def report_sites(request, wanted: str | None) -> list:
    context = request.site_context
    if not wanted:
        return [context.site]
    if wanted == ALL_SITES:
        return list(context.sites)
    by_code = {site.code: site for site in context.sites}
    if wanted not in by_code:
        raise Http404
    return [by_code[wanted]]
