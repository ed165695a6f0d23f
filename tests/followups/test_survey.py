"""The default questionnaire (回访问卷, seed 001): each question tied to a department, seeded idempotently
(edits made in admin survive), and answers stored with their department for the department scores."""

import pytest
from django.core.management import call_command

from followups.models import Department, Question, SurveyAnswer
from followups.services.callbacks import callback_complete
from followups.survey_defaults import DEFAULT_QUESTIONS, seed_questions

from .calls_helpers import scores

pytestmark = pytest.mark.django_db


def test_the_seed_is_idempotent_and_keeps_edits(capsys):
    call_command("seed_survey_questions")
    assert Question.objects.count() == len(DEFAULT_QUESTIONS) == 12
    assert "12 created" in capsys.readouterr().out
    Question.objects.filter(code="cleanliness").update(text="车辆洗得干净吗？")
    Question.objects.filter(code="on_time").delete()
    assert seed_questions() == 1  # only the missing one comes back
    assert Question.objects.get(code="cleanliness").text == "车辆洗得干净吗？"
    assert seed_questions() == 0 and Question.objects.count() == 12


def test_every_department_has_its_questions_in_chinese(questions):
    by_department = {}
    for question in questions:
        by_department.setdefault(question.department, []).append(question.code)
        assert any("\u4e00" <= char <= "\u9fff" for char in question.text) and question.text_en
    assert set(by_department) == set(Department.values)
    assert by_department["reception"] == ["reception_speed", "labour_price", "quoted_up_front", "work_explained"]
    assert by_department["workshop"] == ["on_time", "repair_quality", "paint_quality"]
    assert by_department["cashier"] == ["settlement_speed"] and by_department["parts"] == ["parts_price"]
    assert by_department["wash"] == ["cleanliness"] and by_department["overall"] == ["overall", "recommend"]
    assert [q.kind for q in questions].count(Question.Kind.RECOMMEND) == 1
    assert [q.position for q in questions] == list(range(1, 13))


def test_answers_are_stored_with_their_department(csi_call, care):
    callback_complete(callback=csi_call, actor=care, scores=scores(repair_quality=4, paint_quality=5, overall=4,
                                                                   settlement_speed=5, cleanliness=4), recommend=10)
    answers = SurveyAnswer.objects.filter(survey__callback=csi_call)
    by_department = {}
    for answer in answers:
        by_department.setdefault(answer.department, []).append(answer.score)
    assert by_department == {"reception": [5, 5, 5, 5], "workshop": [5, 4, 5], "cashier": [5], "parts": [5],
                             "wash": [4], "overall": [4]}
    assert csi_call.survey.overall == 4 and csi_call.survey.recommend == 10
    # A later edit of the questionnaire does not move old answers.
    Question.objects.filter(code="cleanliness").update(department=Department.WORKSHOP)
    assert SurveyAnswer.objects.get(survey__callback=csi_call, question__code="cleanliness").department == "wash"
