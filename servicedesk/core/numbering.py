"""Gapless numbers: the counter row is locked and bumped inside the caller's transaction, so a
rolled-back RO or invoice gives its number back and no two callers get the same one."""

from django.db import IntegrityError, transaction

from .models import NumberSequence


def next_number(*, site, kind: str, year: int) -> str:
    """E.g. next_number(site=sh01, kind="RO", year=2026) -> "SH01-2026-000123". Needs an atomic block."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the transaction that uses the number")
    sequence = _locked_sequence(site=site, kind=kind, year=year)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    prefix = f"{site.code}-" if kind == "RO" else f"{site.code}-{kind}-"
    return f"{prefix}{year}-{sequence.last_value:06d}"


def _locked_sequence(*, site, kind: str, year: int) -> NumberSequence:
    queryset = NumberSequence.objects.select_for_update()
    try:
        return queryset.get(site=site, kind=kind, year=year)
    except NumberSequence.DoesNotExist:
        try:
            with transaction.atomic():
                NumberSequence.objects.create(site=site, kind=kind, year=year)
        except IntegrityError:
            pass  # created by a concurrent caller a moment ago
        return queryset.get(site=site, kind=kind, year=year)
