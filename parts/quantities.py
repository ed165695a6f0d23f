"""Quantity input for the stock services: one place decides what a valid quantity is."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from servicedesk.core.errors import ApplicationError

# The ledger's columns are DECIMAL(12, 2).
PLACES = 2
LIMIT = Decimal(10) ** (12 - PLACES)


def _refuse(message: str) -> ApplicationError:
    return ApplicationError(message, code="invalid_quantity", field="quantity")


def clean_quantity(part, value, *, allow_negative: bool = False) -> Decimal:
    """Return `value` as a Decimal, refusing zero, negatives (unless allowed) and fractions of whole units."""
    try:
        quantity = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise _refuse(_("Enter the quantity as a number, e.g. 2 or 1.5.")) from None
    if not quantity.is_finite():
        raise _refuse(_("Enter the quantity as a number, e.g. 2 or 1.5."))
    if quantity == 0:
        raise _refuse(_("The quantity can't be zero."))
    if quantity < 0 and not allow_negative:
        raise _refuse(_("The quantity must be more than zero."))
    if abs(quantity) >= LIMIT:
        raise _refuse(_("This quantity is too large."))
    if part.counted_in_whole_units and quantity != quantity.to_integral_value():
        raise _refuse(_("%(number)s is counted in whole units (%(unit)s): enter a whole number.")
                      % {"number": part.number, "unit": part.get_unit_display()})
    if quantity != quantity.quantize(Decimal(1).scaleb(-PLACES)):
        raise _refuse(_("Enter at most two decimal places."))
    return quantity.quantize(Decimal(1).scaleb(-PLACES))


def format_quantity(value: Decimal) -> str:
    """2.00 → "2", 1.50 → "1.5": how a quantity reads in a message."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
