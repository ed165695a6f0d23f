"""What the simulated browsers read off the product's pages (the CSRF token, links and forms, the dispatch board's
version, a refusal message). Kept apart from the locustfile, which imports locust (and so gevent's patching), so
that the tests can check these against the real pages."""

import re

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# A red message of partials/messages.html (ERROR is "danger" in MESSAGE_TAGS), not a form's own error box.
REFUSED = re.compile(r'class="alert alert-danger alert-dismissible')
RO_LINK = re.compile(r'href="/repair-orders/(\d+)/"')
CUSTOMER_LINK = re.compile(r'href="/customers/(\d+)/"')
CLAIM_FORM = re.compile(r'action="/followups/calls/(\d+)/claim/"')
BOARD_VERSION = re.compile(r'id="dispatch-board"[^>]*?data-version="([^"]*)"', re.S)
JOB_FORM = re.compile(r'action="/workshop/my-jobs/(\d+)/(start|pause)/"')


def first(pattern: re.Pattern, html: str) -> str:
    found = pattern.search(html)
    return found.group(1) if found else ""


def refused(html: str) -> bool:
    return bool(REFUSED.search(html))
