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
        indexes = [
            models.Index(fields=["site", "taken_at"], name="followups_survey_site_taken"),
            # The monthly report: satisfaction trend and rates, satisfaction per advisor (index-only).
            models.Index(fields=["site", "taken_at"], include=["id", "overall", "recommend", "repair_order"],
                         name="followups_survey_report"),
        ]

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
        # The monthly report's department scores and 12-month trend: each survey's answers, index-only.
        indexes = [models.Index(fields=["survey"], include=["department", "score"], name="followups_answer_report")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.score}"


class SurveyMonthScore(models.Model):
    """The answers of a site's surveys per month and department, as a count and a sum of scores: the monthly
    report's department scores and 12-month trend read these few rows instead of a year of answers. The month is
    the first day of the site's local month of the survey's taken_at. Written only by
    followups.services.survey_rollup (with the survey, in its transaction; or rebuilt after a bulk load)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    department = models.CharField(max_length=10, choices=Department.choices)
    answers = models.PositiveIntegerField(default=0)
    score_sum = models.PositiveBigIntegerField(default=0)

    class Meta:
        # Also the index of the report's read: a site's rows of twelve months.
        constraints = [models.UniqueConstraint(fields=["site", "month", "department"],
                                               name="followups_survey_month_score_one")]

    def __str__(self) -> str:
        return f"{self.site_id} {self.month:%Y-%m} {self.department}: {self.score_sum}/{self.answers}"
