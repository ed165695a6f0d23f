"""Demo parts catalogue (~300 parts) and its suppliers, for seed_demo: OEM parts per model with aftermarket
equivalents (博世, 曼牌, 马勒, NGK), oils and fluids by the litre (壳牌, 美孚, 嘉实多, 原厂), batteries, bulbs,
tyres, paint materials and accessories (精品). Deterministic: the same list every run.

Each part has a `key` (packages and the seed refer to parts by it); two old numbers are superseded.
"""

from decimal import ROUND_HALF_UP, Decimal

from .models import Part

OEM, AFTERMARKET, ACCESSORY = Part.Kind.OEM, Part.Kind.AFTERMARKET, Part.Kind.ACCESSORY
PIECE, SET, PAIR, LITRE, KG = Part.Unit.PIECE, Part.Unit.SET, Part.Unit.PAIR, Part.Unit.LITRE, Part.Unit.KILOGRAM

# key, name, contact, phone, lead days
SUPPLIERS = [
    ("vw", "上汽大众配件中心", "王建华", "021-69550000", 1),
    ("jp", "广汽丰本原厂配件中心", "陈立", "020-82210000", 3),
    ("bosch", "博世汽车配件(上海)有限公司", "刘洋", "021-22180000", 2),
    ("oil", "上海润通油品贸易有限公司", "张敏", "021-64870000", 2),
]
# model code, make, model, price factor, OEM supplier
MODELS = [
    ("LY", "大众", "朗逸", "1.00", "vw"), ("PS", "大众", "帕萨特", "1.25", "vw"), ("ST", "大众", "速腾", "1.10", "vw"),
    ("MT", "大众", "迈腾", "1.30", "vw"), ("A4", "奥迪", "A4L", "1.60", "vw"), ("KM", "丰田", "凯美瑞", "1.20", "jp"),
    ("KL", "丰田", "卡罗拉", "1.00", "jp"), ("YG", "本田", "雅阁", "1.20", "jp"), ("XY", "日产", "轩逸", "0.95", "jp"),
]
# key, part group, zone, name, English name, unit, OEM price, reorder point, reorder qty, aftermarket (brand, share)
MODEL_PARTS = [
    ("oil_filter", "115", "A", "机油滤清器", "Oil filter", PIECE, "48", 10, 30, [("曼牌", "0.70"), ("马勒", "0.65")]),
    ("air_filter", "129", "A", "空气滤芯", "Air filter", PIECE, "120", 6, 12, [("曼牌", "0.70")]),
    ("cabin_filter", "819", "A", "空调滤芯", "Cabin air filter", PIECE, "150", 6, 12,
     [("曼牌", "0.65"), ("博世", "0.55")]),
    ("fuel_filter", "127", "A", "燃油滤清器", "Fuel filter", PIECE, "180", 3, 6, [("马勒", "0.60")]),
    ("front_pads", "698", "B", "前刹车片", "Front brake pads", SET, "680", 3, 6, [("博世", "0.62")]),
    ("rear_pads", "699", "B", "后刹车片", "Rear brake pads", SET, "520", 2, 4, [("博世", "0.62")]),
    ("front_disc", "615", "B", "前刹车盘", "Front brake disc", PIECE, "980", 2, 4, []),
    ("rear_disc", "616", "B", "后刹车盘", "Rear brake disc", PIECE, "820", 2, 4, []),
    ("spark_plug", "905", "C", "火花塞", "Spark plug", PIECE, "85", 16, 32, [("博世", "0.65"), ("NGK", "0.70")]),
    ("wipers", "955", "G", "雨刮片", "Wiper blades", PAIR, "260", 3, 6, [("博世", "0.65")]),
    ("front_shock", "413", "D", "前减震器", "Front shock absorber", PIECE, "1280", 1, 2, []),
    ("control_arm", "407", "D", "前下摆臂", "Front lower control arm", PIECE, "860", 1, 2, []),
    ("timing_kit", "109", "D", "正时皮带套装", "Timing belt kit", SET, "1650", 1, 1, []),
    ("thermostat", "121", "D", "节温器", "Thermostat", PIECE, "320", 1, 2, []),
    ("headlamp", "941", "G", "前大灯总成", "Headlamp assembly", PIECE, "3200", 0, 0, []),
]
BRAND_PREFIX = {"曼牌": "MANN", "马勒": "MAHLE", "博世": "BOSCH", "NGK": "NGK"}
BRAND_EN = {"曼牌": "MANN-FILTER", "马勒": "MAHLE", "博世": "Bosch", "NGK": "NGK"}

# key, number, name, English name, brand, kind, unit, price, reorder point, reorder qty, zone, supplier
COMMON_PARTS = [
    ("oem_oil", "VW-G052195-M4", "原厂机油 5W-40", "OEM engine oil 5W-40", "原厂", OEM, LITRE, "78",
     40, 120, "E", "vw"),
    ("", "SHELL-HX8-5W30", "壳牌喜力HX8 5W-30", "Shell Helix HX8 5W-30", "壳牌", AFTERMARKET, LITRE, "88", 20, 60, "E",
     "oil"),
    ("", "SHELL-ULTRA-0W20", "壳牌超凡喜力 0W-20", "Shell Helix Ultra 0W-20", "壳牌", AFTERMARKET, LITRE, "128", 20,
     60, "E", "oil"),
    ("", "MOBIL1-0W40", "美孚1号 0W-40", "Mobil 1 0W-40", "美孚", AFTERMARKET, LITRE, "118", 20, 60, "E", "oil"),
    ("", "MOBIL-SUPER-5W30", "美孚速霸2000 5W-30", "Mobil Super 2000 5W-30", "美孚", AFTERMARKET, LITRE, "72", 20, 60,
     "E", "oil"),
    ("", "CASTROL-EDGE-5W40", "嘉实多极护 5W-40", "Castrol EDGE 5W-40", "嘉实多", AFTERMARKET, LITRE, "108", 16, 48,
     "E", "oil"),
    ("oem_brake_fluid", "VW-B000750-M3", "原厂刹车油 DOT4", "OEM brake fluid DOT4", "原厂", OEM, LITRE, "98", 6, 12,
     "E", "vw"),
    ("", "BOSCH-DOT4-1L", "博世刹车油 DOT4", "Bosch brake fluid DOT4", "博世", AFTERMARKET, LITRE, "65", 6, 12, "E",
     "bosch"),
    ("", "VW-G013A8J-M1", "原厂冷却液 G13", "OEM coolant G13", "原厂", OEM, LITRE, "55", 10, 30, "E", "vw"),
    ("", "VW-G055025-A2", "原厂自动变速箱油", "OEM automatic transmission fluid", "原厂", OEM, LITRE, "160", 8, 24,
     "E", "vw"),
    ("", "VW-G052182-A2", "原厂双离合变速箱油", "OEM DSG gearbox oil", "原厂", OEM, LITRE, "180", 6, 18, "E", "vw"),
    ("", "TY-08889-80015", "丰田原厂机油 0W-20", "Toyota genuine oil 0W-20", "原厂", OEM, LITRE, "82", 30, 90, "E",
     "jp"),
    ("", "HD-08232-P99", "本田原厂机油 0W-20", "Honda genuine oil 0W-20", "原厂", OEM, LITRE, "80", 20, 60, "E", "jp"),
    ("", "WASHER-2L", "玻璃水(2升装)", "Screen wash (2 l bottle)", "途虎", AFTERMARKET, PIECE, "25",
     24, 48, "E", "oil"),
    ("", "R134A-KG", "空调冷媒 R134a", "Refrigerant R134a", "巨化", AFTERMARKET, KG, "120", 5, 10, "E", "oil"),
    ("throttle_cleaner", "CLEAN-THROTTLE", "节气门清洗剂", "Throttle body cleaner", "3M", AFTERMARKET, PIECE, "68", 6,
     24, "E", "oil"),
    ("ac_cleaner", "CLEAN-AC", "空调清洗剂", "A/C system cleaner", "3M", AFTERMARKET, PIECE, "88", 6, 24, "E", "oil"),
    ("", "CLEAN-FUEL", "燃油系统清洗剂", "Fuel system cleaner", "力魔", AFTERMARKET, PIECE, "98", 6, 24, "E", "oil"),
    ("", "GREASE-KG", "润滑脂", "Grease", "美孚", AFTERMARKET, KG, "60", 2, 5, "E", "oil"),
    ("", "VARTA-60AH", "瓦尔塔蓄电池 60Ah", "VARTA battery 60 Ah", "瓦尔塔", AFTERMARKET, PIECE, "680", 2, 4, "F",
     "bosch"),
    ("", "VARTA-70AH", "瓦尔塔蓄电池 70Ah", "VARTA battery 70 Ah", "瓦尔塔", AFTERMARKET, PIECE, "780", 2, 4, "F",
     "bosch"),
    ("", "VARTA-80AH", "瓦尔塔蓄电池 80Ah AGM", "VARTA battery 80 Ah AGM", "瓦尔塔", AFTERMARKET, PIECE, "1280", 1, 2,
     "F", "bosch"),
    ("", "FENGFAN-60AH", "风帆蓄电池 60Ah", "Sail battery 60 Ah", "风帆", AFTERMARKET, PIECE, "520", 2, 4, "F", "oil"),
    ("", "CAMEL-70AH", "骆驼蓄电池 70Ah", "Camel battery 70 Ah", "骆驼", AFTERMARKET, PIECE, "560", 2, 4, "F", "oil"),
    ("", "VW-000915105-DE", "原厂蓄电池 70Ah", "OEM battery 70 Ah", "原厂", OEM, PIECE, "1380", 1, 2, "F", "vw"),
    ("", "OSRAM-H7", "欧司朗卤素灯泡 H7", "Osram halogen bulb H7", "欧司朗", AFTERMARKET, PIECE, "45", 6, 12, "F",
     "bosch"),
    ("", "OSRAM-H4", "欧司朗卤素灯泡 H4", "Osram halogen bulb H4", "欧司朗", AFTERMARKET, PIECE, "42",
     4, 8, "F", "bosch"),
    ("", "OSRAM-W5W", "欧司朗示宽灯泡 W5W", "Osram side-light bulb W5W", "欧司朗", AFTERMARKET, PIECE, "8", 10, 20,
     "F", "bosch"),
    ("", "PHILIPS-H7", "飞利浦卤素灯泡 H7", "Philips halogen bulb H7", "飞利浦", AFTERMARKET, PIECE, "48", 4, 8, "F",
     "bosch"),
    ("", "PHILIPS-P21W", "飞利浦刹车灯泡 P21W", "Philips brake-light bulb P21W", "飞利浦", AFTERMARKET, PIECE, "10",
     10, 20, "F", "bosch"),
    ("", "MICHELIN-2055516", "米其林轮胎 205/55R16", "Michelin tyre 205/55R16", "米其林", AFTERMARKET, PIECE, "680", 4,
     8, "T", "oil"),
    ("", "MICHELIN-2155517", "米其林轮胎 215/55R17", "Michelin tyre 215/55R17", "米其林", AFTERMARKET, PIECE, "820", 4,
     8, "T", "oil"),
    ("", "BRIDGESTONE-2055516", "普利司通轮胎 205/55R16", "Bridgestone tyre 205/55R16", "普利司通", AFTERMARKET, PIECE,
     "590", 4, 8, "T", "oil"),
    ("", "CONTI-2254518", "马牌轮胎 225/45R18", "Continental tyre 225/45R18", "马牌", AFTERMARKET, PIECE, "980", 2, 4,
     "T", "oil"),
    ("", "GOODYEAR-2156016", "固特异轮胎 215/60R16", "Goodyear tyre 215/60R16", "固特异", AFTERMARKET, PIECE, "620", 2,
     4, "T", "oil"),
    ("", "PIRELLI-2454518", "倍耐力轮胎 245/45R18", "Pirelli tyre 245/45R18", "倍耐力", AFTERMARKET, PIECE, "1280", 0,
     0, "T", "oil"),
    ("", "GLASURIT-SILVER", "鹦鹉漆 银色", "Glasurit paint silver", "鹦鹉", AFTERMARKET, LITRE, "580",
     2, 4, "P", "oil"),
    ("", "GLASURIT-WHITE", "鹦鹉漆 白色", "Glasurit paint white", "鹦鹉", AFTERMARKET, LITRE, "520", 2, 4, "P", "oil"),
    ("", "GLASURIT-BLACK", "鹦鹉漆 黑色", "Glasurit paint black", "鹦鹉", AFTERMARKET, LITRE, "520", 2, 4, "P", "oil"),
    ("", "GLASURIT-CLEAR", "清漆", "Clear coat", "鹦鹉", AFTERMARKET, LITRE, "260", 4, 8, "P", "oil"),
    ("", "PUTTY-KG", "原子灰", "Body filler", "3M", AFTERMARKET, KG, "45", 4, 10, "P", "oil"),
    ("", "DASHCAM-70MAI", "行车记录仪(70迈)", "Dash camera (70mai)", "70迈", ACCESSORY, PIECE, "599", 2, 4, "H", "oil"),
    ("", "VW-DASHCAM-OEM", "原厂行车记录仪", "OEM dash camera", "原厂", ACCESSORY, PIECE, "1280", 1, 2, "H", "vw"),
    ("", "3M-FILM-SET", "3M汽车隔热膜(全车)", "3M window film (whole car)", "3M", ACCESSORY, SET, "2800", 1, 2, "H",
     "oil"),
    ("", "LLUMAR-FILM-SET", "龙膜汽车隔热膜(全车)", "LLumar window film (whole car)", "龙膜", ACCESSORY, SET, "3600", 1,
     2, "H", "oil"),
    ("", "ACC-PERFUME", "车载香水", "Car perfume", "精品", ACCESSORY, PIECE, "128", 4, 10, "H", "oil"),
    ("", "ACC-SUNSHADE", "遮阳挡", "Sunshade", "精品", ACCESSORY, PIECE, "98", 4, 10, "H", "oil"),
    ("", "ACC-COVER", "车衣", "Car cover", "精品", ACCESSORY, PIECE, "580", 1, 3, "H", "oil"),
    ("", "ACC-HEADREST", "头枕", "Headrest cushions", "精品", ACCESSORY, PAIR, "198", 2, 4, "H", "oil"),
    ("", "ACC-LUMBAR", "腰靠", "Lumbar cushion", "精品", ACCESSORY, PIECE, "168", 2, 4, "H", "oil"),
    ("", "ACC-SEATCOVER", "座套(四季通用)", "Seat covers (all seasons)", "精品", ACCESSORY, SET, "880",
     1, 2, "H", "oil"),
    ("", "ACC-PHONEHOLDER", "手机支架", "Phone holder", "精品", ACCESSORY, PIECE, "88", 4, 10, "H", "oil"),
    ("", "ACC-CHARGER", "车载充电器", "Car charger", "精品", ACCESSORY, PIECE, "99", 4, 10, "H", "oil"),
    ("", "ACC-EMERGENCY", "应急工具包", "Emergency kit", "精品", ACCESSORY, SET, "268", 2, 4, "H", "oil"),
    ("", "ACC-EXTINGUISHER", "车载灭火器", "Fire extinguisher", "精品", ACCESSORY, PIECE, "120", 2, 6, "H", "oil"),
    ("", "ACC-CHILDSEAT", "儿童安全座椅", "Child safety seat", "精品", ACCESSORY, PIECE, "1980", 1, 1, "H", "oil"),
    ("", "ACC-MUDFLAPS", "挡泥板(4件)", "Mud flaps (4)", "精品", ACCESSORY, SET, "160", 2, 4, "H", "oil"),
    ("", "ACC-RAINGUARD", "晴雨挡", "Window rain guards", "精品", ACCESSORY, SET, "168", 2, 4, "H", "oil"),
]
# old key, old number suffix: an old number of a model part, superseded by the current one
SUPERSEDED = [("LY:oil_filter", "A"), ("PS:front_pads", "B")]
MATS = {"LY", "PS", "ST", "MT", "A4", "KM", "KL", "YG", "XY"}
BOOT_LINERS = {"LY", "PS", "KM", "YG"}


def _money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _part(key, number, name, name_en, brand, kind, unit, price, reorder_point, reorder_qty, zone, supplier,
          superseded_by=None) -> dict:
    price = _money(price)
    return {"key": key or number, "number": number, "name": name, "name_en": name_en, "brand": brand, "kind": kind,
            "unit": unit, "sale_price": price, "cost": _money(price * Decimal("0.62")), "zone": zone,
            "reorder_point": Decimal(reorder_point), "reorder_quantity": Decimal(reorder_qty), "supplier": supplier,
            "superseded_by": superseded_by}


def _model_parts() -> list[dict]:
    parts = []
    for model_index, (code, make, model, factor, supplier) in enumerate(MODELS):
        for serial, (key, group, zone, name, name_en, unit, price, rp, rq, equivalents) in enumerate(MODEL_PARTS):
            oem_price = Decimal(price) * Decimal(factor)
            number = (f"{code}{model_index}-{group}-{serial:02d}{model_index}" if supplier == "vw"
                      else f"{group}{model_index}0-{code}{serial:03d}")
            parts.append(_part(f"{code}:{key}", number, f"{name}({model})", f"{name_en} ({make} {model})", "原厂", OEM,
                               unit, oem_price, rp, rq, zone, supplier))
            for brand, share in equivalents:
                number = f"{BRAND_PREFIX[brand]}-{group}{model_index:02d}{serial:02d}"
                parts.append(_part(f"{code}:{key}:{brand}", number, f"{brand}{name}({model})",
                                   f"{BRAND_EN[brand]} {name_en.lower()} ({model})", brand,
                                   AFTERMARKET, unit, oem_price * Decimal(share), rp // 2, rq // 2, zone, "bosch"))
        if code in MATS:
            parts.append(_part(f"{code}:mats", f"ACC-MAT-{code}", f"全包围脚垫({model})", f"Floor mats ({model})",
                               "精品", ACCESSORY, SET, Decimal("680") * Decimal(factor), 1, 2, "H", "oil"))
        if code in BOOT_LINERS:
            parts.append(_part(f"{code}:boot", f"ACC-BOOT-{code}", f"后备箱垫({model})", f"Boot liner ({model})",
                               "精品", ACCESSORY, PIECE, Decimal("260") * Decimal(factor), 1, 2, "H", "oil"))
    return parts


def demo_parts() -> list[dict]:
    """Every demo part as a dict of Part fields plus `key`, `zone`, `supplier` (a SUPPLIERS key) and
    `superseded_by` (another part's key or None); bins are given per zone in the order of the list."""
    parts = _model_parts() + [_part(*row) for row in COMMON_PARTS]
    by_key = {part["key"]: part for part in parts}
    for key, suffix in SUPERSEDED:
        current = by_key[key]
        parts.append({**current, "key": f"{key}:old", "number": current["number"][:-1] + suffix,
                      "name": current["name"] + "(旧号)", "reorder_point": Decimal(0),
                      "reorder_quantity": Decimal(0), "superseded_by": key})
    slots: dict[str, int] = {}
    for part in parts:
        slot = slots[part["zone"]] = slots.get(part["zone"], 0) + 1
        part["bin_location"] = f"{part['zone']}-{(slot - 1) // 12 + 1:02d}-{(slot - 1) % 12 + 1:02d}"
    return parts
