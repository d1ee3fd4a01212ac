"""Reading a client register file: CSV (UTF-8, with or without BOM, ',' or ';' or tab) or XLSX.

`open_table(path, fmt)` reads the header, matches its names to the fields of a register (see
COLUMN_ALIASES: case-insensitive; spaces, dots, dashes and underscores are all the same) and
returns a `Table` whose `rows()` yields `(line, cells)` — the line number as a spreadsheet shows
it (the header is line 1) and the raw cells in field order. Fully blank rows are skipped.
A header that cannot be used raises `HeaderError` with a translated reason.
"""

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

# The fields of a register, in the order `Table.rows()` gives their cells.
FIELDS = ("nik", "no_kk", "name", "sex", "birth_date", "address", "region", "ppks", "relationship")
REQUIRED = ("nik", "name")

# Header names (normalised by `normalise_header`) accepted for each field: the column names
# of village registers and DTKS exports (Indonesian) and their English equivalents.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "nik": ("nik", "no_nik", "nomor_nik", "nik_ktp", "id_number"),
    "no_kk": ("no_kk", "kk", "nomor_kk", "nokk", "no_kartu_keluarga", "nomor_kartu_keluarga", "family_card_number"),
    "name": ("nama", "name", "nama_lengkap", "full_name", "nama_art"),
    "sex": ("jenis_kelamin", "jk", "sex", "gender", "kelamin"),
    "birth_date": ("tanggal_lahir", "tgl_lahir", "birth_date", "date_of_birth", "tanggal_kelahiran"),
    "address": ("alamat", "address", "alamat_lengkap"),
    "region": ("kode_wilayah", "region_code", "region", "kode_desa", "kode_kelurahan", "kode_kecamatan", "wilayah"),
    "ppks": ("ppks", "kategori_ppks", "jenis_ppks", "ppks_category"),
    "relationship": ("hubungan", "shdk", "hubungan_keluarga", "status_hubungan", "relationship", "hub_kk"),
}
_ALIAS_TO_FIELD = {alias: name for name, aliases in COLUMN_ALIASES.items() for alias in aliases}
_SEPARATORS = re.compile(r"[\s._\-/]+")


class HeaderError(Exception):
    """The file cannot be read as a register at all (nothing is imported)."""


def normalise_header(name: Any) -> str:
    return _SEPARATORS.sub("_", str(name if name is not None else "").strip().casefold()).strip("_")


def detect_format(path: Path, file_name: str = "") -> str:
    """ "xlsx" for an Office Open XML workbook (a zip file), else "csv"."""
    name = (file_name or path.name).casefold()
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith((".csv", ".txt")):
        return "csv"
    with path.open("rb") as fh:
        return "xlsx" if fh.read(4) == b"PK\x03\x04" else "csv"


@dataclass
class Table:
    columns: dict[str, int]  # field -> position in the file's rows
    ignored: list[str] = field(default_factory=list)  # header names that matched no field
    estimate: int = 0  # data rows, estimated before reading
    text_cells: bool = False  # every cell is a str (CSV), never a number or a date (XLSX)
    _rows: Iterator[tuple[int, list[Any]]] | None = None
    _close: Any = None

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(line, cells in FIELDS order; None for a field the file does not have)."""
        positions = [self.columns.get(name) for name in FIELDS]
        try:
            for line, raw in self._rows:
                width = len(raw)
                cells = [raw[p] if p is not None and p < width else None for p in positions]
                if any(c not in (None, "") for c in cells):
                    yield line, cells
        finally:
            self.close()

    def close(self) -> None:
        if self._close is not None:
            self._close()
            self._close = None


def _map_header(header: list[Any]) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for position, name in enumerate(header):
        key = _ALIAS_TO_FIELD.get(normalise_header(name))
        if key is None:
            if str(name or "").strip():
                ignored.append(str(name).strip())
        elif key in columns:
            raise HeaderError(
                _("Two columns are read as %(field)s: %(first)s and %(second)s. Keep only one.")
                % {"field": key.upper(), "first": header[columns[key]], "second": name}
            )
        else:
            columns[key] = position
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise HeaderError(
            _(
                "The first line must name the columns; these are missing: %(missing)s. "
                "Accepted names are, for example, NIK, NO_KK, NAMA, JENIS_KELAMIN, TANGGAL_LAHIR, ALAMAT, "
                "KODE_WILAYAH, PPKS."
            )
            % {"missing": ", ".join(COLUMN_ALIASES[m][0].upper() for m in missing)}
        )
    return columns, ignored


def _count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def _open_csv(path: Path) -> Table:
    fh = path.open(encoding="utf-8-sig", newline="")
    try:
        first = fh.readline()
    except UnicodeDecodeError as exc:
        fh.close()
        raise HeaderError(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")) from exc
    if not first.strip():
        fh.close()
        raise HeaderError(_("The file is empty."))
    delimiter = max((";", ",", "\t", "|"), key=first.count)
    header = next(csv.reader([first], delimiter=delimiter))
    try:
        columns, ignored = _map_header(header)
    except HeaderError:
        fh.close()
        raise
    reader = csv.reader(fh, delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for row in reader:
                yield reader.line_num + 1, row
        except UnicodeDecodeError as exc:
            raise HeaderError(
                _("The file is not UTF-8 text (after line %(line)d). Save it as “CSV UTF-8” and try again.")
                % {"line": reader.line_num + 1}
            ) from exc
        except csv.Error as exc:
            raise HeaderError(
                _("Line %(line)d cannot be read as CSV: %(error)s") % {"line": reader.line_num + 1, "error": exc}
            ) from exc

    return Table(columns, ignored, max(0, _count_lines(path) - 1), True, rows(), fh.close)


def _open_xlsx(path: Path) -> Table:
    import openpyxl  # imported here: only XLSX imports need it

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, KeyError) for a bad file
        raise HeaderError(_("The file cannot be read as an Excel workbook (.xlsx).")) from exc
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = next(values, None)
    if header is None:
        workbook.close()
        raise HeaderError(_("The file is empty."))
    try:
        columns, ignored = _map_header(list(header))
    except HeaderError:
        workbook.close()
        raise
    estimate = max(0, (sheet.max_row or 1) - 1)

    return Table(columns, ignored, estimate, False, enumerate(values, start=2), workbook.close)


def open_table(path: Path, fmt: str) -> Table:
    return _open_xlsx(path) if fmt == "xlsx" else _open_csv(path)
