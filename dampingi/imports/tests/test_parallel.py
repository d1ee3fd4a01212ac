"""Checking rows in worker processes: the same problems on the same lines as in one process."""

import datetime

import pytest

from dampingi.clients.models import ClientSystem, Membership, Person
from dampingi.imports import parallel
from dampingi.imports.models import ImportProblem, ImportRun
from dampingi.imports.services import import_file
from dampingi.imports.tests.helpers import kk, nik, person_row, write_csv

BIRTH = datetime.date(1985, 3, 14)


def register(tmp_path):
    """Bad rows in every block (3 rows a block below), repeated NIKs across blocks, blank and multi-line rows."""
    rows = [
        person_row(1, no_kk=kk(1)),  # line 2
        person_row(2, NAMA=""),  # 3: no name; its NIK counts as seen
        person_row(3, no_kk=kk(1)),  # 4
        person_row(4, JENIS_KELAMIN="P"),  # 5: a man's NIK
        person_row(2, NAMA="Again"),  # 6: NIK of line 3 (a bad row)
        person_row(5, ALAMAT="Jl. Baris\nKedua"),  # 7-8: an address over two lines
        person_row(1, TANGGAL_LAHIR="31-02-1985"),  # 9: not a date, and NIK of line 2
        person_row(6, KODE_WILAYAH="32.04"),  # 10: too coarse
        person_row(7),  # 11
        person_row(4, NAMA="Fourth again"),  # 12: NIK of line 5
        person_row(8, PPKS="lut"),  # 13
    ]
    path = write_csv(tmp_path / "blocks.csv", rows)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(";;;;;;;\r\n")  # 14: a blank row, skipped
        fh.write(f"{nik(BIRTH, 'L', 9)};;Terakhir;L;14-03-1985;Jl. Akhir;32.04.05.2001;\r\n")  # 15
    return path


def outcome(run):
    problems = list(ImportProblem.objects.filter(run=run).order_by("line", "id").values_list("line", "field", "reason"))
    people = sorted(Person.objects.values_list("nik", "full_name", "address"))
    return (run.rows, run.imported, run.bad, run.client_systems_created), problems, people


def test_workers_report_the_same_problems_on_the_same_lines_as_one_process(tmp_path, ratna, monkeypatch):
    monkeypatch.setattr(parallel, "BLOCK_ROWS", 3)
    path = register(tmp_path)
    alone = outcome(import_file(actor=ratna, path=path, workers=0))
    ClientSystem.objects.all().delete()
    Membership.objects.all().delete()
    Person.objects.all().delete()
    with_workers = outcome(import_file(actor=ratna, path=path, workers=2))
    assert with_workers == alone
    counts, problems, people = with_workers
    assert counts == (12, 6, 6, 5)
    assert [(line, field) for line, field, _reason in problems] == [
        (3, "name"),
        (5, "nik"),
        (6, "nik"),
        (9, "birth_date"),
        (9, "nik"),
        (10, "region"),
        (12, "nik"),
    ]
    reasons = {(line, field): reason for line, field, reason in problems}
    assert reasons[(6, "nik")] == "The same NIK is already on line 3."
    assert reasons[(9, "nik")] == "The same NIK is already on line 2."
    assert reasons[(12, "nik")] == "The same NIK is already on line 5."
    assert (nik(BIRTH, "L", 5), "Orang Nomor 5", "Jl. Baris Kedua") in people
    assert ImportRun.objects.filter(status="done").count() == 2


def test_a_problem_in_a_worker_fails_the_run_and_stops_the_workers(tmp_path, ratna, monkeypatch):
    monkeypatch.setattr(parallel, "_check_in_worker", _explode)
    with pytest.raises(RuntimeError, match="worker broke"):
        import_file(actor=ratna, path=register(tmp_path), workers=2)
    run = ImportRun.objects.get()
    assert run.status == "failed" and not Person.objects.exists()


def _explode(rows, as_text, fast):
    raise RuntimeError("worker broke")
