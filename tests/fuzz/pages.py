"""The screens' inputs, read from the pages themselves rather than listed by hand: every named URL of the
project (site objects filled in as the permission harness builds them), its POST forms with their text
inputs, and its GET forms' parameters plus those the view's module reads from request.GET."""

import inspect
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.urls import reverse

from tests.security.access_table import ACCESS, PUBLIC
from tests.security.site_objects import SITE_OBJECTS, object_for
from tests.test_permission_harness import _kwarg_names, named_patterns

NOT_SCREENS = {"logout", "switch_site", "set_language"}  # they would end the session or change its language
TEXT_TYPES = {"text", "search", "tel", "email", "url", ""}
GET_PARAM_IN_SOURCE = re.compile(r"""(?:request\.GET|query_params|query)(?:\.get\(|\[)\s*["']([a-z_]+)["']""")


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)  # every named input with its value as rendered
    text: list[str] = field(default_factory=list)  # the free-text ones: text inputs and textareas


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(Form(action=attrs.get("action", ""), method=attrs.get("method", "get").lower()))
            return
        if not self.forms or not attrs.get("name"):
            return
        form, name = self.forms[-1], attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                form.fields.setdefault(name, "")
                return
            if kind not in ("submit", "button", "file", "image"):
                form.fields[name] = attrs.get("value", "")
            if kind in TEXT_TYPES:
                form.text.append(name)
        elif tag == "textarea":
            form.fields[name] = ""
            form.text.append(name)
            self._textarea = name
        elif tag == "select":
            form.fields.setdefault(name, "")

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def forms_of(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def get_params_of(view) -> set[str]:
    """The query parameters a view's module reads (request.GET.get("q"), query_params["status"], ...)."""
    try:
        source = inspect.getsource(inspect.getmodule(inspect.unwrap(view)))
    except (TypeError, OSError):
        return set()
    return set(GET_PARAM_IN_SOURCE.findall(source))


def screens(site) -> list[tuple[str, str, object]]:
    """(url name, url, view) of every HTML screen a signed-in user reaches by GET: no API, no public page,
    objects of `site` built for the URLs that need one."""
    objects: dict[str, object] = {}
    found = []
    for name, pattern in named_patterns().items():
        if ACCESS.get(name) == PUBLIC or name in NOT_SCREENS or "-" in name.split(":")[-1]:
            continue  # DRF routes are named "thing-detail"; the API has its own fuzzer
        kwargs = {}
        for kwarg in _kwarg_names(pattern):
            if kwarg != "pk" or name not in SITE_OBJECTS:
                break
            kind = SITE_OBJECTS[name]
            if kind not in objects:
                objects[kind] = object_for(kind, site)
            kwargs["pk"] = objects[kind].pk
        else:
            found.append((name, reverse(name, kwargs=kwargs), pattern.callback))
    return found
