"""The customer's privacy page (managers): take a copy of their data, erase it; both logged."""

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from customers.models import Customer
from servicedesk.audit.models import PrivacyEvent
from servicedesk.core.views_common import call_service, current_site, staff_view

from . import services
from .forms import ErasureForm, ExportForm
from .readable import readable


def _customer(request, pk) -> Customer:
    return get_object_or_404(Customer, site=current_site(request), pk=pk)


@staff_view("audit.export_personal_data")
def privacy_page(request, pk, erasure_form=None):
    customer = _customer(request, pk)
    events = PrivacyEvent.objects.filter(customer=customer).select_related("actor__profile")[:50]
    return render(request, "customers/privacy/privacy.html", {
        "customer": customer, "events": events, "export_form": ExportForm(),
        "erasure_form": erasure_form or ErasureForm(), "blockers": services.erasure_blockers(customer),
        "erased": services.erasure_of(customer),
    })


@staff_view("audit.export_personal_data")
@require_POST
def export(request, pk):
    customer = _customer(request, pk)
    form = ExportForm(request.POST)
    fmt = form.cleaned_data["fmt"] if form.is_valid() else "json"
    data = services.customer_data_export(site=current_site(request), customer=customer, actor=request.user, fmt=fmt)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "html":
        return render(request, "customers/privacy/summary.html", {"customer": customer, "sections": readable(data),
                                                                   "taken_at": timezone.now(), "by": request.user})
    body = json.dumps({"exported_at": timezone.now(), "site": customer.site.code, **data}, cls=DjangoJSONEncoder,
                      ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="customer-{customer.pk}-{stamp}.json"'
    return response


@staff_view("audit.erase_personal_data")
@require_POST
def erase(request, pk):
    customer = _customer(request, pk)
    form = ErasureForm(request.POST)
    if form.is_valid() and call_service(form, services.customer_erase, site=current_site(request),
                                        customer_id=customer.pk, confirmation=form.cleaned_data["confirmation"],
                                        actor=request.user):
        messages.success(request, _("The customer's personal data was erased. Invoices were kept."))
        return redirect("customers:privacy", pk=customer.pk)
    return privacy_page(request, pk, erasure_form=form)
