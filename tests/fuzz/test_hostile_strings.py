"""Hostile strings in every free-text input and every search or filter of every screen, the inputs read
from the rendered pages (tests/fuzz/pages.py): never a 500 and HTML always rendered escaped. A NUL byte
that got past a form would be a 500 on PostgreSQL, which refuses it in text (CI runs these there)."""

import pytest

from . import pages
from .strategies import HOSTILE_STRINGS

pytestmark = pytest.mark.django_db

RAW_SCRIPT = HOSTILE_STRINGS["html"].encode()
GET_VALUES = [HOSTILE_STRINGS[key] for key in ("nul", "emoji", "rtl", "html", "sql", "like", "template")] + [
    "²", "-1", "9" * 40, "x" * 10_000]
POST_VALUES = [HOSTILE_STRINGS[key] for key in ("html", "nul", "one_mb", "emoji", "sql")]


@pytest.fixture
def screens(site, manager_client):
    """(url, view, page html) of every screen the manager opens; the site's objects built for them."""
    found = []
    for _name, url, view in pages.screens(site):
        response = manager_client.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            found.append((url, view, response.content.decode()))
    return found


def test_hostile_input_never_breaks_a_screen(manager_client, screens):
    """One test for both sweeps: building the objects and opening every screen once is the slow part."""
    searches_and_filters_survive(manager_client, screens)
    free_text_is_stored_safely_or_refused(manager_client, screens)


def searches_and_filters_survive(manager_client, screens):
    for url, view, html in screens:
        params = {p for form in pages.forms_of(html) if form.method == "get" for p in form.fields}
        params |= pages.get_params_of(view) | {"page"}
        for value in GET_VALUES:
            response = manager_client.get(url, {param: value for param in params})
            assert response.status_code < 500, (url, value[:20])
            assert RAW_SCRIPT not in response.content, (url, "rendered unescaped")


def free_text_is_stored_safely_or_refused(manager_client, screens):
    for url, _view, html in screens:
        if not any(form.method == "post" and form.text for form in pages.forms_of(html)):
            continue
        for value in POST_VALUES:
            # the page again for each value: a saved post moves the RO's version the forms carry
            page = manager_client.get(url).content.decode()
            for form in (f for f in pages.forms_of(page) if f.method == "post" and f.text):
                data = {**form.fields, **dict.fromkeys(form.text, value)}
                response = manager_client.post(form.action or url, data, follow=True)
                assert response.status_code < 500, (form.action, value[:20])
                assert RAW_SCRIPT not in response.content, (form.action, "rendered unescaped")
