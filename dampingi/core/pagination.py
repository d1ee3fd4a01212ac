"""Paging helpers shared by the lists."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any


class IdsThenRows:
    """A list for django.core.paginator.Paginator over a result whose ids were read at once, in
    the list's order (a team-sized result: its matching is the expensive part and is done once).
    Its length is the number of ids; a page reads its rows with `rows(page_ids)` (one query, by
    primary key) and returns them in the ids' order."""

    def __init__(self, ids: Sequence[Any], rows: Callable[[list], Iterable]):
        self.ids = list(ids)
        self.rows = rows

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: slice) -> list:
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("IdsThenRows supports only simple slices")
        page = self.ids[index]
        if not page:
            return []
        by_pk = {row.pk: row for row in self.rows(page)}
        return [by_pk[pk] for pk in page if pk in by_pk]
