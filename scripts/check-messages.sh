#!/usr/bin/env bash
# Fails when makemessages would change the Indonesian catalogue or a msgstr is empty.
set -euo pipefail
cd "$(dirname "$0")/.."
po=locale/id/LC_MESSAGES/django.po
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$po" "$tmp/before.po"
DAMPINGI_LOCAL_TRIAL=1 .venv/bin/python manage.py makemessages --locale id --no-obsolete --no-location \
  --ignore '.venv/*' --ignore 'staticfiles/*' >/dev/null
strip() { grep -v '^"POT-Creation-Date' "$1"; }
if ! diff -u <(strip "$tmp/before.po") <(strip "$po") >"$tmp/diff"; then
  cp "$tmp/before.po" "$po"
  echo "The Indonesian catalogue is out of date: run 'make messages' and translate the new strings." >&2
  head -60 "$tmp/diff" >&2
  exit 1
fi
if msgattrib --untranslated --no-obsolete "$po" | grep -q '^msgid'; then
  echo "Untranslated strings in $po:" >&2
  msgattrib --untranslated --no-obsolete "$po" | grep -A1 '^msgid' | head -40 >&2
  exit 1
fi
if msgattrib --only-fuzzy "$po" | grep -q '^msgid'; then
  echo "Fuzzy translations in $po: review them and remove the fuzzy flag." >&2
  exit 1
fi
