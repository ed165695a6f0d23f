from django.shortcuts import render

from servicedesk.core.views_common import current_site, paginate, staff_view

from . import selectors
from .forms import TimelineForm

PAGE_SIZE = 50


@staff_view("audit.view_audit")
def timeline(request):
    site = current_site(request)
    form = TimelineForm(request.GET or None, site=site)
    page = paginate(request, selectors.timeline(site=site, flt=form.filter()), per_page=PAGE_SIZE)
    page.object_list = selectors.decorate(page.object_list)
    template = "audit/_rows.html" if request.htmx else "audit/timeline.html"
    return render(request, template, {"form": form, "page": page})
