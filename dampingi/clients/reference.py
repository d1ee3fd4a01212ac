"""Loading the PPKS reference list shipped in data/ppks.csv."""

import csv
from pathlib import Path

from dampingi.clients.models import PPKS_VERSION, PPKSCategory

PPKS_CSV = Path(__file__).resolve().parent / "data" / "ppks.csv"


def ppks_load(*, path: Path = PPKS_CSV, version: str = PPKS_VERSION) -> int:
    """Create or update the categories of `version`. Returns how many rows were written."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        PPKSCategory.objects.update_or_create(
            version=version,
            slug=row["slug"],
            defaults={
                "number": int(row["number"]),
                "name_id": row["name_id"],
                "name_en": row["name_en"],
                "sensitive": row["sensitive"] == "1",
            },
        )
    return len(rows)
