"""Project-wide guards: migrations, translations, settings."""

import re
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"


def test_migrations_are_up_to_date(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)


def test_every_ui_string_has_an_indonesian_translation():
    text = PO.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first entry is the catalogue header
    empty = []
    for entry in entries:
        if entry.lstrip().startswith("#~"):
            continue
        msgid = re.search(r'^msgid "(.*)"', entry, re.M)
        strs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', entry, re.M)
        if msgid is None:
            continue
        if "#, fuzzy" in entry or any(not (a + b.replace('"', "").replace("\n", "")) for a, b in strs):
            empty.append(msgid.group(1) or entry.splitlines()[1])
    assert not empty, f"untranslated or fuzzy: {empty[:20]}"


def test_indonesian_catalogue_is_compiled_and_used():
    with translation.override("id"):
        assert translation.gettext("Sign in") == "Masuk"
        assert translation.gettext("Assessment") == "Asesmen"
    with translation.override("en"):
        assert translation.gettext("Sign in") == "Sign in"


def test_migration_names_are_descriptive():
    auto = [p for p in ROOT.glob("dampingi/*/migrations/*.py") if "_auto_" in p.name]
    assert not auto, f"rename these migrations descriptively: {auto}"
