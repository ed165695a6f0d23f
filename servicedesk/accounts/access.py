"""What a signed-in user may do and where, kept in the cache between requests.

Every staff page needs the user's permissions, roles and sites: four queries (~3 ms with their joins on
PostgreSQL) before the page does any work of its own. They are read once and kept, per user, under a
stamp that any change to who may do what renews: the user's groups or permissions, a group's permissions,
a site, a membership, a staff profile. The stamp is renewed by signals, a departure from DESIGN.md's "no
signals" made for cache coherence only: these rows are written by the Django admin and the role sync,
which call no service of ours. A writer that bypasses signals (bulk_create, QuerySet.update, raw SQL) on
those tables calls `access_changed()`; entries also expire after ACCESS_TTL seconds. Whether the user is
active or a superuser is read from the user's row on every request, never from here.
"""

from dataclasses import dataclass
from uuid import uuid4

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import Membership, Site, StaffProfile

STAMP_KEY = "access:stamp"
ACCESS_TTL = 300


@dataclass(frozen=True)
class Access:
    stamp: str
    permissions: frozenset[str]
    group_names: tuple[str, ...]
    sites: tuple[Site, ...]
    default_site_id: int | None
    display_name: str


def _renew_stamp() -> None:
    cache.set(STAMP_KEY, uuid4().hex, None)


def access_changed(**_signal) -> None:
    """Renew the stamp: every user's access is read again on their next request. Now, for what this
    transaction reads next, and again after the commit: a request in between may have read the rows as they
    were before and kept them under the first new stamp."""
    _renew_stamp()
    transaction.on_commit(_renew_stamp)


def _user_key(user) -> str:
    return f"access:user:{user.pk}:{int(user.is_superuser)}"


def _read(user, stamp: str) -> Access:
    """Five queries: user and group permissions, groups, sites, the staff profile."""
    for name in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, name):
            delattr(user, name)  # ModelBackend's per-instance caches: computed afresh here
    permissions = frozenset(ModelBackend().get_all_permissions(user))
    group_names = tuple(sorted(user.groups.values_list("name", flat=True)))
    profile = StaffProfile.objects.filter(user=user).values("default_site_id", "display_name").first() or {}
    if user.is_superuser:
        sites, default_id = tuple(Site.objects.all()), None
    else:
        sites = tuple(Site.objects.filter(membership__profile__user=user).order_by("code"))
        default_id = profile.get("default_site_id")
    return Access(stamp, permissions, group_names, sites, default_id, profile.get("display_name") or "")


def access_of(user) -> Access:
    """The user's access, from the request's user object, the cache (one round trip) or the database."""
    found = getattr(user, "_access", None)
    if found is not None:
        return found
    key = _user_key(user)
    cached = cache.get_many([STAMP_KEY, key])
    stamp = cached.get(STAMP_KEY)
    if stamp is None:
        stamp = uuid4().hex
        cache.add(STAMP_KEY, stamp, None)
        stamp = cache.get(STAMP_KEY) or stamp  # another process may have set it first
    found = cached.get(key)
    if found is None or found.stamp != stamp:
        found = _read(user, stamp)
        cache.set(key, found, ACCESS_TTL)
    user._access = found
    return found


_USER_QUERY = None


def _user_by_id(user_id):
    """The user row in one precompiled statement: compiling the ORM's query cost as much as running it, on
    every signed-in request."""
    global _USER_QUERY
    model = get_user_model()
    if _USER_QUERY is None:
        fields, quote = model._meta.concrete_fields, connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        sql = f"SELECT {columns} FROM {table} WHERE {pk} = %s"  # nosec B608 # names from model metadata only
        _USER_QUERY = ([field.attname for field in fields], sql)
    names, sql = _USER_QUERY
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    return None if row is None else model.from_db(connection.alias, names, row)


class CachedModelBackend(ModelBackend):
    """ModelBackend whose permission set comes from `access_of` (inactive users still have none), and whose
    user of the request is read without the ORM's query compilation."""

    def get_user(self, user_id):
        user = _user_by_id(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = set(access_of(user_obj).permissions)
        return user_obj._perm_cache


def connect_access_signals() -> None:
    user_model = get_user_model()
    for through in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(access_changed, sender=through, dispatch_uid=f"access:{through.__name__}")
    for model in (Group, Permission, Site, Membership, StaffProfile):
        for signal in (post_save, post_delete):
            signal.connect(access_changed, sender=model, dispatch_uid=f"access:{signal}:{model.__name__}")
