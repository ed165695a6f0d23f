"""Forms of the calls screens: an attempt, the survey (one field per active question), resolving a complaint,
and opening one by hand."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CallAttempt, Complaint, Department, Question
from .services.callbacks import ATTEMPT_OUTCOMES
from .survey_defaults import OVERALL_CODE

DATETIME_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M")
SCORES = [(str(n), str(n)) for n in range(1, 6)]
RECOMMEND = [(str(n), str(n)) for n in range(11)]


class AttemptForm(forms.Form):
    outcome = forms.ChoiceField(label=_("What happened"), widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                                choices=[(o.value, o.label) for o in CallAttempt.Outcome if o in ATTEMPT_OUTCOMES],
                                error_messages={"required": _("Choose what happened on the call.")})
    call_back_at = forms.DateTimeField(label=_("Call back at"), required=False, widget=DATETIME_LOCAL,
                                       input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SurveyForm(forms.Form):
    """One 1–5 field per active score question (the overall question's is `overall`), would-recommend 0–10,
    the customer's words, and what they stated."""

    verbatim = forms.CharField(label=_("The customer's words"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    complaint_stated = forms.BooleanField(label=_("The customer states a complaint"), required=False)
    fault_back = forms.BooleanField(label=_("The fault is back"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = []
        for question in questions:
            recommend = question.kind == Question.Kind.RECOMMEND
            name = "recommend" if recommend else OVERALL_CODE if question.code == OVERALL_CODE else f"q_{question.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=question.text, required=False, coerce=int, empty_value=None,
                choices=RECOMMEND if recommend else SCORES, widget=forms.RadioSelect(attrs={"class": "btn-check"}))
            self.questions.append((question, name))

    def question_fields(self):
        """(question, bound field) in the order asked, for the template."""
        return [(question, self[name]) for question, name in self.questions]

    def scores(self) -> dict[int, int]:
        """Question pk → 1–5 score, for the questions answered (the overall one included)."""
        return {question.pk: self.cleaned_data[name] for question, name in self.questions
                if name != "recommend" and self.cleaned_data.get(name) is not None}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"scores": self.scores(), "overall": data.get(OVERALL_CODE), "recommend": data.get("recommend"),
                "verbatim": data["verbatim"], "complaint_stated": data["complaint_stated"],
                "fault_back": data["fault_back"], "version": data["version"]}


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}),
                                 error_messages={"required": _("Write down what was done for the customer.")})
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ComplaintFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", _("Still open")), ("all", _("All")),
                                                        *Complaint.Status.choices])
    department = forms.ChoiceField(required=False, choices=[("", _("All departments")), *Department.choices])
    overdue = forms.BooleanField(required=False, label=_("Past the deadline"))
