"""manage.py import_clients: import, dry run, header errors, who may import."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from dampingi.audit.models import AuditEvent
from dampingi.clients.models import ClientSystem, Person
from dampingi.imports.models import ImportRun
from dampingi.imports.tests.helpers import kk, person_row, write_csv


@pytest.fixture
def register(tmp_path):
    rows = [person_row(1, no_kk=kk(1)), person_row(2, no_kk=kk(1)), person_row(3), person_row(4, NAMA="")]
    return write_csv(tmp_path / "desa.csv", rows)


def test_the_command_imports_and_reports_counts_problems_and_speed(register, ratna, capsys):
    call_command("import_clients", str(register), "--as", "ratna")
    out, err = capsys.readouterr()
    assert "4 rows: 3 imported, 0 already registered, 1 rejected; 2 client systems created" in out
    assert "rows/s" in out
    assert "line 5: name: The name is missing." in out
    assert "rows" in err  # the progress line
    assert Person.objects.count() == 3
    assert ImportRun.objects.get().status == "done"


def test_a_dry_run_counts_exactly_and_keeps_nothing(register, ratna, capsys):
    call_command("import_clients", str(register), "--as", "ratna", "--dry-run")
    out, _err = capsys.readouterr()
    assert out.startswith("DRY RUN (nothing kept): 4 rows: 3 imported")
    assert (Person.objects.count(), ClientSystem.objects.count(), ImportRun.objects.count()) == (0, 0, 0)
    assert not AuditEvent.objects.filter(action="imports.run").exists()


def test_a_second_run_says_the_file_was_imported_before(register, ratna, capsys):
    call_command("import_clients", str(register), "--as", "ratna")
    call_command("import_clients", str(register), "--as", "ratna", "--format", "csv")
    out, _err = capsys.readouterr()
    assert "0 imported, 3 already registered" in out
    assert "This file was imported before" in out


def test_a_bad_header_exits_with_an_error(tmp_path, ratna):
    path = tmp_path / "bad.csv"
    path.write_text("Nama;Alamat\nBudi;Jl. X\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing: NIK"):
        call_command("import_clients", str(path), "--as", "ratna")
    assert ImportRun.objects.get().status == "failed"


def test_only_supervisors_and_administrators_may_import(register, sari):
    with pytest.raises(CommandError, match="may not import"):
        call_command("import_clients", str(register), "--as", "sari")
    with pytest.raises(CommandError, match="No user"):
        call_command("import_clients", str(register), "--as", "nobody")
    assert not ImportRun.objects.exists()


def test_an_xlsx_named_file_is_read_as_xlsx(tmp_path, yogi, capsys):
    from dampingi.imports.tests.helpers import write_xlsx

    path = write_xlsx(
        tmp_path / "r.xlsx", [[person_row(1)["NIK"], "Budi", datetime.date(1985, 3, 14)]], ["NIK", "NAMA", "TGL_LAHIR"]
    )
    call_command("import_clients", str(path), "--as", "yogi")
    assert Person.objects.get().full_name == "Budi"
