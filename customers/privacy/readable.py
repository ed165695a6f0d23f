"""The export as a page a person can read: a titled section per kind of record, a small table per record."""

from django.utils.translation import gettext_lazy as _

SECTION_TITLES = {
    "customer": _("Customer"), "merged_duplicates": _("Duplicates merged into this customer"),
    "vehicles": _("Vehicles"), "ownerships": _("Ownerships"), "consent_records": _("Marketing consent"),
    "contact_log": _("Contact log"), "archive_events": _("Archive history"), "messages": _("Messages sent"),
    "appointments": _("Appointments"), "repair_orders": _("Repair orders"), "invoices": _("Invoices"),
    "accounts": _("Customer accounts"), "callbacks": _("Callbacks"), "surveys": _("Surveys"),
    "complaints": _("Complaints"), "comebacks": _("Comebacks"), "history": _("Change history"),
    "reminders": _("Reminders"),
}


def _text(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, list):  # nested records: one line each
        return "\n".join(" · ".join(_text(v) for v in item.values() if not isinstance(v, list))
                         if isinstance(item, dict) else _text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def readable(data: dict) -> list[dict]:
    sections = []
    for key, value in data.items():
        records = value if isinstance(value, list) else [value]
        sections.append({"title": SECTION_TITLES.get(key, key), "key": key,
                         "records": [[(field, _text(v)) for field, v in record.items() if _text(v)]
                                     for record in records]})
    return sections
