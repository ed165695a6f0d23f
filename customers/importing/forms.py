from django import forms
from django.utils.translation import gettext_lazy as _

from .reading import FileRefused, check_upload


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), widget=forms.RadioSelect)
    file = forms.FileField(label=_("File (.csv or .xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        """`kinds`: (kind, label) of what the user may import."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.fields["kind"].initial = kinds[0][0]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.cleaned_data["format"] = check_upload(upload)
        except FileRefused as refusal:
            raise forms.ValidationError(refusal.message) from None
        return upload
