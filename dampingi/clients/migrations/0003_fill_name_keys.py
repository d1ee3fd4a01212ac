"""Fill the spelling-insensitive search keys of rows saved before the keys existed.

The normaliser is a frozen copy of dampingi.clients.matching.name_key as of this migration
(migrations import no app code); later changes to the normaliser need their own migration.
"""

import re
import unicodedata

from django.db import migrations

_MARKS = ("oe", "dj", "tj", "sj", "nj")
_WORDS = {
    "muhamad": "muhamad", "mohamad": "muhamad", "mukhamad": "muhamad", "mokhamad": "muhamad",
    "muhamed": "muhamad", "mohamed": "muhamad", "moh": "muhamad", "muh": "muhamad", "mohd": "muhamad",
    "mhd": "muhamad", "md": "muhamad", "akhmad": "ahmad", "ahmat": "ahmad", "nor": "nur", "nurul": "nur",
}


def _word_key(word):
    old = any(mark in word for mark in _MARKS)
    word = word.replace("oe", "u").replace("dj", "\0").replace("tj", "c").replace("sj", "sy").replace("nj", "ny")
    if old:
        word = word.replace("j", "y")
    word = word.replace("\0", "j").replace("ch", "kh")
    word = re.sub(r"([a-z])\1+", r"\1", word)
    if len(word) > 2 and word.endswith("y"):
        word = word[:-1] + "i"
    return _WORDS.get(word, word)


def _name_key(name):
    text = "".join(ch for ch in unicodedata.normalize("NFKD", name or "") if not unicodedata.combining(ch))
    words = re.sub(r"[^a-z]+", " ", text.casefold()).split()
    return " ".join(k for k in (_word_key(w) for w in words) if k)[:255]


def fill_keys(apps, schema_editor):
    for model_name, source in (("Person", "full_name"), ("ClientSystem", "name")):
        model = apps.get_model("clients", model_name)
        rows = list(model.objects.filter(name_key="").only("pk", source))
        for row in rows:
            row.name_key = _name_key(getattr(row, source))
        model.objects.bulk_update(rows, ["name_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0002_person_and_client_system_name_key"),
    ]

    operations = [
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
