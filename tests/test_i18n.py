"""The Chinese catalogue is complete, and the committed .mo is the compiled .po.

After adding strings: `make messages`, translate every new or fuzzy entry, then commit both
locale/zh_Hans/LC_MESSAGES/django.po and the django.mo that compilemessages writes.
"""

import gettext as pygettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from tests.conftest import skip_or_fail

LC_MESSAGES = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(token: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), token[1:-1])


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file as dicts: msgctxt, msgid, msgid_plural, msgstr {index: text}, flags.

    Obsolete (#~) and previous-msgid (#|) lines are ignored; the header entry (msgid "") is kept.
    """
    entries: list[dict] = []
    entry: dict | None = None
    field: tuple | None = None
    flags: set[str] = set()

    def finish():
        nonlocal entry
        if entry is not None:
            entries.append(entry)
        entry = None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            field = None
            continue
        if line.startswith("#"):
            if line.startswith("#,"):
                finish()
                flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
        if m:
            keyword, index, token = m.groups()
            if keyword in ("msgctxt", "msgid") and entry is not None and entry["msgstr"]:
                finish()
            if entry is None:
                entry = {"msgctxt": None, "msgid_plural": None, "msgstr": {}, "flags": flags}
                flags = set()
            if keyword.startswith("msgstr"):
                field = ("msgstr", int(index or 0))
                entry["msgstr"][field[1]] = _unquote(token)
            else:
                field = (keyword,)
                entry[keyword] = _unquote(token)
            continue
        if line.startswith('"') and entry is not None and field is not None:
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field[0]] += _unquote(line)
            continue
        raise AssertionError(f"{path}: cannot parse line {raw!r}")
    finish()
    return entries


@pytest.fixture(scope="module")
def entries():
    assert PO.exists(), f"{PO} is missing: run `make messages`"
    return parse_po(PO)


def _label(e: dict) -> str:
    return repr(e["msgid"]) + (f" (context {e['msgctxt']!r})" if e["msgctxt"] else "")


def test_catalogue_has_entries(entries):
    messages = [e for e in entries if e["msgid"]]
    assert len(messages) > 100
    assert any(e["msgid_plural"] for e in messages), "the parser should see the plural entries"


def test_header_is_simplified_chinese_utf8_one_plural_form(entries):
    header = next(e for e in entries if e["msgid"] == "" and not e["msgctxt"])
    text = header["msgstr"][0]
    assert "Language: zh_Hans\n" in text
    assert "charset=UTF-8" in text
    assert "Plural-Forms: nplurals=1; plural=0;" in text
    assert "fuzzy" not in header["flags"]


def test_every_entry_is_translated(entries):
    untranslated = [
        _label(e) for e in entries
        if e["msgid"] and (not e["msgstr"] or any(not s.strip() for s in e["msgstr"].values()))
    ]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:20]}"


def test_no_fuzzy_entries(entries):
    fuzzy = [_label(e) or "(header)" for e in entries if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy entries are not used at run time; check and unflag: {fuzzy[:20]}"


def test_plural_entries_have_the_single_chinese_form(entries):
    for e in entries:
        if e["msgid_plural"]:
            assert set(e["msgstr"]) == {0}, _label(e)


_PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sd]")


def test_placeholders_are_kept(entries):
    wrong = []
    for e in entries:
        if not e["msgid"]:
            continue
        # Chinese has one form, used for every count: it follows the English plural.
        wanted = set(_PLACEHOLDER.findall(e["msgid_plural"] or e["msgid"]))
        for text in e["msgstr"].values():
            if set(_PLACEHOLDER.findall(text)) != wanted:
                wrong.append((e["msgid"], text))
    assert not wrong, wrong


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Log in to the service desk", "登录服务前台"),
        ("Service desk", "售后服务前台"),
        ("Transfer owner", "过户"),
        ("Mileage", "里程"),
        ("Service advisor", "服务顾问"),
        ("Log out", "退出登录"),
    ],
)
def test_django_serves_the_chinese_text(english, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(english) == chinese
    with translation.override("en"):
        assert translation.gettext(english) == english


def test_django_placeholders_and_plurals():
    with translation.override("zh-hans"):
        assert translation.gettext("Welcome, %(name)s") % {"name": "王先生"} == "欢迎，王先生"
        for n in (1, 2, 25):
            text = translation.ngettext("%(n)s record", "%(n)s records", n) % {"n": n}
            assert text == f"{n} 条记录"


def _msgfmt() -> str:
    path = shutil.which("msgfmt")
    if not path:
        skip_or_fail("GNU gettext (msgfmt) is not installed")
    return path


def test_po_passes_msgfmt_check():
    result = subprocess.run([_msgfmt(), "--check", "-o", "/dev/null", str(PO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_committed_mo_is_the_compiled_po(tmp_path):
    assert MO.exists(), f"{MO} is missing: run `manage.py compilemessages --ignore=.venv`"
    fresh = tmp_path / "django.mo"
    subprocess.run([_msgfmt(), "--check-format", "-o", str(fresh), str(PO)], check=True)
    with fresh.open("rb") as f:
        expected = pygettext.GNUTranslations(f)._catalog
    with MO.open("rb") as f:
        committed = pygettext.GNUTranslations(f)._catalog
    stale = sorted(str(k) for k in expected.keys() ^ committed.keys())
    stale += sorted(str(k) for k in expected.keys() & committed.keys() if expected[k] != committed[k])
    assert not stale, f"django.mo is out of date with django.po (run compilemessages): {stale[:20]}"
