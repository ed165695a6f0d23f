"""Forms of the booking screens. Inline customers and vehicles are checked again by the archive's
services; these forms only catch what a person typed badly before the round trip."""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from customers.models import Customer, Vehicle
from customers.validation import normalize_optional_mobile, normalize_plate, validate_plate
from repair_orders.models import LabourOperation, ServicePackage

from .capacity import advisors_of
from .models import Channel, ConfirmationCall


def parse_start(value: str):
    """An ISO datetime with its offset, as the slot buttons send it; None when not one."""
    try:
        moment = datetime.fromisoformat(value or "")
    except ValueError:
        return None
    return moment if moment.tzinfo else None


class AdvisorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return getattr(getattr(user, "profile", None), "display_name", "") or user.get_username()


def _plate(value: str) -> str:
    plate = normalize_plate(value)
    if plate:
        try:
            validate_plate(plate)
        except ValidationError as error:
            raise forms.ValidationError(error.messages[0]) from None
    return plate


class BookingForm(forms.Form):
    # "vehicle:<id>" or "customer:<id>", from the radio buttons of the archive lookup
    party = forms.CharField(required=False, widget=forms.HiddenInput)
    customer_name = forms.CharField(label=_("Name"), max_length=100, required=False)
    customer_mobile = forms.CharField(label=_("Mobile"), max_length=20, required=False,
                                      widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    vehicle_plate = forms.CharField(label=_("Plate"), max_length=12, required=False)
    vehicle_vin = forms.CharField(label=_("VIN"), max_length=20, required=False,
                                  help_text=_("With the VIN the vehicle goes into the archive now; without it, "
                                              "at check-in."))
    vehicle_make = forms.CharField(label=_("Make"), max_length=40, required=False)
    vehicle_model = forms.CharField(label=_("Model"), max_length=60, required=False)
    channel = forms.ChoiceField(label=_("Booked by"), choices=Channel.choices, initial=Channel.PHONE)
    packages = forms.ModelMultipleChoiceField(label=_("Service packages"), queryset=ServicePackage.objects.none(),
                                              required=False, widget=forms.CheckboxSelectMultiple)
    operations = forms.ModelMultipleChoiceField(label=_("Labour operations"), required=False,
                                                queryset=LabourOperation.objects.none(),
                                                widget=forms.SelectMultiple(attrs={"size": 6}))
    concern = forms.CharField(label=_("Concern in the customer's words"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    advisor = AdvisorChoiceField(label=_("Advisor"), queryset=None, required=False, empty_label=_("Any advisor"))
    estimated_hours = forms.DecimalField(label=_("Estimated hours"), required=False, min_value=0.1, max_value=99,
                                         decimal_places=2,
                                         help_text=_("Leave empty to use the labour-time book."))
    day = forms.DateField(required=False, widget=forms.HiddenInput)
    start = forms.CharField(required=False, widget=forms.HiddenInput)
    courtesy_car = forms.BooleanField(label=_("Courtesy car"), required=False)
    pickup = forms.BooleanField(label=_("Pick-up"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    override_reason = forms.CharField(label=_("Book over capacity: reason (manager)"), max_length=200,
                                      required=False)

    def __init__(self, *args, site, can_override=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site
        self.fields["packages"].queryset = ServicePackage.objects.filter(site=site, active=True)
        self.fields["operations"].queryset = LabourOperation.objects.filter(active=True)
        self.fields["advisor"].queryset = advisors_of(site)
        if not can_override:
            del self.fields["override_reason"]

    def clean_party(self):
        kind, _sep, pk = (self.cleaned_data.get("party") or "").partition(":")
        self.cleaned_data["vehicle"] = self.cleaned_data["customer"] = None
        if not pk.isdecimal():
            return ""
        if kind == "vehicle":
            found = Vehicle.objects.filter(site=self.site, pk=pk).select_related("owner").first()
            self.cleaned_data["vehicle"] = found
        elif kind == "customer":
            found = Customer.objects.filter(site=self.site, pk=pk, merged_into__isnull=True).first()
            self.cleaned_data["customer"] = found
        else:
            found = None
        if found is None:
            raise forms.ValidationError(_("That vehicle or customer is not on file here any more; search again."))
        return self.cleaned_data["party"]

    def clean_customer_mobile(self):
        return normalize_optional_mobile(self.cleaned_data.get("customer_mobile", ""))

    def clean_vehicle_plate(self):
        return _plate(self.cleaned_data.get("vehicle_plate", ""))

    def clean_start(self):
        value = self.cleaned_data.get("start", "")
        moment = parse_start(value)
        if moment is None:
            raise forms.ValidationError(_("Choose a free time on the right."))
        return moment

    def clean(self):
        data = super().clean()
        if not (data.get("vehicle") or data.get("customer") or data.get("customer_mobile")):
            self.add_error("customer_mobile", _("Find the customer's vehicle, or enter a new customer."))
        if data.get("customer_mobile") and not (data.get("vehicle") or data.get("customer")) \
                and not data.get("customer_name"):
            self.add_error("customer_name", _("Enter the new customer's name."))
        if data.get("vehicle_vin") and not (data.get("vehicle_make") and data.get("vehicle_model")):
            self.add_error("vehicle_make", _("Enter make and model with the VIN."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {key: data[key] for key in ("channel", "concern", "advisor", "estimated_hours", "courtesy_car",
                                             "pickup", "notes", "start")}
        kwargs.update(operations=data["operations"], packages=data["packages"], vehicle=data["vehicle"],
                      customer=data["customer"], override_reason=data.get("override_reason", ""),
                      plate=data["vehicle_plate"])
        if not (data["vehicle"] or data["customer"]):
            kwargs["new_customer"] = {"name": data["customer_name"], "mobile": data["customer_mobile"]}
        if not data["vehicle"] and data["vehicle_vin"]:
            kwargs["new_vehicle"] = {"vin": data["vehicle_vin"], "plate": data["vehicle_plate"],
                                     "make": data["vehicle_make"], "model": data["vehicle_model"]}
        return kwargs


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class RescheduleForm(forms.Form):
    start = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(required=False)
    advisor = forms.CharField(required=False)  # "" keeps the advisor, "none" leaves it unassigned
    version = forms.IntegerField(required=False)
    override_reason = forms.CharField(max_length=200, required=False)


class CallOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ConfirmationCall.Outcome.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class SelfBookingForm(forms.Form):
    """The public page: a name, a mobile, a plate, what is wrong, and a free slot."""

    name = forms.CharField(label=_("Your name"), max_length=50)
    mobile = forms.CharField(label=_("Mobile"), max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    plate = forms.CharField(label=_("Plate"), max_length=12)
    concern = forms.CharField(label=_("What should we look at?"), max_length=500,
                              widget=forms.Textarea(attrs={"rows": 3}))
    start = forms.CharField(widget=forms.HiddenInput, required=False)
    # Honeypot: hidden from people by CSS; a bot that fills every field gives itself away.
    website = forms.CharField(required=False, label=_("Leave empty"),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def clean_mobile(self):
        return normalize_optional_mobile(self.cleaned_data["mobile"])

    def clean_plate(self):
        return _plate(self.cleaned_data["plate"])

    def clean_start(self):
        moment = parse_start(self.cleaned_data.get("start", ""))
        if moment is None:
            raise forms.ValidationError(_("Choose a free time."))
        return moment
