from django import forms
from django.utils.translation import gettext_lazy as _

from ..models_import import ImportJob
from .reading import FileRefused, check_upload


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportJob.Kind.choices,
                             widget=forms.RadioSelect, initial=ImportJob.Kind.CUSTOMERS)
    file = forms.FileField(label=_("File (.csv or .xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.cleaned_data["format"] = check_upload(upload)
        except FileRefused as refusal:
            raise forms.ValidationError(refusal.message) from None
        return upload
