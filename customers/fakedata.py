"""Deterministic, realistic-looking archive data for demos and benchmarks (pass a seeded random.Random).
Every value passes customers.validation: mobiles, plates and VINs are built to its rules."""

import random
from datetime import date, timedelta

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵钱严武戴孔汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华建国文辉鹏飞"
    "俊峰宇浩晨欣怡婷雪琳佳颖子轩梓涵一诺嘉豪志红玉兰海燕斌波宁凯"
)
CITIES = ["上海", "苏州", "杭州", "南京", "无锡", "宁波", "嘉兴", "昆山"]
TRADE_NAMES = "恒通 华信 宏达 鑫源 中兴 瑞丰 永盛 金桥 东方 天成 新世纪 联合 浦江 长城 安达 盛世".split()
TRADES = "物流 贸易 建设工程 汽车租赁 信息科技 餐饮管理 医药 电子 物业管理 食品".split()
DISTRICTS = "浦东新区 闵行区 徐汇区 长宁区 静安区 普陀区 杨浦区 宝山区 嘉定区 松江区".split()
ROADS = "世纪大道 张杨路 浦建路 莲花南路 虹梅路 龙阳路 沪闵路 七莘路 金科路 川沙路".split()
COLOURS = ["白色", "黑色", "银色", "灰色", "红色", "蓝色", "香槟金", "珠光白", "深灰色"]
# Prefixes phonenumbers accepts as CN mobiles (all 10^8 numbers behind each are valid).
MOBILE_PREFIXES = ["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                   "156", "157", "158", "159", "166", "176", "177", "180", "181", "182", "185", "186",
                   "187", "188", "189", "191", "198", "199"]
# make, model, WMIs of the Chinese plant that builds it, new-energy?
MODELS = [
    ("大众", "朗逸", ["LSV"], False), ("大众", "帕萨特", ["LSV"], False), ("大众", "速腾", ["LFV"], False),
    ("大众", "迈腾", ["LFV"], False), ("奥迪", "A4L", ["LFV"], False), ("丰田", "凯美瑞", ["LVG"], False),
    ("丰田", "卡罗拉", ["LFM"], False), ("本田", "雅阁", ["LHG"], False), ("本田", "思域", ["LVH"], False),
    ("日产", "轩逸", ["LGB"], False), ("别克", "英朗", ["LSG"], False), ("别克", "GL8", ["LSG"], False),
    ("宝马", "3系", ["LBV"], False), ("宝马", "5系", ["LBV"], False), ("奔驰", "C级", ["LE4"], False),
    ("比亚迪", "秦PLUS", ["LGX"], True), ("比亚迪", "汉", ["LGX"], True), ("比亚迪", "宋PLUS", ["LGX"], True),
    ("特斯拉", "Model 3", ["LRW"], True), ("特斯拉", "Model Y", ["LRW"], True),
]
CONTACT_REASONS = ["保养到期提醒", "维修后回访", "保险到期提醒", "预约确认", "满意度调查", "召回通知"]

PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O on plates
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"  # no I, O or Q in a VIN
VIN_YEARS = {2015: "F", 2016: "G", 2017: "H", 2018: "J", 2019: "K", 2020: "L", 2021: "M", 2022: "N",
             2023: "P", 2024: "R", 2025: "S", 2026: "T"}
_VIN_VALUES = {**{str(d): d for d in range(10)}, **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
               **dict(zip("JKLMNPR", [1, 2, 3, 4, 5, 7, 9], strict=True)),
               **dict(zip("STUVWXYZ", range(2, 10), strict=True))}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2, 2))))


def company_name(rng: random.Random) -> str:
    return f"{rng.choice(CITIES)}{rng.choice(TRADE_NAMES)}{rng.choice(TRADES)}有限公司"


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def address(rng: random.Random) -> str:
    return (f"上海市{rng.choice(DISTRICTS)}{rng.choice(ROADS)}{rng.randint(1, 2999)}弄"
            f"{rng.randint(1, 80)}号{rng.randint(1, 30)}0{rng.randint(1, 4)}室")


def plate(rng: random.Random, *, new_energy: bool = False, province: str = "沪") -> str:
    """沪A3K5M7-style plates, or 沪AD12345 (small new-energy) ones."""
    city = rng.choice("ABCDEFGHJKLMN")
    if new_energy:
        second = rng.choice("0123456789ABCDEFGH")
        return f"{province}{city}{rng.choice('DF')}{second}{rng.randrange(10**4):04d}"
    # Mostly digits, sometimes one or two letters, as issued.
    chars = [rng.choice("0123456789") for _ in range(5)]
    for _ in range(rng.choice((0, 0, 1, 2))):
        chars[rng.randrange(5)] = rng.choice(PLATE_LETTERS)
    return f"{province}{city}{''.join(chars)}"


def vin_check_digit(vin: str) -> str:
    total = sum(_VIN_VALUES[c] * w for c, w in zip(vin, _VIN_WEIGHTS, strict=True)) % 11
    return "X" if total == 10 else str(total)


def vin(rng: random.Random, *, wmi: str = "LSV", year: int = 2020, serial: int | None = None) -> str:
    """WMI, five descriptor characters, check digit, model year, plant, six-digit serial."""
    serial = rng.randrange(10**6) if serial is None else serial % 10**6
    body = f"{wmi}{''.join(rng.choices(VIN_CHARS, k=5))}0{VIN_YEARS[year]}{rng.choice(VIN_CHARS)}{serial:06d}"
    return body[:8] + vin_check_digit(body) + body[9:]


def vehicle_data(rng: random.Random, *, serial: int | None = None) -> dict:
    """Fields for customers.services.vehicle_create (or Vehicle(**...))."""
    make, model, wmis, new_energy = rng.choice(MODELS)
    year = rng.randint(2015, 2025)
    registered = date(year, 1, 1) + timedelta(days=rng.randrange(330))
    return {
        "vin": vin(rng, wmi=rng.choice(wmis), year=year, serial=serial),
        "plate": plate(rng, new_energy=new_energy),
        "make": make, "model": model, "model_year": year, "colour": rng.choice(COLOURS),
        "engine_number": "" if new_energy else f"{rng.choice(PLATE_LETTERS)}{rng.randrange(10**7):07d}",
        "registration_date": registered, "warranty_start": registered,
    }


def customer_data(rng: random.Random, *, company: bool = False) -> dict:
    """Fields for customers.services.customer_create (or Customer(**...))."""
    return {
        "kind": "company" if company else "person",
        "name": company_name(rng) if company else person_name(rng),
        "mobile": mobile(rng),
        "mobile2": mobile(rng) if rng.random() < 0.1 else "",
        "address": address(rng) if rng.random() < 0.6 else "",
        "preferred_channel": rng.choice(["phone", "phone", "wechat", "sms"]),
        "tier": "fleet" if company else rng.choice(["regular"] * 8 + ["vip"]),
        "club_member": rng.random() < 0.2,
    }


def mileage_for(rng: random.Random, registered: date, on: date) -> int:
    """A plausible odometer reading: 8,000-25,000 km a year since registration."""
    return max(0, (on - registered).days) * rng.randint(22, 68)
