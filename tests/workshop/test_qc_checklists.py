"""The default QC checklists (seeded as data, idempotent) and the checklist an RO is inspected against."""

import pytest
from django.core.management import call_command

from repair_orders.models import JobLine
from workshop.models import ChecklistItem, ChecklistTemplate
from workshop.qc_defaults import DEFAULT_CHECKLISTS, seed_checklists
from workshop.selectors.qc import checklist_for

from .qc_helpers import approved_ro

pytestmark = pytest.mark.django_db


def test_seeding_is_idempotent_and_keeps_edits_made_in_admin(capsys):
    call_command("seed_qc_checklists")
    assert "7 created" in capsys.readouterr().out
    assert ChecklistTemplate.objects.count() == len(DEFAULT_CHECKLISTS) == 7
    items = ChecklistItem.objects.count()
    paint = ChecklistTemplate.objects.get(category="paint")
    assert [item.text for item in paint.items.all()][:3] == ["漆面色差", "橘皮", "流挂"]
    ChecklistItem.objects.filter(template=paint, text="橘皮").update(text="橘皮（目视）")
    ChecklistItem.objects.filter(template__category="", text="漏油漏水检查").delete()
    assert seed_checklists() == 0
    call_command("seed_qc_checklists")
    assert "0 created" in capsys.readouterr().out
    assert ChecklistTemplate.objects.count() == 7 and ChecklistItem.objects.count() == items - 1
    assert paint.items.filter(text="橘皮（目视）").exists()


def test_an_ros_checklist_is_the_general_one_plus_its_jobs_categories(site, advisor, django_assert_num_queries):
    seed_checklists()
    extra = ChecklistTemplate.objects.create(category="maintenance", name="厂家保养附加")
    ChecklistItem.objects.create(template=extra, text="保养手册已盖章", position=1)
    ChecklistTemplate.objects.create(category="electrical", name="停用", active=False).items.create(text="不用")
    repair_order = approved_ro(site, advisor, operations=("BY001", "PQ001"), free_text=["车内异味检查"])
    jobs = list(JobLine.objects.filter(repair_order=repair_order).select_related("operation").order_by("pk"))
    with django_assert_num_queries(2):  # the active templates; their items
        sections = checklist_for(jobs)
    texts = [[item.text for item in section.items] for section in sections]
    assert [section.job for section in sections] == [None, *jobs]
    assert texts[0][:2] == ["维修项目全部完成，与委托书一致", "仪表无故障灯"]  # general: the whole RO
    assert "机油液位正确" in texts[1] and "保养手册已盖章" in texts[1]  # both maintenance templates
    assert "流挂" in texts[2] and "机油液位正确" not in texts[2]
    assert texts[3] == []  # a free-text job: the general checks only
    assert "不用" not in sum(texts, [])


def test_without_templates_the_checklist_is_empty(site, advisor):
    repair_order = approved_ro(site, advisor)
    sections = checklist_for(list(repair_order.jobs.select_related("operation")))
    assert [section.items for section in sections] == [[], []]


def test_the_admin_edits_checklists_and_shows_inspections_read_only(admin_client, site, advisor, technician,
                                                                    inspector):
    from workshop.models import Inspection
    from workshop.services.qc import qc_record

    from .qc_helpers import all_ok, ro_in_quality_check

    repair_order = ro_in_quality_check(site, advisor, technician)
    inspection = qc_record(repair_order=repair_order, inspector=inspector, passed=True, answers=all_ok(repair_order))
    template = ChecklistTemplate.objects.get(category="paint")
    assert admin_client.get("/admin/workshop/checklisttemplate/").status_code == 200
    page = admin_client.get(f"/admin/workshop/checklisttemplate/{template.pk}/change/").content.decode()
    assert "漆面色差" in page and "橘皮" in page
    assert admin_client.get("/admin/workshop/inspection/").status_code == 200
    detail = admin_client.get(f"/admin/workshop/inspection/{inspection.pk}/change/")
    assert detail.status_code == 200 and "仪表无故障灯" in detail.content.decode()
    assert admin_client.post(f"/admin/workshop/inspection/{inspection.pk}/delete/").status_code == 403
    assert Inspection.objects.count() == 1
