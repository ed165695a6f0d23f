"""The inspection form (质检单): one OK / not OK answer (and a remark) per check of the RO's checklist, the
road test, notes, and per job "send back as rework" with the reason. The rules are the service's
(workshop.services.qc); the form only makes every check a required field so a gap shows where it is."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors.qc import CheckSection

ANSWERS = [("ok", _("OK")), ("ng", _("Not OK"))]


class InspectionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(choices=[("pass", _("Pass")), ("fail", _("Fail"))])
    road_test_done = forms.BooleanField(label=_("Road test done"), required=False)
    road_test_km = forms.IntegerField(label=_("Road test distance (km)"), required=False, min_value=0,
                                      max_value=1000)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, sections: list[CheckSection], **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        self.layout = []  # what the template walks: per section its checks' fields and its send-back fields
        for section in sections:
            key = section.job_id or 0
            checks = []
            for item in section.items:
                name = f"c-{key}-{item.pk}"
                self.fields[name] = forms.ChoiceField(
                    label=item.text, choices=ANSWERS, widget=forms.RadioSelect,
                    error_messages={"required": _("Answer this check.")})
                self.fields[f"r-{key}-{item.pk}"] = forms.CharField(label=_("Remark"), required=False, max_length=200)
                checks.append((item, self[name], self[f"r-{key}-{item.pk}"]))
            entry = {"section": section, "job": section.job, "checks": checks}
            if section.job:
                self.fields[f"failed-{key}"] = forms.BooleanField(label=_("Send back as rework"), required=False)
                self.fields[f"reason-{key}"] = forms.CharField(label=_("Reason"), required=False, max_length=200)
                entry.update(failed=self[f"failed-{key}"], reason=self[f"reason-{key}"])
            self.layout.append(entry)

    @property
    def passed(self) -> bool:
        return self.cleaned_data["result"] == "pass"

    def answers(self) -> list[dict]:
        data = self.cleaned_data
        return [{"job": section.job_id, "check": item.pk,
                 "ok": data[f"c-{section.job_id or 0}-{item.pk}"] == "ok",
                 "remark": data[f"r-{section.job_id or 0}-{item.pk}"]}
                for section in self.sections for item in section.items]

    def failed_jobs(self) -> dict[int, str]:
        data = self.cleaned_data
        return {section.job_id: data[f"reason-{section.job_id}"] for section in self.sections
                if section.job and data.get(f"failed-{section.job_id}")}
