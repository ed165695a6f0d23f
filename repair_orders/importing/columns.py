"""The columns of a labour-time book file and a service-package file, in Chinese or English."""

from django.utils.translation import gettext_lazy as _

from customers.importing.columns import Column

from ..models import LabourOperation

Category = LabourOperation.Category
Skill = LabourOperation.Skill

LABOUR_COLUMNS = (
    Column("code", "工时代码", "Code", ("代码", "项目代码", "操作代码", "工时编号", "operation code"), required=True,
           help=_("e.g. BY001; with make and model it identifies the operation")),
    Column("name", "名称", "Name", ("项目名称", "工时名称", "维修项目", "操作名称"),
           help=_("needed for a new operation, e.g. 更换机油机滤")),
    Column("name_en", "英文名称", "English name", ("名称(英文)", "name (en)")),
    Column("category", "类别", "Category", ("分类", "项目类别", "工时类别"),
           help=_("保养, 机修, 电器, 钣金, 喷漆 or 诊断 (or the English name)")),
    Column("hours", "工时", "Hours", ("标准工时", "工时(小时)", "工时数", "flat-rate hours", "flat rate hours"),
           help=_("flat-rate hours, e.g. 0.5")),
    Column("skill", "技能", "Skill", ("所需技能", "工种", "skill needed"),
           help=_("blank: the usual skill of the category")),
    Column("make", "品牌", "Make", ("厂牌", "适用品牌"), help=_("blank: every make")),
    Column("model", "车型", "Model", ("适用车型",), help=_("blank: every model")),
    Column("fixed_price", "固定价格", "Fixed price", ("一口价", "固定价", "fixed price (cny)"),
           help=_("blank: hours × the site's labour rate")),
    Column("active", "启用", "Active", ("有效", "是否启用", "enabled"), help=_("是 or 否; blank: 是")),
)

PACKAGE_COLUMNS = (
    Column("package_code", "套餐代码", "Package code", ("套餐编号", "套餐", "package"), required=True,
           help=_("one row per line of the package; repeat the code on each")),
    Column("package_name", "套餐名称", "Package name", ("名称",),
           help=_("needed for a new package, on its first row")),
    Column("mileage", "保养里程", "Mileage", ("里程", "公里数", "里程(km)", "mileage (km)"),
           help=_("the service interval in km, e.g. 10000")),
    Column("package_price", "套餐价格", "Package price", ("套餐价", "一口价", "fixed price"),
           help=_("blank: the sum of its lines")),
    Column("operation_code", "工时代码", "Operation code", ("项目代码", "operation"),
           help=_("a labour operation of the book…")),
    Column("part_number", "配件编号", "Part number", ("零件号", "配件号", "零件编号", "件号", "part no"),
           help=_("…or a part of this site's catalogue")),
    Column("quantity", "数量", "Quantity", ("用量", "qty"), help=_("of the part, e.g. 4.5 (litres) or 1")),
)

CATEGORY_ALIASES = {
    "保养": Category.MAINTENANCE, "维护保养": Category.MAINTENANCE, "定期保养": Category.MAINTENANCE,
    "机修": Category.MECHANICAL, "机械": Category.MECHANICAL, "机电": Category.MECHANICAL,
    "电器": Category.ELECTRICAL, "电气": Category.ELECTRICAL, "电工": Category.ELECTRICAL,
    "钣金": Category.BODY, "车身": Category.BODY,
    "喷漆": Category.PAINT, "油漆": Category.PAINT, "漆面": Category.PAINT,
    "诊断": Category.DIAGNOSIS, "检测": Category.DIAGNOSIS,
}
CATEGORIES_SHOWN = "保养、机修、电器、钣金、喷漆、诊断"

SKILL_ALIASES = {
    "通用": Skill.GENERAL, "普通": Skill.GENERAL, "通用技师": Skill.GENERAL,
    "机修": Skill.MECHANICAL, "机修工": Skill.MECHANICAL,
    "电器": Skill.ELECTRICAL, "电工": Skill.ELECTRICAL,
    "钣金": Skill.BODY, "钣金工": Skill.BODY,
    "喷漆": Skill.PAINT, "喷漆工": Skill.PAINT, "漆工": Skill.PAINT,
    "诊断": Skill.DIAGNOSTIC, "诊断技师": Skill.DIAGNOSTIC,
}
SKILLS_SHOWN = "通用、机修、电器、钣金、喷漆、诊断"
# The skill an operation needs when the file does not say.
SKILL_OF_CATEGORY = {
    Category.MAINTENANCE: Skill.GENERAL, Category.MECHANICAL: Skill.MECHANICAL,
    Category.ELECTRICAL: Skill.ELECTRICAL, Category.BODY: Skill.BODY, Category.PAINT: Skill.PAINT,
    Category.DIAGNOSIS: Skill.DIAGNOSTIC,
}
