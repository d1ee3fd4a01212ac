"""Checking the rows of a register in blocks: in this process, or in worker processes.

The reading process parses the file (`reader.Table.rows()`, which numbers the lines) and cuts
the rows into blocks of BLOCK_ROWS. Each block is checked by `check_block` — here, or in one of
`workers` processes (`concurrent.futures`, "spawn" start method: a fresh interpreter that sets
Django up itself, safe in a threaded worker such as huey's) — and the results come back in file
order. The one check that needs the whole file, "the same NIK on an earlier line", is made
afterwards in the reading process by `Merger`, in line order: so the problems, their lines and
their order are the same with or without workers (tests/test_parallel.py).

This module imports nothing from Django at the top: a worker process imports it before
`_init_worker` has set Django up.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

BLOCK_ROWS = 5_000
# Blocks handed to the workers ahead of the one being merged (bounds memory).
IN_FLIGHT_PER_WORKER = 3


@dataclass
class CheckedBlock:
    """One block's rows, in file order: their lines, NIKs (as read, "" if none) and results."""

    lines: list[int] = field(default_factory=list)
    niks: list[str] = field(default_factory=list)
    # per row: the staging row (a line of COPY text, or a GoodRow) when good, None when bad
    good: list[Any] = field(default_factory=list)
    # row index -> (problems, the index in them where "the same NIK on line n" goes)
    problems: dict[int, tuple[list[tuple[str, str]], int]] = field(default_factory=dict)


def check_block(checker, rows: list[tuple[int, list[Any]]], *, as_text: bool, fast: bool) -> CheckedBlock:
    """Check `rows` with `checker` (a RowChecker that does not track duplicates).

    `as_text`: good rows as lines of COPY text (PostgreSQL) rather than GoodRow objects.
    `fast`: every cell is text or None (CSV), so `checker.fast` may be tried first.
    """
    from dampingi.imports.validation import copy_line

    block = CheckedBlock()
    lines, niks, good, problems = block.lines, block.niks, block.good, block.problems
    quick = checker.fast if fast and as_text else None
    check_row = checker.check_row
    for line, cells in rows:
        if quick is not None:
            row = quick(line, cells)
            if row is not None:
                start = row.index("\t") + 1
                lines.append(line)
                niks.append(row[start : start + 16])  # a NIK the fast path accepts has 16 digits
                good.append(row)
                continue
        good_row, row_problems, nik, dup_at = check_row(line, cells)
        if good_row is not None:
            good.append(copy_line(good_row.as_tuple()) if as_text else good_row)
        else:
            problems[len(lines)] = (row_problems, dup_at)
            good.append(None)
        lines.append(line)
        niks.append(nik)
    return block


class Merger:
    """Applies "the same NIK is already on line n" across blocks, in line order, exactly as a
    single RowChecker would: the first line of a NIK wins, whether that row was good or not."""

    def __init__(self):
        self.seen: dict[str, int] = {}

    def merge(self, block: CheckedBlock) -> tuple[list[Any], list[tuple[int, list[tuple[str, str]]]]]:
        """(the good rows, [(line, problems)] of the bad ones)."""
        from dampingi.imports.validation import duplicate_nik_problem

        seen = self.seen
        good: list[Any] = []
        bad: list[tuple[int, list[tuple[str, str]]]] = []
        lines, problems = block.lines, block.problems
        for index, (nik, row) in enumerate(zip(block.niks, block.good, strict=True)):
            first = seen.get(nik) if nik else None
            if nik and first is None:
                seen[nik] = lines[index]
            if first is None:
                if row is not None:
                    good.append(row)
                else:
                    bad.append((lines[index], problems[index][0]))
                continue
            # the NIK was on an earlier line: this row is bad, with that problem in its place
            found, dup_at = problems.get(index, ([], 0))
            bad.append((lines[index], [*found[:dup_at], duplicate_nik_problem(first), *found[dup_at:]]))
        return good, bad


def _blocks(rows: Iterable[tuple[int, list[Any]]], size: int) -> Iterator[list[tuple[int, list[Any]]]]:
    block: list[tuple[int, list[Any]]] = []
    for row in rows:
        block.append(row)
        if len(block) >= size:
            yield block
            block = []
    if block:
        yield block


# --- worker processes ---------------------------------------------------------------------

_worker_checker = None


def _init_worker(reference: dict[str, Any], language: str) -> None:
    """Runs once in each worker process: set Django up (no database connection is opened).

    `reference` comes as a dict of plain values: unpickling a validation.Reference would import
    the models before Django is set up."""
    global _worker_checker
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.utils import translation

    from dampingi.imports.validation import Reference, RowChecker

    translation.activate(language)
    _worker_checker = RowChecker(Reference(**reference), track_duplicates=False)


def _check_in_worker(rows: list[tuple[int, list[Any]]], as_text: bool, fast: bool) -> CheckedBlock:
    return check_block(_worker_checker, rows, as_text=as_text, fast=fast)


def checked_blocks(
    rows: Iterable[tuple[int, list[Any]]],
    reference,
    *,
    as_text: bool,
    fast: bool,
    workers: int = 0,
    block_rows: int | None = None,
) -> Iterator[tuple[int, CheckedBlock]]:
    """(rows in the block, checked block) for each block of `rows`, in file order.

    `workers` > 0: the blocks are checked in that many worker processes while this one reads
    ahead. Closing the generator (or an exception while reading) stops the workers.
    """
    block_rows = block_rows or BLOCK_ROWS
    if workers <= 0:
        from dampingi.imports.validation import RowChecker

        checker = RowChecker(reference, track_duplicates=False)
        for block in _blocks(rows, block_rows):
            yield len(block), check_block(checker, block, as_text=as_text, fast=fast)
        return

    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from django.utils import translation

    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(dict(vars(reference)), translation.get_language() or "en"),
    )
    pending: deque = deque()
    try:
        for block in _blocks(rows, block_rows):
            pending.append((len(block), pool.submit(_check_in_worker, block, as_text, fast)))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                count, future = pending.popleft()
                yield count, future.result()
        while pending:
            count, future = pending.popleft()
            yield count, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
