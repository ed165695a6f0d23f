from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import TimelineFilter, staff_choices
from .sources import source_choices


class TimelineForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    actor = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind of record"), required=False)
    record = forms.CharField(label=_("Record id or number"), required=False, max_length=40, strip=True)

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", _("Anybody"))] + staff_choices(site=site)
        self.fields["kind"].choices = [("", _("All records"))] + source_choices()

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def filter(self) -> TimelineFilter:
        if not self.is_valid():
            return TimelineFilter()
        data = self.cleaned_data
        return TimelineFilter(date_from=data["date_from"], date_to=data["date_to"], actor_id=data["actor"],
                              kinds=(data["kind"],) if data["kind"] else (), record=data["record"] or "")
