from decimal import ROUND_HALF_UP, Decimal

ONE_PLACE = Decimal("0.1")


def ratio(part, whole) -> Decimal | None:
    """part ÷ whole as a fraction with four places, or None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def percent(value: Decimal | None) -> Decimal | None:
    return None if value is None else (value * 100).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def one_place(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def median(values: list):
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
