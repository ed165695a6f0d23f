"""Who sees customers' mobiles and prices in full (issue 11, "Access").

Roles that call customers see mobiles; the others (foreman, QC, parts) see them masked, 138****5678.
Technicians see mobiles and prices only where the site allows it (workshop.WorkshopSettings); a user who
also holds another role sees what that role sees. The answers are kept on the request: one query at most.
"""

from servicedesk.accounts.roles import ADVISOR, CASHIER, CUSTOMER_CARE, SERVICE_MANAGER, TECHNICIAN, roles_of

CALLER_ROLES = frozenset({ADVISOR, CUSTOMER_CARE, SERVICE_MANAGER, CASHIER})


def mask_mobile(mobile: str) -> str:
    """Keep the first three and last four digits (enough to recognise a number, not to call it)."""
    if not mobile:
        return mobile
    if len(mobile) <= 7:
        return "*" * (len(mobile) - 2) + mobile[-2:]
    return mobile[:3] + "*" * (len(mobile) - 7) + mobile[-4:]


def _site_rules(request):
    rules = getattr(request, "_workshop_rules", None)
    if rules is None:
        from workshop.rules import workshop_settings  # core must not import the apps at load time

        context = getattr(request, "site_context", None)
        site = context.site if context is not None else None
        rules = request._workshop_rules = workshop_settings(site) if site is not None else None
    return rules


def sees_mobiles(request) -> bool:
    roles = set(roles_of(request.user))
    if roles & CALLER_ROLES:
        return True
    if TECHNICIAN in roles:
        rules = _site_rules(request)
        return bool(rules and rules.technicians_see_mobiles)
    return False


def sees_prices(request) -> bool:
    roles = set(roles_of(request.user))
    if roles - {TECHNICIAN}:
        return True
    rules = _site_rules(request)
    return bool(rules and rules.technicians_see_prices)


def mobile_for(request, mobile: str) -> str:
    return mobile if request is None or sees_mobiles(request) else mask_mobile(mobile)


class MaskedMobilesMixin:
    """For an API serializer: its `masked_fields` go out masked to a role that does not see mobiles."""

    masked_fields: tuple[str, ...] = ("mobile",)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not sees_mobiles(request):
            for key in self.masked_fields:
                if data.get(key):
                    data[key] = mask_mobile(data[key])
        return data


class HiddenPricesMixin:
    """For an API serializer: its `price_fields` go out as null to a technician the site keeps from prices (the
    schema declares them nullable: see `nullable_prices`)."""

    price_fields: tuple[str, ...] = ()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not sees_prices(request):
            for key in self.price_fields:
                if key in data:
                    data[key] = None
        return data


def nullable_prices(price_fields) -> dict:
    """A ModelSerializer's `extra_kwargs` that let its price fields be null in the schema."""
    return {name: {"allow_null": True} for name in price_fields}
