from decimal import Decimal

from django import template

from ..quantities import format_quantity

register = template.Library()


@register.filter
def qty(value) -> str:
    """A quantity without trailing zeros: 2, 1.5, -3."""
    return "" if value is None or value == "" else format_quantity(Decimal(value))


@register.filter
def signed_qty(value) -> str:
    text = qty(value)
    return f"+{text}" if text and Decimal(value) > 0 else text


@register.filter
def staff_name(user) -> str:
    """The display name of a member of staff (select_related their profile to keep this free)."""
    if user is None:
        return ""
    profile = getattr(user, "profile", None)
    return getattr(profile, "display_name", "") or user.get_username()
