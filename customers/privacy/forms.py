from django import forms
from django.utils.translation import gettext_lazy as _


class ErasureForm(forms.Form):
    confirmation = forms.CharField(label=_("Type the customer's name to confirm"), max_length=100)


class ExportForm(forms.Form):
    fmt = forms.ChoiceField(choices=[("json", "JSON"), ("html", _("Readable summary"))], initial="json")
