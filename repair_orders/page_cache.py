"""The RO page served again from the cache while nothing it shows has changed.

The page of a 20-job RO costs ~25 ms of queries and template; advisors and foremen open the same RO again and
again between changes. Its HTML is kept under a key made of who looks (user, their access stamp, language,
site, URL) and a fingerprint of every row the page shows, read in one query: the version of each row
(PostgreSQL's `xmin` and `ctid`: the transaction that last wrote it, and where) of the RO, its parties,
jobs, operations, parts lines with their parts, reservations and shortages, signatures, events, the staff the
page names, the site's packages and settings.
Any write to any of them, by any path (service, admin, bulk update, raw SQL), gives that row a new version and
the page a new key: there is nothing to invalidate and nothing a new writer can forget. The models covered
are listed in SHOWN; tests/repair_orders/test_page_cache.py fails when the page reads a table not in it.

The CSRF token is put in after the cache; a page with messages to show is never cached. SQLite has no row
versions: there the page is rendered every time.
"""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from customers.models import Customer, Vehicle
from parts.models import Part, Reservation, Shortage
from servicedesk.accounts.access import access_of
from servicedesk.accounts.models import Site, StaffProfile

from .models import JobLine, LabourOperation, PartLine, RepairOrder, RepairOrderEvent, ServicePackage, Signature

PAGE_TTL = 600
# A row's version: the transaction that wrote it and where; an UPDATE always writes a new tuple elsewhere, so
# even two writes in one transaction (as in a test) give the row a new version.
X = "xmin::text || ctid::text AS x"
TOKEN_SLOT = "csrf-token-slot-0f3a9c"  # nosec B105 # what {% csrf_token %} writes into the cache
WorkshopSettings = Site._meta.get_field("workshop_settings").related_model  # repair_orders does not import workshop
SHOWN = (RepairOrder, Customer, Vehicle, get_user_model(), StaffProfile, JobLine, LabourOperation, PartLine, Part,
         Reservation, Shortage, Signature, RepairOrderEvent, ServicePackage, Site, WorkshopSettings)


# Each row the page shows as (tag, id, version). Its {placeholders} are table names from model metadata and
# the version expression; $1, $2, $3 the RO, the site and the viewer.
FINGERPRINT_SQL = """
WITH ro AS (SELECT id, {X}, state, comeback_of_id, customer_id, vehicle_id, advisor_id
            FROM {RepairOrder} WHERE id = $1 AND site_id = $2),
jobs AS (SELECT id, {X}, operation_id, technician_id FROM {JobLine} WHERE repair_order_id = $1),
lines AS (SELECT id, {X}, part_id, reservation_id, shortage_id FROM {PartLine}
          WHERE job_line_id IN (SELECT id FROM jobs)),
events AS (SELECT id, {X}, actor_id FROM {RepairOrderEvent} WHERE repair_order_id = $1),
staff AS (SELECT advisor_id AS id FROM ro UNION SELECT technician_id FROM jobs UNION SELECT actor_id FROM events
          UNION SELECT $3),
shown AS (
            SELECT 'ro' AS tag, id, x FROM ro
  UNION ALL SELECT 'comeback', id, {X} FROM {RepairOrder} WHERE id = (SELECT comeback_of_id FROM ro)
  UNION ALL SELECT 'customer', id, {X} FROM {Customer} WHERE id = (SELECT customer_id FROM ro)
  UNION ALL SELECT 'vehicle', id, {X} FROM {Vehicle} WHERE id = (SELECT vehicle_id FROM ro)
  UNION ALL SELECT 'job', id, x FROM jobs
  UNION ALL SELECT 'operation', id, {X} FROM {LabourOperation} WHERE id IN (SELECT operation_id FROM jobs)
  UNION ALL SELECT 'line', id, x FROM lines
  UNION ALL SELECT 'part', id, {X} FROM {Part} WHERE id IN (SELECT part_id FROM lines)
  UNION ALL SELECT 'reservation', id, {X} FROM {Reservation} WHERE id IN (SELECT reservation_id FROM lines)
  UNION ALL SELECT 'shortage', id, {X} FROM {Shortage} WHERE id IN (SELECT shortage_id FROM lines)
  UNION ALL SELECT 'signature', id, {X} FROM {Signature} WHERE repair_order_id = $1
  UNION ALL SELECT 'event', id, x FROM events
  UNION ALL SELECT 'user', id, {X} FROM {User} WHERE id IN (SELECT id FROM staff)
  UNION ALL SELECT 'profile', id, {X} FROM {StaffProfile} WHERE user_id IN (SELECT id FROM staff)
  UNION ALL SELECT 'package', id, {X} FROM {ServicePackage} WHERE site_id = $2
  UNION ALL SELECT 'site', id, {X} FROM {Site} WHERE id = $2
  UNION ALL SELECT 'settings', id, {X} FROM {WorkshopSettings} WHERE site_id = $2)
SELECT (SELECT state FROM ro), md5(string_agg(tag || ':' || id || ':' || x, ',')) FROM shown
"""
# No ORDER BY in the digest (sorting was a fifth of the query): the rows come in the plan's order, and should
# that order ever change, the page is only rendered once more. A different set of rows can never give the same
# string, as each row is written out whole between separators.


def _fingerprint_sql() -> str:
    tables = {model.__name__: connection.ops.quote_name(model._meta.db_table) for model in SHOWN}
    return FINGERPRINT_SQL.format(X=X, **tables)  # nosec B608 # table names and X only


def fingerprint(*, site, pk: int, viewer_id: int) -> tuple[str, str] | None:
    """(the RO's state, the digest of the tag, id and version of every row its page shows); None for no RO of
    the site, or on SQLite. A statement prepared once per database connection: planning it took as long as
    running it."""
    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    with connection.cursor() as cursor:
        if getattr(connection, "_ro_page_prepared_on", None) is not connection.connection:
            cursor.execute("PREPARE ro_page_fingerprint(bigint, bigint, bigint) AS " + _fingerprint_sql())
            connection._ro_page_prepared_on = connection.connection
        cursor.execute("EXECUTE ro_page_fingerprint(%s, %s, %s)", [pk, site.pk, viewer_id])
        state, digest = cursor.fetchone()
    return None if state is None else (state, digest)


def page_key(request, *, site, pk: int, digest: str) -> str:
    """Everything besides the rows that changes the HTML: who looks, in which language, where, at which URL;
    hashed, as a long key costs its length in the cache's character checks."""
    who = f"{request.user.pk}:{access_of(request.user).stamp}:{get_language()}:{site.pk}:{int(bool(request.htmx))}"
    whole = f"{pk}:{who}:{request.get_full_path()}:{digest}"
    return "ro-page:" + hashlib.md5(whole.encode(), usedforsecurity=False).hexdigest()


def cacheable(request) -> bool:
    return settings.RO_PAGE_CACHE and request.method == "GET" and len(messages.get_messages(request)) == 0


def serve(request, key: str, render) -> HttpResponse:
    """The cached page under `key`, else `render(token_slot)` stored there; either with this request's token.
    Only a 200 page is kept."""
    pages = caches["pages"]
    html = pages.get(key)
    if html is None:
        response = render(TOKEN_SLOT)
        if response.status_code != 200:
            return response
        html = response.content.decode()
        pages.set(key, html, PAGE_TTL)
    return HttpResponse(html.replace(TOKEN_SLOT, get_token(request)))
