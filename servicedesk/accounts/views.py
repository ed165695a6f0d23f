from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .roles import ROLE_LABELS, roles_of
from .sites import SESSION_KEY


@login_required
def home(request):
    roles = roles_of(request.user)
    return render(request, "accounts/home.html", {"role_names": [ROLE_LABELS[r] for r in roles]})


@login_required
@require_POST
def switch_site(request):
    wanted = request.POST.get("site", "")
    site = next((s for s in request.site_context.sites if str(s.pk) == wanted), None)
    if site is None:
        raise Http404(_("No such site."))
    request.session[SESSION_KEY] = site.pk
    messages.success(request, _("You are now working in %(site)s.") % {"site": site})
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return HttpResponseRedirect(target)
