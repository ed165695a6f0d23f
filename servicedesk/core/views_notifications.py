"""Messages to staff: the navbar bell (polled by htmx) and the list that marks them read."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from servicedesk.accounts.sites import current_site

from .models import Notification
from .notifications import notifications_mark_read
from .views_common import paginate


def _signed_in(view):
    """Like login_required, but a poll from a page whose session has ended just gets nothing back."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.htmx:
            return HttpResponse(status=204)
        return redirect_to_login(request.get_full_path())

    return wrapper


def _mine(request):
    return Notification.objects.filter(site=current_site(request), recipient=request.user)


@_signed_in
def notification_bell(request):
    unread = _mine(request).filter(read_at__isnull=True).count()
    # Rendered without the request: the layout's context processors would cost queries on every poll.
    return HttpResponse(render_to_string("core/_bell.html", {"unread": unread}))


@_signed_in
def notification_list(request):
    page = paginate(request, _mine(request))
    # Shown now, so read; this page still marks them as new since it loaded them before.
    unread = [n.pk for n in page if n.read_at is None]
    if unread:
        notifications_mark_read(recipient=request.user, ids=unread)
    return render(request, "core/notifications.html", {"page": page})
