"""Loading the shipped Kemendagri region list (data/wilayah.csv, MIT, see data/NOTICE)."""

import csv
from collections.abc import Iterable
from pathlib import Path

from django.db import transaction

from dampingi.regions.models import Region

WILAYAH_CSV = Path(__file__).resolve().parent / "data" / "wilayah.csv"


def _rows(path: Path, prefixes: Iterable[str] | None) -> list[tuple[str, str]]:
    wanted = tuple(prefixes) if prefixes else None
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [(r["code"], r["name"]) for r in csv.DictReader(fh)]
    if wanted is None:
        return rows
    # Keep the wanted subtrees and every ancestor of them so parents exist.
    keep: list[tuple[str, str]] = []
    for code, name in rows:
        if code.startswith(wanted) or any(p.startswith(code + ".") or p == code for p in wanted):
            keep.append((code, name))
    return keep


def regions_load(*, path: Path = WILAYAH_CSV, prefixes: Iterable[str] | None = None, batch_size: int = 5000) -> int:
    """Insert the regions that are missing; existing codes keep their rows. Returns rows added."""
    rows = _rows(path, prefixes)
    existing = set(Region.objects.values_list("code", flat=True))
    new = [
        Region(
            code=code,
            name=name,
            level=code.count(".") + 1,
            parent_id=code.rsplit(".", 1)[0] if "." in code else None,
        )
        for code, name in rows
        if code not in existing
    ]
    # Parents come before children in the file's order, so one ordered insert is safe.
    new.sort(key=lambda r: (r.level, r.code))
    with transaction.atomic():
        Region.objects.bulk_create(new, batch_size=batch_size)
    return len(new)
