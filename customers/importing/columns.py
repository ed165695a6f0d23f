"""The columns an import file may have, in Chinese or English, and how a cell's text is read.

The header a file uses is matched loosely (case, spaces, underscores and brackets do not matter), so
"手机号码", "手机" and "Mobile" all mean the customer's mobile. An export writes the headers of the
user's language, which the import accepts again.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import translation


@dataclass(frozen=True)
class Column:
    key: str  # the resource field and the form field it feeds
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    help: str = ""  # what to write, shown on the import screen (translatable)

    def label(self, language: str | None = None) -> str:
        language = language or translation.get_language() or "zh-hans"
        return self.en if language.startswith("en") else self.zh

    def names(self) -> tuple[str, ...]:
        return (self.key, self.zh, self.en, *self.aliases)


CUSTOMER_COLUMNS = (
    Column("name", "姓名", "Name", ("客户姓名", "客户名称", "名称", "客户", "customer name"), required=True),
    Column("mobile", "手机", "Mobile", ("手机号", "手机号码", "电话", "联系电话", "phone"), required=True),
    Column("mobile2", "备用手机", "Second mobile", ("手机2", "第二手机", "备用电话", "mobile 2")),
    Column("kind", "客户类型", "Kind", ("类型", "type", "customer type")),
    Column("tier", "客户等级", "Tier", ("等级", "会员等级", "level")),
    Column("wechat_id", "微信号", "WeChat ID", ("微信", "wechat")),
    Column("email", "邮箱", "Email", ("电子邮件", "电子邮箱", "e-mail")),
    Column("address", "地址", "Address", ("联系地址", "住址")),
    Column("birthday", "生日", "Birthday", ("出生日期", "date of birth")),
    Column("notes", "备注", "Notes", ("note", "remarks")),
    Column("marketing_consent", "同意营销", "Marketing consent", ("营销同意", "营销许可", "consent")),
)

VEHICLE_COLUMNS = (
    Column("vin", "车架号", "VIN", ("车辆识别代号", "车辆识别码", "vin码", "车架号码"), required=True),
    Column("plate", "车牌", "Plate", ("车牌号", "车牌号码", "号牌", "licence plate", "license plate")),
    Column("make", "品牌", "Make", ("厂牌", "brand"), required=True),
    Column("model", "车型", "Model", ("型号",), required=True),
    Column("model_year", "年款", "Model year", ("年份", "year")),
    Column("engine_number", "发动机号", "Engine number", ("发动机号码", "engine no")),
    Column("colour", "颜色", "Colour", ("车身颜色", "color")),
    Column("registration_date", "注册日期", "Registration date", ("上牌日期", "登记日期", "初登日期")),
    Column("warranty_start", "保修开始日期", "Warranty start", ("保修开始", "质保开始日期", "质保开始")),
    Column("owner_mobile", "车主手机", "Owner mobile", ("车主手机号", "车主电话", "车主手机号码"),
           required=True),
    Column("mileage", "里程", "Mileage", ("里程(km)", "行驶里程", "公里数", "mileage (km)", "km")),
)

COLUMNS = {"customers": CUSTOMER_COLUMNS, "vehicles": VEHICLE_COLUMNS}
DATE_KEYS = {"birthday", "registration_date", "warranty_start"}


def header_key(text) -> str:
    """What a header is compared by: no case, spaces, underscores, dashes or bracket styles."""
    text = str(text or "").strip().lower()
    text = text.replace("（", "(").replace("）", ")")
    return re.sub(r"[\s_\-:：*]", "", text)


def column_lookup(columns) -> dict[str, Column]:
    return {header_key(name): column for column in columns for name in column.names()}


def headers(columns, language: str | None = None) -> list[str]:
    return [column.label(language) for column in columns]


# ---------------------------------------------------------------- cells

def cell_text(value) -> str:
    """A cell as the text a person typed: XLSX numbers lose a spurious ".0", dates become ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return unescape_formula(str(value).strip())


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def date_text(text: str) -> str:
    """2020/1/5, 2020.01.05, 2020年1月5日 or 20200105 as ISO; anything else is left to the form."""
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                return text
    return text


_TRUE = {"1", "y", "yes", "true", "是", "同意", "已同意", "√", "✓", "对"}
_FALSE = {"", "0", "n", "no", "false", "否", "不同意", "未同意", "×", "x", "不"}


def parse_yes_no(text: str) -> bool | None:
    """True or False for the usual ways of writing yes and no; None when it is neither."""
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


def yes_no(value: bool, language: str | None = None) -> str:
    language = language or translation.get_language() or "zh-hans"
    if language.startswith("en"):
        return "yes" if value else "no"
    return "是" if value else "否"


# What old DMS files write besides our own labels.
KIND_ALIASES = {"公司": "company", "企业": "company", "单位客户": "company",
                "私人": "person", "个人客户": "person"}
TIER_ALIASES = {"普通客户": "regular", "会员": "regular", "贵宾": "vip",
                "大客户": "fleet", "车队客户": "fleet"}


def choice_lookup(choices, aliases: dict | None = None) -> dict[str, str]:
    """Value by its code or by its label in any of the site's languages (个人, Person, person...)."""
    from django.conf import settings

    lookup = dict(aliases or {})
    for code, label in choices:
        lookup[code.lower()] = code
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                lookup[str(label).strip().lower()] = code
    return lookup


# ---------------------------------------------------------------- spreadsheet formulas

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(text: str) -> str:
    """A leading ' stops Excel from running a cell that starts like a formula (CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def unescape_formula(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text
