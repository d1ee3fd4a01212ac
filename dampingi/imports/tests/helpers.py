"""Register files for the import tests: valid NIKs for the test regions (Cileunyi, 32.04.05)."""

import csv
import datetime
from pathlib import Path

VILLAGE = "32.04.05.2001"  # Cileunyi Kulon
DISTRICT = "32.04.05"

HEADER = ["NIK", "NO_KK", "NAMA", "JENIS_KELAMIN", "TANGGAL_LAHIR", "ALAMAT", "KODE_WILAYAH", "PPKS"]


def nik(birth: datetime.date, sex: str, serial: int, district: str = "320405") -> str:
    day = birth.day + (40 if sex == "P" else 0)
    return f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


def kk(serial: int) -> str:
    return f"3204051203150{serial:03d}"


def person_row(
    serial: int, *, sex: str = "L", birth=datetime.date(1985, 3, 14), no_kk: str = "", name: str = "", **over
):
    row = {
        "NIK": nik(birth, sex, serial),
        "NO_KK": no_kk,
        "NAMA": name or f"Orang Nomor {serial}",
        "JENIS_KELAMIN": sex,
        "TANGGAL_LAHIR": birth.strftime("%d-%m-%Y"),
        "ALAMAT": f"Jl. Cibiru No. {serial}",
        "KODE_WILAYAH": VILLAGE,
        "PPKS": "",
    }
    row.update(over)
    return row


def write_csv(path: Path, rows: list[dict], *, header=None, delimiter=";", bom=True) -> Path:
    header = header or list(rows[0].keys()) if rows else header or HEADER
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(name, "") for name in header])
    return path


def write_xlsx(path: Path, rows: list[list], header: list[str]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path
