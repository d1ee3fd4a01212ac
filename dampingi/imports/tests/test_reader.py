"""Reading register files: CSV with ';' and BOM, commas, XLSX, header aliases."""

import datetime

import pytest

from dampingi.clients.models import Person
from dampingi.imports.models import ImportRun
from dampingi.imports.reader import FIELDS, HeaderError, detect_format, open_table
from dampingi.imports.services import import_file
from dampingi.imports.tests.helpers import kk, nik, write_xlsx

BIRTH = datetime.date(1985, 3, 14)


def test_semicolon_csv_with_bom_and_indonesian_headers_in_any_case(tmp_path, ratna):
    path = tmp_path / "desa.csv"
    path.write_bytes(
        "\ufeffnik;No. KK;nama;Jenis Kelamin;tgl_lahir;ALAMAT;kode_wilayah;ppks\r\n".encode()
        + f"{nik(BIRTH, 'L', 1)};{kk(1)};Budi Śantoso;Laki-laki;14/03/1985;Jl. Cibiru;32.04.05.2001;1\r\n".encode()
        + b"\r\n"  # a blank line is skipped
        + f'\'{nik(BIRTH, "P", 2)};;Ani;Perempuan;1985-03-14;"Jl. A; No. 2";3204052001;\r\n'.encode()
    )
    table = open_table(path, "csv")
    assert set(table.columns) == {"nik", "no_kk", "name", "sex", "birth_date", "address", "region", "ppks"}
    lines = [line for line, _cells in table.rows()]
    assert lines == [2, 4]
    run = import_file(actor=ratna, path=path)
    assert (run.imported, run.bad) == (2, 0), list(run.problems.values_list("line", "reason"))
    ani = Person.objects.get(full_name="Ani")
    assert ani.nik == nik(BIRTH, "P", 2) and ani.address == "Jl. A; No. 2" and ani.sex == "F"
    assert Person.objects.get(full_name="Budi Śantoso").client_systems.get().ppks.get().number == 1


def test_comma_csv_without_bom_and_english_headers(tmp_path, ratna):
    path = tmp_path / "register.csv"
    path.write_text(
        "Name,NIK,Sex,Birth date,Address,Region code,Family card number\n"
        f'Budi,{nik(BIRTH, "L", 3)},M,14.03.1985,"Jl. Cibiru, 3",32.04.05,{kk(2)}\n',
        encoding="utf-8",
    )
    run = import_file(actor=ratna, path=path)
    assert run.imported == 1, list(run.problems.values_list("reason", flat=True))
    budi = Person.objects.get()
    assert (budi.full_name, budi.address, budi.sex, budi.birth_date) == ("Budi", "Jl. Cibiru, 3", "M", BIRTH)
    assert budi.client_systems.get().no_kk == kk(2)


def test_xlsx_with_numbers_for_nik_and_date_cells(tmp_path, ratna):
    path = write_xlsx(
        tmp_path / "dtks.xlsx",
        [
            [
                int(nik(BIRTH, "L", 4)),
                int(kk(3)),
                "Budi",
                "L",
                datetime.datetime(1985, 3, 14),
                "Jl. X",
                "3204052001",
                "lut",
            ],
            [nik(BIRTH, "P", 5), None, "Ani", "P", "14-03-1985", None, None, None],
            [nik(BIRTH, "P", 6), None, None, "P", "14-03-1985", None, None, None],
        ],
        header=["NIK", "NO_KK", "NAMA", "JK", "TANGGAL_LAHIR", "ALAMAT", "KODE_WILAYAH", "PPKS"],
    )
    assert detect_format(path) == "xlsx"
    run = import_file(actor=ratna, path=path)
    assert run.format == "xlsx"
    assert (run.rows, run.imported, run.bad) == (3, 2, 1)
    assert list(run.problems.values_list("line", "field")) == [(4, "name")]
    budi = Person.objects.get(full_name="Budi")
    assert budi.nik == nik(BIRTH, "L", 4) and budi.birth_date == BIRTH and budi.region_id == "32.04.05.2001"
    assert budi.client_systems.get().no_kk == kk(3)


def test_a_broken_xlsx_fails_the_run_with_a_reason(tmp_path, ratna):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    run = import_file(actor=ratna, path=path)
    assert run.status == ImportRun.Status.FAILED
    assert run.error == "The file cannot be read as an Excel workbook (.xlsx)."


def test_a_file_that_is_not_utf8_is_refused(tmp_path, ratna):
    path = tmp_path / "latin1.csv"
    path.write_bytes("NIK;NAMA\n1;Jos\xe9\n".encode("latin-1"))
    run = import_file(actor=ratna, path=path)
    assert run.status == ImportRun.Status.FAILED and run.error.startswith("The file is not UTF-8 text")


def test_two_columns_for_one_field_are_refused(tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("NIK;NAMA;Name\n", encoding="utf-8")
    with pytest.raises(HeaderError, match="Two columns are read as NAME"):
        open_table(path, "csv")


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(HeaderError, match="empty"):
        open_table(path, "csv")


def test_unknown_columns_are_ignored_and_listed(tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text("NIK;NAMA;Pekerjaan\n1;A;Petani\n", encoding="utf-8")
    table = open_table(path, "csv")
    assert table.ignored == ["Pekerjaan"]
    assert list(table.rows()) == [(2, ["1", None, "A"] + [None] * (len(FIELDS) - 3))]
