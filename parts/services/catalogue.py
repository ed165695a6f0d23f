"""The parts catalogue: creating, editing and superseding part numbers."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from servicedesk.core.errors import ApplicationError

from ..models import Part, Supplier
from ..selectors import number_key, number_key_expression

PART_FIELDS = [
    "number", "name", "name_en", "brand", "kind", "unit", "sale_price", "cost", "vat_class", "bin_location",
    "reorder_point", "reorder_quantity", "supplier", "active",
]
# A supersession chain longer than this is certainly a data error rather than a maker's history.
MAX_CHAIN = 50


def _clean_part_data(*, site, data: dict, part: Part | None = None) -> dict:
    cleaned = {k: v for k, v in data.items() if k in PART_FIELDS}
    if "number" in cleaned or part is None:
        # One spelling per number: capitals, single spaces (makers print "06A 115 561 B" or "06A-115-561B").
        cleaned["number"] = " ".join(str(cleaned.get("number") or "").split()).upper()
        if not number_key(cleaned["number"]):
            raise ApplicationError(_("Please enter the part number."), field="number", code="required")
        _refuse_duplicate_number(site=site, number=cleaned["number"], exclude=part)
    if "name" in cleaned or part is None:
        cleaned["name"] = str(cleaned.get("name") or "").strip()
        if not cleaned["name"]:
            raise ApplicationError(_("Please enter the part's name."), field="name", code="required")
    for field in ("name_en", "brand", "bin_location"):
        if field in cleaned:
            cleaned[field] = str(cleaned[field] or "").strip()
    for field, choices in (("kind", Part.Kind), ("unit", Part.Unit), ("vat_class", Part.VatClass)):
        if field in cleaned and cleaned[field] not in choices.values:
            raise ApplicationError(_("Choose one of: %(choices)s.") % {"choices": ", ".join(map(str, choices.labels))},
                                   field=field, code="invalid_choice")
    supplier = cleaned.get("supplier")
    if supplier is not None and (not isinstance(supplier, Supplier) or supplier.site_id != site.pk):
        raise ApplicationError(_("Choose a supplier of this site."), field="supplier", code="other_site")
    for field in ("sale_price", "cost", "reorder_point", "reorder_quantity"):
        if field in cleaned and cleaned[field] is not None and cleaned[field] < 0:
            raise ApplicationError(_("This can't be negative."), field=field, code="negative")
    return cleaned


def _refuse_duplicate_number(*, site, number: str, exclude: Part | None) -> None:
    """Numbers that differ only in spaces, dashes or case are the same number."""
    existing = (Part.objects.filter(site=site).alias(key=number_key_expression())
                .filter(key=number_key(number)).exclude(pk=getattr(exclude, "pk", None)).first())
    if existing is not None:
        raise _duplicate(existing)


def _duplicate(existing: Part) -> ApplicationError:
    return ApplicationError(
        _("Part number %(number)s is already in the catalogue (%(name)s).")
        % {"number": existing.number, "name": existing.name},
        field="number", code="duplicate", extra={"duplicate_id": existing.pk},
    )


def _save_guarding_number(part: Part) -> None:
    """The unique constraint catches a concurrent create of the same number the check above missed."""
    try:
        with transaction.atomic():
            part.save()
    except IntegrityError:
        existing = Part.objects.filter(site_id=part.site_id, number=part.number).first()
        if existing is None:
            raise
        raise _duplicate(existing) from None


@transaction.atomic
def part_create(*, site, data: dict, actor) -> Part:
    """Create a part in the site's catalogue; a number already there → ApplicationError(code="duplicate")."""
    part = Part(site=site, **_clean_part_data(site=site, data=data))
    part._history_user = actor
    _save_guarding_number(part)
    return part


@transaction.atomic
def part_update(*, part: Part, data: dict, actor) -> Part:
    """Change catalogue fields (not on_hand/reserved, which only the ledger moves)."""
    locked = Part.objects.select_for_update().get(pk=part.pk)
    for field, value in _clean_part_data(site=locked.site, data=data, part=locked).items():
        setattr(locked, field, value)
    locked._history_user = actor
    _save_guarding_number(locked)
    return locked


@transaction.atomic
def part_supersede(*, part: Part, superseded_by: Part | None, actor) -> Part:
    """Mark `part` as replaced by `superseded_by` (None clears it); cycles → code="supersession_cycle"."""
    locked = Part.objects.select_for_update().get(pk=part.pk)
    if superseded_by is not None:
        if superseded_by.site_id != locked.site_id:
            raise ApplicationError(_("The replacement must be a part of the same site."),
                                   field="superseded_by", code="other_site")
        chain = _chain_from(superseded_by)
        if locked.pk in {p.pk for p in chain}:
            raise ApplicationError(
                _("%(new)s is already replaced by %(old)s, directly or through other numbers: "
                  "superseding %(old)s by %(new)s would make a loop.")
                % {"old": locked.number, "new": superseded_by.number},
                field="superseded_by", code="supersession_cycle",
            )
    locked.superseded_by = part.superseded_by = superseded_by
    locked._history_user = actor
    locked.save(update_fields=["superseded_by", "updated_at"])
    return locked


def _chain_from(part: Part) -> list[Part]:
    """`part` and every part it is superseded by, in order, as stored now (one query per link; chains are
    short)."""
    part = Part.objects.get(pk=part.pk)
    chain, seen = [part], {part.pk}
    while chain[-1].superseded_by_id is not None and len(chain) < MAX_CHAIN:
        following = Part.objects.get(pk=chain[-1].superseded_by_id)
        if following.pk in seen:  # a loop written around the services; stop rather than spin
            break
        chain.append(following)
        seen.add(following.pk)
    return chain


def part_final_replacement(part: Part) -> Part:
    """Follow superseded_by to the part that is current now."""
    return _chain_from(part)[-1]


