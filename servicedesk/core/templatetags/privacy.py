"""{% load privacy %}: {{ customer.mobile|mobile:request }} masks a mobile for a role that does not call
customers; {% if request|sees_prices %} hides prices from technicians (servicedesk.core.masking)."""

from django import template

from servicedesk.core import masking

register = template.Library()


@register.filter
def mobile(value, request):
    return masking.mobile_for(request, value or "")


@register.filter
def sees_prices(request) -> bool:
    return request is None or masking.sees_prices(request)
