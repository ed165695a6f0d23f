"""Forms of the reception and work-order screens. They parse input; the services decide the rest."""

import base64
import binascii

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import DamageMark, PartLine, PayType, RepairOrder

# Radio buttons drawn as a Bootstrap button group: big enough for a finger on the tablet.
BUTTON_RADIOS = forms.RadioSelect(attrs={"class": "btn-check"})
DATETIME_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}
SIGNATURE_PREFIX = "data:image/png;base64,"


class VersionedForm(forms.Form):
    """Carries the RO version the page was rendered from, so a stale post is refused, not applied."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    id_prefix = "ro"  # the RO page holds several of these forms: their element ids must differ

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class WalkaroundForm(VersionedForm):
    """The check-in sheet (接车单). Field names are the service's; `belongings` is one item per line."""
    id_prefix = "walk"

    mileage = forms.IntegerField(label=_("Mileage (km)"), min_value=0, required=False,
                                 widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    mileage_correction_reason = forms.CharField(
        label=_("Why is the reading lower than the last one?"), max_length=200, required=False,
        help_text=_("Only when the odometer shows less than the vehicle's last reading (e.g. a replaced cluster)."))
    fuel_level = forms.TypedChoiceField(label=_("Fuel level"), choices=RepairOrder.FuelLevel.choices, coerce=int,
                                        empty_value=None, required=False, widget=BUTTON_RADIOS)
    belongings = forms.CharField(label=_("Belongings in the car"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}), help_text=_("One item per line."))
    valuables_reminder_given = forms.BooleanField(label=_("Customer reminded to take valuables"), required=False)
    cover_seat = forms.BooleanField(label=_("Seat cover"), required=False)
    cover_steering_wheel = forms.BooleanField(label=_("Steering wheel cover"), required=False)
    cover_floor_mat = forms.BooleanField(label=_("Floor mat"), required=False)
    cover_gear_lever = forms.BooleanField(label=_("Gear lever cover"), required=False)
    key_tag = forms.CharField(label=_("Key tag"), max_length=20, required=False)
    concerns = forms.CharField(label=_("Customer's concerns (in their own words)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    old_parts_disposition = forms.ChoiceField(label=_("Old parts"), required=False, widget=BUTTON_RADIOS,
                                              choices=RepairOrder.OldParts.choices)
    payment_method = forms.ChoiceField(label=_("Payment method"), required=False,
                                       choices=[("", "—"), *RepairOrder.PaymentMethod.choices])
    wash_wanted = forms.BooleanField(label=_("Wash wanted"), required=False)
    courtesy_car = forms.BooleanField(label=_("Courtesy car"), required=False)
    waiting = forms.TypedChoiceField(label=_("The customer"), coerce=lambda value: value == "1", empty_value=False,
                                     choices=[("1", _("waits at the dealership")), ("0", _("drops the car off"))],
                                     widget=BUTTON_RADIOS, required=False)
    promised_at = forms.DateTimeField(label=_("Promised for"), required=False, widget=DATETIME_LOCAL,
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])

    COVERS = ("cover_seat", "cover_steering_wheel", "cover_floor_mat", "cover_gear_lever")

    @classmethod
    def initial_from(cls, repair_order: RepairOrder) -> dict:
        initial = {name: getattr(repair_order, name) for name in cls.base_fields
                   if name not in ("version", "mileage_correction_reason", "belongings", "waiting")}
        initial.update(version=repair_order.version, belongings="\n".join(repair_order.belongings),
                       waiting="1" if repair_order.waiting else "0")
        return initial

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version")
        if data["mileage"] is None:
            data.pop("mileage")  # not read yet: leave the sheet's value alone
        return data


class SignatureForm(VersionedForm):
    """What the signature pad posts: the signer's name and a PNG as a data URL (blank when nothing drawn)."""

    signer_name = forms.CharField(label=_("Signed by"), max_length=100)
    signature = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_signature(self) -> bytes:
        value = self.cleaned_data.get("signature") or ""
        if not value:
            return b""
        if not value.startswith(SIGNATURE_PREFIX):
            raise forms.ValidationError(_("The signature is not an image."))
        try:
            return base64.b64decode(value[len(SIGNATURE_PREFIX):], validate=True)
        except (binascii.Error, ValueError):
            raise forms.ValidationError(_("The signature is not an image.")) from None


class DamageMarkForm(VersionedForm):
    id_prefix = "damage"
    x = forms.DecimalField(min_value=0, max_value=100, max_digits=5, decimal_places=2, widget=forms.HiddenInput)
    y = forms.DecimalField(min_value=0, max_value=100, max_digits=5, decimal_places=2, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=DamageMark.Kind.choices, initial=DamageMark.Kind.SCRATCH,
                             widget=BUTTON_RADIOS)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class WalkInForm(forms.Form):
    """A customer without an appointment: the vehicle picked from the archive and how the RO starts."""

    vehicle = forms.IntegerField(widget=forms.HiddenInput, error_messages={
        "required": _("Find the vehicle in the archive and choose it.")})
    ro_type = forms.ChoiceField(label=_("Type"), choices=RepairOrder.Type.choices, initial=RepairOrder.Type.REPAIR)
    # The choices are the chosen vehicle's recent deliveries (views/board.py); the service checks the one posted.
    comeback_of = forms.IntegerField(label=_("Returns to repair order"), required=False, widget=forms.Select)
    advisor = forms.TypedChoiceField(label=_("Service advisor"), coerce=int)
    waiting = forms.BooleanField(label=_("The customer waits"), required=False)
    promised_at = forms.DateTimeField(label=_("Promised for"), required=False, widget=DATETIME_LOCAL,
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    concerns = forms.CharField(label=_("Customer's concerns (in their own words)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, advisors, comebacks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].choices = [(user.pk, getattr(getattr(user, "profile", None), "display_name", "")
                                           or user.get_username()) for user in advisors]
        self.set_comebacks(comebacks)

    def set_comebacks(self, comebacks) -> None:
        """The vehicle's earlier ROs a comeback may return to, as the select's options (the only one chosen)."""
        comebacks = list(comebacks)
        if len(comebacks) == 1:
            self.initial.setdefault("comeback_of", comebacks[0].pk)
        self.fields["comeback_of"].widget.choices = [("", "—"), *(
            (ro.pk, f"{ro.number} · {_('delivered')} {timezone.localtime(ro.delivered_at):%Y-%m-%d}"
             + (f" · {ro.concerns[:30]}" if ro.concerns else "")) for ro in comebacks)]


class OperationJobForm(VersionedForm):
    id_prefix = "operation"
    operation = forms.IntegerField(widget=forms.HiddenInput)
    pay_type = forms.ChoiceField(label=_("Pay type"), choices=PayType.choices, initial=PayType.CUSTOMER)


class PackageJobForm(VersionedForm):
    id_prefix = "package"
    package = forms.IntegerField(label=_("Service package"))
    pay_type = forms.ChoiceField(label=_("Pay type"), choices=PayType.choices, initial=PayType.CUSTOMER)


class FreeTextJobForm(VersionedForm):
    id_prefix = "free"
    description = forms.CharField(label=_("Job"), max_length=200)
    hours = forms.DecimalField(label=_("Hours"), max_digits=6, decimal_places=2, min_value=0, initial=0)
    labour_price = forms.DecimalField(label=_("Labour price"), **MONEY)
    diagnostic_fee = forms.DecimalField(label=_("Diagnostic fee"), required=False, **MONEY)
    pay_type = forms.ChoiceField(label=_("Pay type"), choices=PayType.choices, initial=PayType.CUSTOMER)


class PartLineForm(VersionedForm):
    id_prefix = "part"
    job_line = forms.IntegerField(label=_("For the job"))
    part = forms.IntegerField(required=False, error_messages={"invalid": _("Choose a part from the search.")})
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=12, decimal_places=2, initial=1)
    source = forms.ChoiceField(label=_("Source"), choices=[("", _("as catalogued")), *PartLine.Source.choices],
                               required=False)
    description = forms.CharField(label=_("Customer's own part"), max_length=200, required=False)


class CancelForm(VersionedForm):
    id_prefix = "cancel"
    reason = forms.CharField(label=_("Reason"), max_length=200)
