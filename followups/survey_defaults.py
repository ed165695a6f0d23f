"""The default satisfaction questionnaire (回访问卷, seed 001's callback questions), seeded as data: customer care
edits it in admin afterwards, so the texts are stored in the users' language (zh-hans, English beside them)
rather than translated strings. Seeding never changes a question that already exists (matched by code), so
edits made in admin survive a re-run."""

from django.db import transaction

from .models import Department, Question

# code, department, kind, zh-hans text, English text — in the order they are asked on the call
DEFAULT_QUESTIONS: tuple[tuple[str, str, str, str, str], ...] = (
    ("reception_speed", Department.RECEPTION, Question.Kind.SCORE,
     "您对接待速度满意吗？", "Were you received quickly?"),
    ("on_time", Department.WORKSHOP, Question.Kind.SCORE,
     "车辆是否按约定时间完工？", "Was the car finished on time?"),
    ("settlement_speed", Department.CASHIER, Question.Kind.SCORE,
     "您对结账速度满意吗？", "Was the settlement quick?"),
    ("parts_price", Department.PARTS, Question.Kind.SCORE,
     "您对配件价格满意吗？", "Are you satisfied with the parts prices?"),
    ("labour_price", Department.RECEPTION, Question.Kind.SCORE,
     "您对工时价格满意吗？", "Are you satisfied with the labour price?"),
    ("quoted_up_front", Department.RECEPTION, Question.Kind.SCORE,
     "服务顾问接待时是否主动报价？", "Did the advisor quote the price up front?"),
    ("work_explained", Department.RECEPTION, Question.Kind.SCORE,
     "维修完毕后是否逐项讲解维修内容？", "Was the work explained item by item at handover?"),
    ("repair_quality", Department.WORKSHOP, Question.Kind.SCORE,
     "您对维修质量满意吗？", "Are you satisfied with the repair quality?"),
    ("paint_quality", Department.WORKSHOP, Question.Kind.SCORE,
     "您对喷漆质量满意吗？（无喷漆可跳过）", "Are you satisfied with the paint work? (skip if none)"),
    ("cleanliness", Department.WASH, Question.Kind.SCORE,
     "您对车辆清洁程度满意吗？", "Was the car handed back clean?"),
    ("overall", Department.OVERALL, Question.Kind.SCORE,
     "您对本次服务的总体评价？", "Overall, how was this visit?"),
    ("recommend", Department.OVERALL, Question.Kind.RECOMMEND,
     "您有多大可能向亲友推荐本店？（0–10）", "How likely are you to recommend us to a friend? (0–10)"),
)
# The survey's own overall and recommendation fields are filled from these questions' answers.
OVERALL_CODE, RECOMMEND_CODE = "overall", "recommend"


@transaction.atomic
def seed_questions() -> int:
    """Create the default questions that do not exist yet; returns how many were created."""
    existing = set(Question.objects.values_list("code", flat=True))
    missing = [Question(code=code, department=department, kind=kind, text=text, text_en=text_en, position=position)
               for position, (code, department, kind, text, text_en) in enumerate(DEFAULT_QUESTIONS, start=1)
               if code not in existing]
    Question.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)

# What a low answer to a default question complains about (a question added in admin: "other").
CATEGORY_OF_QUESTION = {
    "reception_speed": "time", "on_time": "time", "settlement_speed": "time",
    "parts_price": "price", "labour_price": "price",
    "quoted_up_front": "communication", "work_explained": "communication",
    "repair_quality": "quality", "paint_quality": "quality", "cleanliness": "cleanliness",
}
