from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Channel, Customer, Vehicle
from .validation import (
    clean_search_text,
    normalize_mobile,
    normalize_optional_mobile,
    normalize_plate,
    normalize_vin,
    validate_plate,
    validate_vin,
)


class VersionedForm(forms.ModelForm):
    """Carries the record's version so a save over someone else's newer change is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class CustomerForm(VersionedForm):
    marketing_consent = forms.BooleanField(
        label=_("Agrees to marketing messages"), required=False,
        help_text=_("Service messages (reminders, callbacks) do not need this consent."),
    )
    confirm_duplicate = forms.BooleanField(
        label=_("This is a different person with the same mobile"), required=False, widget=forms.HiddenInput,
    )

    class Meta:
        model = Customer
        fields = ["kind", "name", "mobile", "mobile2", "wechat_id", "email", "address", "preferred_channel",
                  "birthday", "tier", "club_member", "notes"]
        widgets = {
            "birthday": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "mobile": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "mobile2": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["marketing_consent"]  # changed on its own form, with its source

    def clean_mobile(self):
        return normalize_optional_mobile(self.cleaned_data.get("mobile", ""))

    def clean_mobile2(self):
        return normalize_optional_mobile(self.cleaned_data.get("mobile2", ""))

    def clean_name(self):
        return clean_search_text(self.cleaned_data["name"], limit=100)


class VehicleForm(VersionedForm):
    owner = forms.ModelChoiceField(queryset=Customer.objects.none(), label=_("owner"),
                                   widget=forms.HiddenInput)
    mileage = forms.IntegerField(label=_("Current mileage (km)"), required=False, min_value=0,
                                 max_value=2_000_000)
    vin_exception_reason = forms.CharField(
        label=_("Accept without a valid VIN (service manager): reason"), required=False, max_length=200,
    )

    class Meta:
        model = Vehicle
        fields = ["owner", "vin", "plate", "make", "model", "model_year", "engine_number", "colour",
                  "registration_date", "warranty_start", "warranty_years", "warranty_km"]
        widgets = {
            "registration_date": forms.DateInput(attrs={"type": "date"}),
            "warranty_start": forms.DateInput(attrs={"type": "date"}),
            "vin": forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off",
                                          "maxlength": 20}),
        }

    def __init__(self, *args, site, can_accept_vin_exception=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Customer.objects.filter(site=site, merged_into__isnull=True)
        self.fields["vin"].required = False
        self.fields["vin"].max_length = 20
        if self.instance.pk:
            del self.fields["owner"], self.fields["mileage"]  # transfer and readings have their own forms
        if not can_accept_vin_exception:
            del self.fields["vin_exception_reason"]

    def clean_vin(self):
        vin = normalize_vin(self.cleaned_data.get("vin", ""))
        if self.data.get(self.add_prefix("vin_exception_reason"), "").strip():
            return vin  # the manager's exception; the service re-checks the permission
        if not vin:
            raise forms.ValidationError(_("Enter the 17-character VIN from the VIN plate or the registration."))
        try:
            validate_vin(vin)
        except ValidationError as error:
            raise forms.ValidationError(error.messages[0]) from None
        return vin

    def clean_plate(self):
        plate = normalize_plate(self.cleaned_data.get("plate", ""))
        if plate:
            try:
                validate_plate(plate)
            except ValidationError as error:
                raise forms.ValidationError(error.messages[0]) from None
        return plate

    def validate_unique(self):
        pass  # the service reports a duplicate VIN with a link to the vehicle on file

    def validate_constraints(self, exclude=None):
        pass


class TransferForm(forms.Form):
    new_owner_mobile = forms.CharField(label=_("New owner's mobile"), max_length=20,
                                       help_text=_("The new owner must be in the archive; create them first."))
    on_date = forms.DateField(label=_("Transfer date"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site

    def clean_new_owner_mobile(self):
        mobile = normalize_mobile(self.cleaned_data["new_owner_mobile"])
        owners = Customer.objects.filter(site=self.site, mobile=mobile, merged_into__isnull=True)[:2]
        if not owners:
            raise forms.ValidationError(_("No customer with this mobile; create the new owner first."))
        if len(owners) > 1:
            raise forms.ValidationError(_("Several customers have this mobile; merge them first."))
        self.cleaned_data["new_owner"] = owners[0]
        return mobile


class MileageForm(forms.Form):
    km = forms.IntegerField(label=_("Odometer (km)"), min_value=0, max_value=2_000_000)
    read_on = forms.DateField(label=_("Read on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    correction_reason = forms.CharField(
        label=_("Correction reason (only if lower than the last reading)"), required=False, max_length=200,
    )


class ConsentForm(forms.Form):
    granted = forms.TypedChoiceField(
        label=_("Marketing messages"), coerce=lambda v: v == "yes",
        choices=[("yes", _("Customer agrees")), ("no", _("Customer withdraws / refuses"))],
    )
    source = forms.CharField(label=_("How (e.g. signed form, phone call)"), max_length=50)


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    reason = forms.CharField(label=_("Reason"), max_length=100)
    outcome = forms.CharField(label=_("Outcome"), max_length=200, required=False)


class MergeForm(forms.Form):
    duplicate = forms.ModelChoiceField(
        queryset=Customer.objects.none(), label=_("Customer number of the duplicate"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid_choice": _("No other customer of this site has that number.")},
    )

    def __init__(self, *args, site, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].queryset = (
            Customer.objects.filter(site=site, merged_into__isnull=True).exclude(pk=target.pk)
        )
