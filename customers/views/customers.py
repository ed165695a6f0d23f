from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import ConsentForm, ContactForm, CustomerForm, MergeForm
from ..models import Customer
from .common import call_service, current_site, paginate, staff_view


@staff_view("customers.view_customer")
def customer_list(request):
    site = current_site(request)
    q, tier = request.GET.get("q", ""), request.GET.get("tier", "")
    page = paginate(request, selectors.customer_list(site=site, q=q, tier=tier))
    template = "customers/_customer_rows.html" if request.htmx else "customers/customer_list.html"
    return render(request, template, {"page": page, "q": q, "tier": tier, "tiers": Customer.Tier.choices})


@staff_view("customers.add_customer")
def customer_create(request):
    site = current_site(request)
    form = CustomerForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        customer = call_service(
            form, services.customer_create, site=site, data=data, actor=request.user,
            allow_duplicate_mobile=bool(request.POST.get("confirm_duplicate")),
        )
        if customer:
            messages.success(request, _("Customer %(name)s created.") % {"name": customer.name})
            return redirect("customers:customer_detail", pk=customer.pk)
        duplicates = selectors.customers_with_mobile(
            site=site, mobiles=[data.get("mobile"), data.get("mobile2")]
        )
    return render(request, "customers/customer_form.html", {"form": form, "duplicates": duplicates})


@staff_view("customers.view_customer")
def customer_detail(request, pk):
    site = current_site(request)
    customer = get_object_or_404(Customer.objects.filter(site=site).only("pk"), pk=pk)
    customer = selectors.customer_detail(site=site, pk=customer.pk)
    if customer.is_merged:
        messages.info(request, _("%(name)s was merged into this customer.") % {"name": customer.name})
        return redirect("customers:customer_detail", pk=customer.merged_into_id)
    return render(request, "customers/customer_detail.html", {
        "customer": customer,
        "consent_form": ConsentForm(initial={"granted": "no" if customer.marketing_consent else "yes"}),
        "contact_form": ContactForm(),
        "merge_form": MergeForm(site=site, target=customer),
        "possible_duplicates": selectors.possible_duplicates(customer),
    })


@staff_view("customers.change_customer")
def customer_edit(request, pk):
    site = current_site(request)
    customer = get_object_or_404(Customer, site=site, pk=pk, merged_into__isnull=True)
    form = CustomerForm(request.POST or None, instance=customer)
    if request.method == "POST" and form.is_valid():
        updated = call_service(
            form, services.customer_update, customer_id=customer.pk, site=site,
            version=form.cleaned_data.get("version"), data=form.cleaned_data, actor=request.user,
        )
        if updated:
            messages.success(request, _("Changes saved."))
            return redirect("customers:customer_detail", pk=customer.pk)
    return render(request, "customers/customer_form.html", {"form": form, "customer": customer})


@staff_view("customers.change_customer")
@require_POST
def customer_consent(request, pk):
    site = current_site(request)
    customer = get_object_or_404(Customer, site=site, pk=pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        services.customer_set_marketing_consent(
            customer_id=customer.pk, site=site, granted=form.cleaned_data["granted"],
            source=form.cleaned_data["source"], actor=request.user,
        )
        messages.success(request, _("Marketing consent updated."))
    else:
        messages.error(request, _("Say how the customer gave or withdrew consent."))
    return redirect("customers:customer_detail", pk=customer.pk)


@staff_view("customers.add_contactlog")
@require_POST
def customer_contact_add(request, pk):
    site = current_site(request)
    customer = get_object_or_404(Customer, site=site, pk=pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        services.contact_log_add(site=site, customer=customer, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Contact recorded."))
    else:
        messages.error(request, _("Choose the channel and say why the customer was contacted."))
    return redirect("customers:customer_detail", pk=customer.pk)


@staff_view("customers.merge_customer")
@require_POST
def customer_merge(request, pk):
    site = current_site(request)
    target = get_object_or_404(Customer, site=site, pk=pk)
    form = MergeForm(request.POST, site=site, target=target)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("duplicate", [])))
        return redirect("customers:customer_detail", pk=target.pk)
    duplicate = form.cleaned_data["duplicate"]
    services.customers_merge(site=site, source_id=duplicate.pk, target_id=target.pk, actor=request.user)
    messages.success(request, _("%(dup)s merged into %(target)s.") % {"dup": duplicate.name, "target": target.name})
    return redirect("customers:customer_detail", pk=target.pk)
