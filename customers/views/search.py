from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .. import selectors
from .common import current_site


@login_required
def search(request):
    """The global search box: one vehicle found opens it; otherwise a list of matches."""
    site = current_site(request)
    results = selectors.archive_search(site=site, q=request.GET.get("q", ""))
    can_see = request.user.has_perm("customers.view_vehicle")
    if not can_see:
        results.update(vehicles=[], customers=[])
    if len(results["vehicles"]) == 1 and not results["customers"] and not request.htmx:
        return redirect("customers:vehicle_detail", pk=results["vehicles"][0].pk)
    return render(request, "customers/search.html", results)
