"""Drop everything the bench sites own (the sites, their staff and memberships stay), whatever wrote it: the
generator, the benchmarks or the scans. Every model with a site, and every model pointing at those rows,
found from the models themselves; TRUNCATE when the database holds nothing but bench sites, else DELETE."""

from django.apps import apps
from django.db import connection, transaction

from servicedesk.accounts.models import Membership, Site, StaffProfile

from . import SITE_CODES
from .copyload import fast_session

KEEP = {Site, Membership, StaffProfile}


def owned_models() -> dict:
    """model -> how its rows are chosen: ("site", column) or ("parent", column, parent model). Only models whose
    table exists (another app's migration may not have run on this database yet)."""
    tables = set(connection.introspection.table_names())
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in tables and not m._meta.proxy]
    chosen: dict = {}
    for model in models:
        for f in model._meta.concrete_fields:
            if model not in KEEP and f.is_relation and f.related_model is Site:
                chosen[model] = ("site", f.column)
                break
    grew = True
    while grew:
        grew = False
        for model in models:
            if model in chosen or model in KEEP:
                continue
            for f in model._meta.concrete_fields:
                if f.is_relation and f.related_model in chosen and f.related_model is not model:
                    chosen[model] = ("parent", f.column, f.related_model)
                    grew = True
                    break
    return chosen


def where(model, chosen: dict) -> str:
    rule = chosen[model]
    if rule[0] == "site":
        return f'"{rule[1]}" IN (SELECT id FROM accounts_site WHERE code IN %(codes)s)'
    parent = rule[2]
    return f'"{rule[1]}" IN (SELECT id FROM "{parent._meta.db_table}" WHERE {where(parent, chosen)})'


def drop(progress=print) -> None:
    chosen = owned_models()
    codes = tuple(SITE_CODES)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            fast_session(cursor)
            cursor.execute("SELECT count(*) FROM accounts_site WHERE code NOT IN %s", [codes])
            if cursor.fetchone()[0] == 0:
                tables = ", ".join(f'"{m._meta.db_table}"' for m in chosen)
                cursor.execute(f"TRUNCATE {tables}")
                progress(f"truncated {len(chosen)} tables (no other sites in this database)")
                return
            for model in _children_first(chosen):
                cursor.execute(f'DELETE FROM "{model._meta.db_table}" WHERE {where(model, chosen)}',
                               {"codes": codes})
                if cursor.rowcount:
                    progress(f"  {model._meta.db_table}: {cursor.rowcount:,} rows deleted")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET session_replication_role; RESET synchronous_commit")


def _children_first(chosen: dict) -> list:
    """Models pointing at others come before them, so each DELETE leaves no row pointing at a deleted one."""
    order, seen = [], set()

    def visit(model):
        if model in seen:
            return
        seen.add(model)
        for other in chosen:
            if other is not model and any(f.is_relation and f.related_model is model
                                          for f in other._meta.concrete_fields):
                visit(other)
        order.append(model)

    for model in chosen:
        visit(model)
    return order
