"""Money is Decimal with two places, rounded half-up; computed on the server only."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def money(value) -> Decimal:
    return Decimal(str(value) if isinstance(value, float) else value).quantize(CENT, rounding=ROUND_HALF_UP)


def split_gross(gross, vat_rate) -> tuple[Decimal, Decimal]:
    """(net, vat) of a tax-inclusive amount; net + vat == gross always."""
    gross = money(gross)
    net = money(gross / (Decimal(1) + Decimal(vat_rate)))
    return net, gross - net


def add_vat(net, vat_rate) -> tuple[Decimal, Decimal]:
    """(vat, gross) of a tax-exclusive amount; net + vat == gross always."""
    net = money(net)
    vat = money(net * Decimal(vat_rate))
    return vat, net + vat
