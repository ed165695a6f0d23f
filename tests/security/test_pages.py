"""Every page the project renders, walked from the URL configuration as the manager (or the role the access
table lets in): a Content-Security-Policy header, no inline script or on*= handler, and a CSRF token in
every form that posts."""

from html.parser import HTMLParser

import pytest

from servicedesk.accounts.roles import SERVICE_MANAGER
from tests.factories import make_staff
from tests.security.access_table import ACCESS, PUBLIC, STAFF
from tests.security.site_objects import SITE_OBJECTS, object_for
from tests.security.walk import named_patterns, url_for

pytestmark = pytest.mark.django_db


class _PageCheck(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems, self._form, self._script_inline = [], None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        handlers = [name for name in attrs if name.startswith("on") or name.startswith("hx-on")]
        if handlers:
            self.problems.append(f"<{tag}> has {handlers}")
        if tag == "script":
            self._script_inline = "src" not in attrs and attrs.get("type") != "application/json"
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action"), "token": False}
        if tag == "input" and self._form is not None and attrs.get("name") == "csrfmiddlewaretoken":
            self._form["token"] = True

    def handle_data(self, data):
        if self._script_inline and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_inline = False
        if tag == "form" and self._form is not None:
            if not self._form["token"]:
                self.problems.append(f"<form method=post action={self._form['action']}> has no CSRF token")
            self._form = None


def _pages(site):
    """(url name, address, role) of every page without a login or with one the access table lets in."""
    objects = {}
    for name, pattern in named_patterns().items():
        allowed = ACCESS.get(name, STAFF)
        role = None if allowed == PUBLIC else SERVICE_MANAGER if SERVICE_MANAGER in allowed else sorted(allowed)[0]
        kind = SITE_OBJECTS.get(name)
        if kind is not None and kind not in objects:
            objects[kind] = object_for(kind, site)
        yield name, url_for(name, pattern, objects.get(kind)), role


def test_every_page_has_a_csp_no_inline_script_and_csrf_in_its_forms(client, site):
    users, problems, checked = {}, {}, 0
    for name, url, role in _pages(site):
        client.logout()
        if role is not None:
            if role not in users:
                users[role] = make_staff(role=role, sites=[site], username=f"pages_{role}")
            client.force_login(users[role])
        response = client.get(url)
        if response.streaming or "text/html" not in response.get("Content-Type", ""):
            continue
        checked += 1
        policy = response.get("Content-Security-Policy", "")
        script_src = next((part for part in policy.split(";") if part.strip().startswith("script-src")), "")
        if "'self'" not in script_src or "unsafe" in script_src:
            problems[name] = [f"Content-Security-Policy: {policy!r}"]
        parser = _PageCheck()
        parser.feed(response.content.decode(errors="replace"))
        if parser.problems:
            problems.setdefault(name, []).extend(parser.problems)
    assert checked > 60
    assert not problems, problems
