"""The default QC checklists (质检单), seeded as data: the workshop edits them in admin afterwards, so the texts
are stored in the users' language (zh-hans) rather than translated strings. Seeding never touches a checklist
that already exists, so edits made in admin survive a re-run."""

from django.db import transaction

from repair_orders.models import LabourOperation

from .models import ChecklistItem, ChecklistTemplate

Category = LabourOperation.Category

# category ("" = every RO) -> (name, checks in order)
DEFAULT_CHECKLISTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "": ("通用质检", (
        "维修项目全部完成，与委托书一致",
        "仪表无故障灯",
        "车内无遗留工具/零件",
        "漏油漏水检查",
        "四件套已取下，车内清洁",
        "旧件按客户要求处理（带走/丢弃/索赔保留）",
    )),
    Category.MAINTENANCE: ("保养质检", (
        "机油液位正确",
        "放油螺栓及机滤无渗漏",
        "滤清器已更换",
        "保养灯已复位",
        "轮胎气压符合标准",
        "冷却液、制动液、玻璃水液位正确",
    )),
    Category.MECHANICAL: ("机修质检", (
        "紧固件按规定力矩拧紧",
        "故障现象已排除",
        "无异响、无异常振动",
        "制动性能正常",
        "相关管路、线束复位固定",
    )),
    Category.ELECTRICAL: ("电器质检", (
        "故障码已清除，无新故障码",
        "灯光、喇叭、雨刮工作正常",
        "线束插头连接牢固、走向正确",
        "蓄电池电压及充电系统正常",
        "时钟、收音机等设置已恢复",
    )),
    Category.BODY: ("钣金质检", (
        "车身缝隙均匀、平整",
        "车门、发动机盖、行李箱开关顺畅",
        "密封条安装到位，无漏水",
        "外观件安装牢固，无松动",
    )),
    Category.PAINT: ("喷漆质检", (
        "漆面色差",
        "橘皮",
        "流挂",
        "颗粒、砂纸痕",
        "遮蔽痕迹已清除，无飞漆",
        "抛光后光泽一致",
    )),
    Category.DIAGNOSIS: ("诊断质检", (
        "故障原因已查明并记录",
        "诊断结论已告知服务顾问",
        "路试或复检确认故障已排除",
        "故障码已清除",
    )),
}


@transaction.atomic
def seed_checklists() -> int:
    """Create each default checklist whose category has none yet; returns how many were created."""
    existing = set(ChecklistTemplate.objects.values_list("category", flat=True))
    created = 0
    for category, (name, checks) in DEFAULT_CHECKLISTS.items():
        if category in existing:
            continue
        template = ChecklistTemplate.objects.create(category=category, name=name)
        ChecklistItem.objects.bulk_create(ChecklistItem(template=template, text=text, position=(i + 1) * 10)
                                          for i, text in enumerate(checks))
        created += 1
    return created
