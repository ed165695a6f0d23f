"""The satisfaction survey taken on a completed callback: questions are data (edited in admin), each tied to
a department (DESIGN.md §6); answers are kept as given, never changed afterwards."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from repair_orders.models import RepairOrder
from servicedesk.accounts.models import Site
from servicedesk.core.models import AppendOnly

from .callbacks import Callback


class Department(models.TextChoices):
    RECEPTION = "reception", _("Reception")
    WORKSHOP = "workshop", _("Workshop")
    PARTS = "parts", _("Parts")
    CASHIER = "cashier", _("Cashier")
    WASH = "wash", _("Wash")
    OVERALL = "overall", _("Overall")


class Question(models.Model):
    class Kind(models.TextChoices):
        SCORE = "score", _("Score 1–5")
        RECOMMEND = "recommend", _("Would recommend 0–10")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    text = models.CharField(_("question"), max_length=200)
    text_en = models.CharField(_("question (English)"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=10, choices=Department.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SCORE)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")

    def __str__(self) -> str:
        return self.text


class Survey(AppendOnly):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    callback = models.OneToOneField(Callback, on_delete=models.PROTECT, related_name="survey")
    repair_order = models.ForeignKey(RepairOrder, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="surveys")
    # The overall 1–5 score (satisfaction rate: share ≥ 4) and the 0–10 recommendation (NPS).
    overall = models.PositiveSmallIntegerField(_("overall"), null=True, blank=True)
    recommend = models.PositiveSmallIntegerField(_("would recommend"), null=True, blank=True)
    verbatim = models.TextField(_("the customer's words"), blank=True)
    complaint_stated = models.BooleanField(_("complaint stated"), default=False)
    fault_back = models.BooleanField(_("the fault is back"), default=False)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-taken_at", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        indexes = [models.Index(fields=["site", "taken_at"], name="followups_survey_site_taken")]

    def __str__(self) -> str:
        return f"{self.callback_id} {self.overall}"


class SurveyAnswer(AppendOnly):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    # Copied from the question so a later edit of the questionnaire does not move old answers.
    department = models.CharField(max_length=10, choices=Department.choices)
    score = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "question"], name="followups_one_answer")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.score}"
