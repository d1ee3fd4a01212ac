"""Measure the client register import against the raw COPY speed of the same file (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dampingi_imports_bench \\
        python manage.py bench_import --rows 1000000 --truncate [--runs 3] [--workers 0|2] [--keep-file]
        [--file register.csv]

Generates a valid synthetic register (';'-separated CSV with BOM, like an Indonesian Excel
export): NIKs consistent with the district, birth date and sex, families of 1–5 people sharing
a No. KK (one in three rows has no KK: individuals), names from dampingi.demo.names,
village codes of the loaded regions, a PPKS
category on one row in ten (or takes `--file`, a file written earlier with --keep-file). Then,
`--runs` times, measures
  (a) raw COPY of the file into an UNLOGGED staging table of text columns, and
  (b) the full import (read, check, stage, insert people, client systems, memberships),
and prints rows/s for both, the load average of the machine around each run, where the
import's time went, and a Markdown table of the runs. The clients tables must be empty (use a
separate database); `--truncate` empties them first (and between runs), and only on a
database whose name contains "bench". `--database-url` runs the same command again with
DATABASE_URL set to that URL.
"""

import datetime
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from dampingi.accounts.models import Role
from dampingi.clients.models import ClientSystem, Membership, Person, PPKSCategory
from dampingi.demo.identity import district_digits, nik_date_part
from dampingi.demo.names import person_name
from dampingi.imports import services
from dampingi.imports.services import import_file
from dampingi.regions.models import Region

BENCH_USER = "bench-import"


def generate(path: Path, rows: int, villages: list[str], ppks: list[str]) -> None:
    today = timezone.localdate()
    rng = random.Random(2026)  # noqa: S311 (synthetic names, not secrets)
    serials: dict[str, int] = {}
    kk_serials: dict[str, int] = {}

    def issue(book: dict[str, int], prefix: str) -> str:
        serial = book.get(prefix, 0) + 1
        book[prefix] = serial
        if serial > 9999:
            raise CommandError("ran out of serials; use more villages")
        return f"{prefix}{serial:04d}"

    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        fh.write("NIK;NO_KK;NAMA;JENIS_KELAMIN;TANGGAL_LAHIR;ALAMAT;KODE_WILAYAH;PPKS;HUBUNGAN\r\n")
        written = 0
        family = 0
        while written < rows:
            village = villages[family % len(villages)]
            district = district_digits(village)
            size = 1 if family % 3 == 0 else 1 + family % 5
            size = min(size, rows - written)
            no_kk = ""
            if family % 3:
                issued = today - datetime.timedelta(days=1 + family % 3000)
                no_kk = issue(kk_serials, district + f"{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}")
            for member in range(size):
                index = written + member
                sex = "L" if index % 2 == 0 else "P"
                birth = today - datetime.timedelta(days=365 + (index * 7919) % 30000)
                nik = issue(serials, district + nik_date_part(birth, "M" if sex == "L" else "F"))
                relationship = ("1" if member == 0 else "4") if no_kk else ""
                category = ppks[index % len(ppks)] if index % 10 == 0 else ""
                name = person_name(rng, sex="M" if sex == "L" else "F", birth_year=birth.year)
                fh.write(
                    f"{nik};{no_kk};{name};{sex};{birth:%d-%m-%Y};"
                    f"Kp. Sukamaju RT 0{index % 9 + 1}/RW 0{index % 5 + 1};{village};{category};{relationship}\r\n"
                )
            written += size
            family += 1


class Command(BaseCommand):
    help = "Benchmark the register import (rows/s) beside a raw COPY of the same file (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--file", type=Path, default=None, help="Import this register instead of generating one")
        parser.add_argument("--runs", type=int, default=1)
        parser.add_argument("--workers", type=int, default=None, help="Processes checking rows (default: automatic)")
        parser.add_argument("--database-url", default="")
        parser.add_argument("--truncate", action="store_true", help="Empty the clients tables first (bench DB only)")
        parser.add_argument("--keep-file", action="store_true")

    def handle(self, *args, rows: int, file: Path | None, runs: int, workers: int | None, database_url: str,
               truncate: bool, keep_file: bool, **options):  # fmt: skip
        if database_url and os.environ.get("DATABASE_URL") != database_url:
            argv = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench_import", "--rows", str(rows)]
            argv += ["--runs", str(runs)] + (["--file", str(file)] if file else [])
            argv += ["--workers", str(workers)] if workers is not None else []
            argv += ["--truncate"] * truncate + ["--keep-file"] * keep_file
            result = subprocess.run(argv, env={**os.environ, "DATABASE_URL": database_url}, check=False)  # noqa: S603
            if result.returncode:
                raise CommandError(f"the benchmark failed (exit status {result.returncode})")
            return
        if connection.vendor != "postgresql":
            raise CommandError("bench_import measures PostgreSQL COPY: set DATABASE_URL to a PostgreSQL database")
        database = connection.settings_dict["NAME"]
        if (truncate or runs > 1) and "bench" not in database:
            raise CommandError(f"--truncate only on a benchmark database (name containing 'bench'), not {database}")
        if runs > 1 and not truncate:
            raise CommandError("several runs need --truncate (each run imports into empty tables)")
        if truncate:
            self._truncate()
        if Person.objects.exists():
            raise CommandError("the clients tables are not empty: use a separate database (or --truncate)")
        villages = list(
            Region.objects.filter(level=Region.Level.VILLAGE).order_by("code").values_list("code", flat=True)[:2000]
        )
        ppks = list(PPKSCategory.objects.values_list("slug", flat=True))
        if not villages or not ppks:
            raise CommandError("load the reference data first (manage.py load_reference_data)")
        user, _created = get_user_model().objects.get_or_create(
            username=BENCH_USER, defaults={"role": Role.ADMINISTRATOR, "first_name": "Bench", "language": "en"}
        )

        folder = None
        if file is not None:
            path = file
            with path.open("rb") as fh:
                rows = sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b"")) - 1
            self.stdout.write(f"Register {path}: {rows:,} rows ({path.stat().st_size / 1e6:.1f} MB)")
        else:
            folder = Path(tempfile.mkdtemp(prefix="dampingi-importbench-"))
            path = folder / f"register-{rows}.csv"
            start = time.perf_counter()
            generate(path, rows, villages, ppks)
            size_mb = path.stat().st_size / 1e6
            self.stdout.write(
                f"Generated {rows:,} rows ({size_mb:.1f} MB) in {time.perf_counter() - start:.1f} s: {path}"
            )

        results = []
        for number in range(1, runs + 1):
            if number > 1:
                self._truncate()
            self.stdout.write(f"Run {number}/{runs}: load average before {self._load()}")
            copy_seconds = self._raw_copy(path)
            self.stdout.write(
                f"(a) raw COPY into an UNLOGGED table: {copy_seconds:.2f} s, {rows / copy_seconds:,.0f} rows/s"
            )
            load_before = os.getloadavg()[0]
            seconds, reading, cpu = self._import(path, user, rows, workers)
            load_after = os.getloadavg()
            self.stdout.write(f"    load average after {self._load()}")
            self.stdout.write(f"full import / raw COPY: {seconds / copy_seconds:.1f}× the time")
            results.append((number, copy_seconds, seconds, reading, cpu, load_before, load_after[0]))

        self.stdout.write("")
        self.stdout.write(
            "| run | raw COPY | full import | of which reading | CPU Python / PostgreSQL | load before / after |"
        )
        self.stdout.write("|---:|---:|---:|---:|---:|---|")
        for number, copy_seconds, seconds, reading, cpu, before, after in results:
            self.stdout.write(
                f"| {number} | {copy_seconds:.2f} s — {rows / copy_seconds:,.0f} rows/s "
                f"| {seconds:.1f} s — **{rows / seconds:,.0f} rows/s** | {reading:.1f} s | {cpu} "
                f"| {before:.2f} / {after:.2f} |"
            )
        if folder is not None and not keep_file:
            path.unlink()
            folder.rmdir()

    @staticmethod
    def _load() -> str:
        return ", ".join(f"{value:.2f}" for value in os.getloadavg())

    @staticmethod
    def _truncate() -> None:
        tables = [
            Membership._meta.db_table,
            ClientSystem.ppks.through._meta.db_table,
            ClientSystem._meta.db_table,
            Person._meta.db_table,
        ]
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")

    def _import(self, path: Path, user, rows: int, workers: int | None) -> tuple[float, float, str]:
        read_done = []

        def progress(done: int, total: int) -> None:
            if done == total:
                read_done.append(time.perf_counter())

        backend = self._backend_cpu()
        own = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        run = import_file(actor=user, path=path, progress=progress, workers=workers)
        seconds = time.perf_counter() - start
        if run.status != "done":
            raise CommandError(f"the import failed: {run.error}")
        after = resource.getrusage(resource.RUSAGE_SELF)
        python_cpu = after.ru_utime - own.ru_utime + after.ru_stime - own.ru_stime
        backend_after = self._backend_cpu()
        database_cpu = f"{backend_after - backend:.1f} s" if backend is not None and backend_after else "?"
        self.stdout.write(
            f"(b) full import: {seconds:.2f} s, {rows / seconds:,.0f} rows/s "
            f"({run.imported:,} imported, {run.bad:,} rejected, {run.already_registered:,} already registered, "
            f"{run.client_systems_created:,} client systems)"
        )
        reading = (read_done[-1] - start) if read_done else 0.0
        self.stdout.write(
            f"    of which reading the file (checking, staging, and inserting the people meanwhile): {reading:.2f} s; "
            f"then client systems, memberships, PPKS and commit: {seconds - reading:.2f} s"
        )
        self.stdout.write(
            f"    CPU time: Python {python_cpu:.1f} s (this process, all threads), "
            f"PostgreSQL {database_cpu} (the import's session)"
        )
        for statement, spent in sorted(services.last_timings.items(), key=lambda item: -item[1]):
            self.stdout.write(f"      {spent:7.2f} s  {statement}")
        return seconds, reading, f"{python_cpu:.1f} s / {database_cpu}"

    @staticmethod
    def _backend_cpu() -> float | None:
        """CPU seconds of this connection's PostgreSQL backend, when the server runs on this machine."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def _raw_copy(self, path: Path) -> float:
        columns = "nik, no_kk, nama, jenis_kelamin, tanggal_lahir, alamat, kode_wilayah, ppks, hubungan"
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_raw_copy")
            cursor.execute(
                f"CREATE UNLOGGED TABLE bench_raw_copy ({', '.join(c + ' text' for c in columns.split(', '))})"
            )
            start = time.perf_counter()
            with (
                path.open("rb") as fh,
                cursor.cursor.copy(
                    f"COPY bench_raw_copy ({columns}) FROM STDIN "
                    "(FORMAT csv, HEADER true, DELIMITER ';', ENCODING 'UTF8')"
                ) as copy,
            ):
                fh.read(3)  # the BOM
                while block := fh.read(1 << 20):
                    copy.write(block)
            seconds = time.perf_counter() - start
            cursor.execute("DROP TABLE bench_raw_copy")
        return seconds
