"""Forms of the parts counter. They parse input and find parts by number; the services decide the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from servicedesk.core.errors import ApplicationError

from .models import Part, PurchaseRequest, Supplier
from .quantities import clean_quantity

QUANTITY = {"max_digits": 12, "decimal_places": 2}


class PartNumberForm(forms.Form):
    """A form with a `part_number` field resolved to the site's Part as cleaned_data["part"]."""

    part_number = forms.CharField(label=_("Part number"), max_length=40,
                                  widget=forms.TextInput(attrs={"autocomplete": "off",
                                                                "autocapitalize": "characters"}))
    quantity = forms.DecimalField(label=_("Quantity"), **QUANTITY)

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site

    def clean(self):
        cleaned = super().clean()
        number = (cleaned.get("part_number") or "").strip()
        if not number:
            return cleaned
        part = Part.objects.filter(site=self.site, number__iexact=number).first()
        if part is None:
            self.add_error("part_number", _("No part %(number)s in this site's catalogue.") % {"number": number})
            return cleaned
        cleaned["part"] = part
        if cleaned.get("quantity") is not None:
            try:  # the services' own rule, shown on this line's field rather than the whole form
                cleaned["quantity"] = clean_quantity(part, cleaned["quantity"])
            except ApplicationError as error:
                self.add_error("quantity", error.message)
        return cleaned


class DeliveryForm(forms.Form):
    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=Supplier.objects.none(), required=False)
    delivery_note = forms.CharField(label=_("Delivery note number"), max_length=50, required=False)
    purchase_request = forms.ModelChoiceField(label=_("Purchase request"), queryset=PurchaseRequest.objects.none(),
                                              required=False)

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.filter(site=site)
        self.fields["purchase_request"].queryset = PurchaseRequest.objects.filter(
            site=site, status=PurchaseRequest.Status.ORDERED,
        ).select_related("supplier")


class DeliveryLineForm(PartNumberForm):
    """One line of a delivery, laid out as a table row (hence the widget classes here)."""

    unit_cost = forms.DecimalField(label=_("Unit cost"), required=False, min_value=0, **QUANTITY)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update({"class": "form-control", "aria-label": field.label})
        self.fields["part_number"].widget.attrs["placeholder"] = _("e.g. 06L115562")
        self.fields["quantity"].widget.attrs["inputmode"] = "decimal"
        self.fields["unit_cost"].widget.attrs["inputmode"] = "decimal"


class BaseDeliveryLineFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not self.lines():
            raise forms.ValidationError(_("Enter at least one line: part number and quantity."))

    def lines(self) -> list[dict]:
        return [
            {"part": f.cleaned_data["part"], "quantity": f.cleaned_data["quantity"],
             "unit_cost": f.cleaned_data.get("unit_cost")}
            for f in self.forms if f.cleaned_data.get("part")
        ]


DeliveryLineFormSet = forms.formset_factory(DeliveryLineForm, formset=BaseDeliveryLineFormSet, extra=3,
                                            max_num=50, validate_max=True)


class ShortageForm(PartNumberForm):
    repair_order_ref = forms.CharField(label=_("Repair order"), max_length=30, required=False)
    expected_on = forms.DateField(label=_("Expected on"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ShortageCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class AdjustmentForm(forms.Form):
    quantity = forms.DecimalField(
        label=_("Change in quantity"), **QUANTITY,
        help_text=_("Positive when more was counted than the system shows, negative when less."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class AdjustmentDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])

