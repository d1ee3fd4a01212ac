"""NIK and No. KK numbers that follow the Dukcapil structure.

NIK: district code (PP KK CC, six digits) + date of birth DDMMYY, with 40 added to the
day for women + a four-digit serial. No. KK: district code + the card's issue date DDMMYY
+ a four-digit serial. Serials are handed out in order per prefix, skipping numbers
already taken, so a run is deterministic and never collides with existing records.
"""

import datetime


def district_digits(region_code: str) -> str:
    """ "32.04.05.2001" -> "320405" (the district part of any region code at district level or below)."""
    parts = region_code.split(".")
    if len(parts) < 3:
        raise ValueError(f"{region_code!r} is not a district or village code")
    return "".join(parts[:3])


def nik_date_part(birth_date: datetime.date, sex: str) -> str:
    day = birth_date.day + (40 if sex == "F" else 0)
    return f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"


class SerialBook:
    """Hands out unused 16-digit numbers per 12-digit prefix, in order."""

    def __init__(self, taken: set[str] | None = None):
        self.taken: set[str] = set(taken or ())
        self._next: dict[str, int] = {}

    def issue(self, prefix: str) -> str | None:
        # Registers hand out serials in order; start each prefix somewhere in the first few dozen.
        serial = self._next.get(prefix) or 1 + int(prefix) % 37
        while serial <= 9999:
            number = f"{prefix}{serial:04d}"
            serial += 1
            if number not in self.taken:
                self.taken.add(number)
                self._next[prefix] = serial
                return number
        self._next[prefix] = serial
        return None


def make_nik(book: SerialBook, *, district_code: str, birth_date: datetime.date, sex: str) -> str | None:
    return book.issue(district_digits(district_code) + nik_date_part(birth_date, sex))


def make_no_kk(book: SerialBook, *, district_code: str, issued_on: datetime.date) -> str | None:
    date_part = f"{issued_on.day:02d}{issued_on.month:02d}{issued_on.year % 100:02d}"
    return book.issue(district_digits(district_code) + date_part)
