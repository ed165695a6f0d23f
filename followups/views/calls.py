"""The calls screens (tablet-friendly): the customer-care queue, the advisor's 72-hour list, the call screen
(claim, attempts, survey), complaints (快速处理表) with resolving, and the comeback reports for the manager.
Views parse input and call one service; a domain failure on a button becomes a message (core.errors)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from repair_orders.views.common import render_site, site_zone
from servicedesk.core.views_common import call_service, current_site, paginate, staff_view

from .. import selectors_calls as selectors
from ..forms_calls import AttemptForm, ComplaintFilterForm, ResolveForm, SurveyForm
from ..models import Callback, Comeback, Complaint
from ..services import callbacks as services
from ..services.comebacks import comeback_close, comeback_walk_in_url
from ..services.complaints import complaint_resolve
from ..services.people import works_queue


def _flag(request, name: str) -> bool:
    return request.GET.get(name) == "1"


def _list(request, template: str, rows_template: str, context: dict):
    return render_site(request, rows_template if request.htmx else template, context)


@staff_view("followups.work_callbacks")
def queue(request):
    """Customer care's calls by due time; anybody else works the calls assigned to them."""
    if not works_queue(request.user):
        return redirect("followups:my_calls")
    filters = {"kind": request.GET.get("kind", ""), "overdue": _flag(request, "overdue"),
               "attempts": request.GET.get("attempts", ""), "mine": _flag(request, "mine")}
    page = paginate(request, selectors.callback_queue(site=current_site(request), user=request.user, **filters))
    return _list(request, "followups/queue.html", "followups/_call_rows.html", {
        "page": page, "filters": filters, "kinds": Callback.Kind.choices, "attempt_filters": selectors.ATTEMPT_FILTERS,
        "mode": "queue", "now": timezone.now()})


@staff_view("followups.work_callbacks")
def my_calls(request):
    """The calls assigned to me: the advisor's 72-hour calls (DESIGN.md §5)."""
    page = paginate(request, selectors.my_calls(site=current_site(request), user=request.user))
    return _list(request, "followups/queue.html", "followups/_call_rows.html", {
        "page": page, "filters": {}, "mode": "mine", "now": timezone.now()})


def _call(request, pk) -> Callback:
    try:
        return selectors.call_detail(site=current_site(request), user=request.user, pk=pk)
    except Callback.DoesNotExist:
        raise Http404 from None


def _back_to_list(request, callback: Callback):
    return redirect("followups:queue" if works_queue(request.user) else "followups:my_calls")


def _call_screen(request, callback: Callback, *, survey_form=None, attempt_form=None, status=None):
    questions = selectors.survey_questions()
    mine = callback.status == Callback.Status.CLAIMED and callback.claimed_by_id == request.user.pk
    return render_site(request, "followups/call.html", {
        "callback": callback, "ro": callback.repair_order, "mine": mine,
        "workable": mine or callback.status == Callback.Status.OPEN,
        "survey_form": survey_form or SurveyForm(questions=questions, initial={"version": callback.version}),
        "attempt_form": attempt_form or AttemptForm(initial={"version": callback.version}),
        "opened": Complaint.objects.filter(survey__callback=callback).first() if callback.status == "done" else None,
    }, status=status)


@staff_view("followups.work_callbacks")
def call(request, pk):
    """The call screen: the customer and car, the RO and its jobs, the script and the survey."""
    return _call_screen(request, _call(request, pk))


@staff_view("followups.work_callbacks")
@require_POST
def claim(request, pk):
    callback = _call(request, pk)
    services.callback_claim(callback=callback, actor=request.user)  # refused: a message, back to the list
    return redirect("followups:call", pk=callback.pk)


@staff_view("followups.work_callbacks")
@require_POST
def release(request, pk):
    callback = _call(request, pk)
    services.callback_release(callback=callback, actor=request.user)
    messages.info(request, _("The call is back in the queue."))
    return _back_to_list(request, callback)


@staff_view("followups.work_callbacks")
@require_POST
def attempt(request, pk):
    callback = _call(request, pk)
    with timezone.override(site_zone(callback.site)):
        form = AttemptForm(request.POST)
        if form.is_valid():
            done = call_service(form, services.callback_attempt, callback=callback, actor=request.user,
                                outcome=form.cleaned_data["outcome"], call_back_at=form.cleaned_data["call_back_at"],
                                note=form.cleaned_data["note"], version=form.cleaned_data["version"])
            if done is not None:
                if done.status == Callback.Status.UNREACHABLE:
                    messages.warning(request, _("Attempt recorded: the customer is unreachable; the call is closed."))
                else:
                    messages.success(request, _("Attempt %(n)s recorded; the call is back in the queue.")
                                     % {"n": done.attempts})
                return _back_to_list(request, callback)
        return _call_screen(request, callback, attempt_form=form)


@staff_view("followups.work_callbacks")
@require_POST
def complete(request, pk):
    callback = _call(request, pk)
    form = SurveyForm(request.POST, questions=selectors.survey_questions())
    if form.is_valid():
        done = call_service(form, services.callback_complete, callback=callback, actor=request.user,
                            **form.service_kwargs())
        if done is not None:
            messages.success(request, _("Call completed and the survey saved."))
            complaint = Complaint.objects.filter(survey__callback=done).only("pk").first()
            if complaint is not None:
                messages.warning(request, _("A complaint was opened for its owner (快速处理表 no. %(n)s).")
                                 % {"n": complaint.pk})
            if form.cleaned_data["fault_back"]:
                messages.warning(request, _("A comeback report went to the service manager."))
            return _back_to_list(request, callback)
    return _call_screen(request, callback, survey_form=form)


# ---------------------------------------------------------------- complaints

@staff_view("followups.view_complaint")
def complaint_list(request):
    """Owners see theirs; customer care and the manager see every complaint of the site."""
    form = ComplaintFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, selectors.complaint_list(site=current_site(request), user=request.user, **filters))
    return _list(request, "followups/complaint_list.html", "followups/_complaint_rows.html", {
        "page": page, "filter_form": form, "all_visible": works_queue(request.user), "now": timezone.now()})


def _complaint(request, pk) -> Complaint:
    try:
        return selectors.complaint_detail(site=current_site(request), user=request.user, pk=pk)
    except Complaint.DoesNotExist:
        raise Http404 from None


def _complaint_page(request, complaint: Complaint, *, form=None, status=None):
    may_resolve = (request.user.has_perm("followups.resolve_complaint")
                   and (complaint.owner_id == request.user.pk or works_queue(request.user))
                   and complaint.status in (Complaint.Status.OPEN, Complaint.Status.REOPENED))
    return render_site(request, "followups/complaint_detail.html", {
        "complaint": complaint, "may_resolve": may_resolve, "now": timezone.now(),
        "form": form or ResolveForm(initial={"version": complaint.version})}, status=status)


@staff_view("followups.view_complaint")
def complaint_detail(request, pk):
    return _complaint_page(request, _complaint(request, pk))


@staff_view("followups.resolve_complaint")
@require_POST
def complaint_resolve_view(request, pk):
    complaint = _complaint(request, pk)
    form = ResolveForm(request.POST)
    if form.is_valid() and call_service(form, complaint_resolve, complaint=complaint, actor=request.user,
                                        resolution=form.cleaned_data["resolution"],
                                        version=form.cleaned_data["version"]):
        messages.success(request, _("Resolved. The recheck call (二次回访) is scheduled for customer care."))
        return redirect("followups:complaint_detail", pk=complaint.pk)
    return _complaint_page(request, complaint, form=form)


# ---------------------------------------------------------------- comebacks

@staff_view("followups.view_comeback")
def comeback_list(request):
    status = request.GET.get("status", "")
    page = paginate(request, selectors.comeback_list(site=current_site(request), status=status))
    for comeback in page:
        comeback.walk_in_url = comeback_walk_in_url(comeback)
    return _list(request, "followups/comeback_list.html", "followups/_comeback_rows.html", {
        "page": page, "status": status, "statuses": Comeback.Status.choices})


@staff_view("followups.change_comeback")
@require_POST
def comeback_close_view(request, pk):
    comeback = Comeback.objects.filter(site=current_site(request), pk=pk).first()
    if comeback is None:
        raise Http404
    comeback_close(comeback=comeback, actor=request.user)
    messages.success(request, _("Comeback report closed."))
    return redirect(reverse("followups:comeback_list"))
