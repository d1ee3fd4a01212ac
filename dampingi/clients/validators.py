"""Checks of Indonesian identity numbers: NIK (national ID) and No. KK (family card).

NIK = district code (PP KK CC, 6 digits) + birth date DDMMYY (women: DD + 40) + 4-digit
serial; no checksum. No. KK = 16 digits with the same district prefix.

The functions are pure: they take the number (and what else is known about the person)
and return a list of `Problem`s, each with a stable code and its own translated message,
so that forms, the bulk importer and the tests use the same rules. The set of known
province codes can be passed in (the importer loads it once); when it is not, it is
read from the Region table.
"""

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dampingi.regions.models import Region

ID_LENGTH = 16

MESSAGES: dict[str, Promise] = {
    "nik_not_digits": _("A NIK contains only digits (0–9)."),
    "nik_length": _("A NIK has exactly 16 digits; this one has %(count)d."),
    "nik_unknown_province": _("A NIK starts with a province code, but %(code)s is not a province code."),
    "nik_impossible_date": _(
        "Digits 7 to 12 of a NIK are the date of birth as DDMMYY (women add 40 to the day); "
        "%(digits)s is not a possible date."
    ),
    "nik_birth_date_mismatch": _(
        "The NIK gives the date of birth %(nik_date)s, but the date of birth entered is %(birth_date)s."
    ),
    "nik_sex_mismatch_female": _(
        "The NIK is a woman's (40 is added to the day of birth), but the sex entered is male."
    ),
    "nik_sex_mismatch_male": _("The NIK is a man's (the day of birth has no 40 added), but the sex entered is female."),
    "nik_district_mismatch": _(
        "The NIK was issued in %(nik_district)s, but the address is in %(address_district)s. "
        "This is allowed (people move); check that both are right."
    ),
    "kk_not_digits": _("A family card number contains only digits (0–9)."),
    "kk_length": _("A family card number has exactly 16 digits; this one has %(count)d."),
    "kk_unknown_province": _("A family card number starts with a province code, but %(code)s is not a province code."),
}


@dataclass(frozen=True)
class Problem:
    """One finding about an identity number: a stable code and the parameters of its message."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code]) % self.params if self.params else str(MESSAGES[self.code])

    def as_validation_error(self) -> ValidationError:
        return ValidationError(MESSAGES[self.code], code=self.code, params=self.params or None)


@dataclass(frozen=True)
class NikFacts:
    """What a well-formed NIK says about its holder."""

    district_code: str  # "32.04.05"
    day: int  # the day of the month, without the 40 added for women
    month: int
    year_2: int  # two-digit year
    female: bool

    def matches(self, birth_date: datetime.date) -> bool:
        return (self.day, self.month, self.year_2) == (birth_date.day, birth_date.month, birth_date.year % 100)

    def label(self) -> str:
        return f"{self.day:02d}-{self.month:02d}-{self.year_2:02d}"


def province_codes() -> set[str]:
    return set(Region.objects.filter(level=Region.Level.PROVINCE).values_list("code", flat=True))


def normalise_id_number(value: str | None) -> str:
    """Drop the spaces people type between groups of digits ("3204 0552 0314 0001")."""
    return "".join((value or "").split())


def _possible_date(day: int, month: int, year_2: int) -> bool:
    """A real calendar date, not in the future, in this century or the last."""
    today = timezone.localdate()
    for century in (2000, 1900):
        try:
            if datetime.date(century + year_2, month, day) <= today:
                return True
        except ValueError:
            continue
    return False


def nik_facts(nik: str) -> NikFacts | None:
    """The district, date and sex a NIK encodes, or None if it is malformed or the date impossible."""
    nik = normalise_id_number(nik)
    if len(nik) != ID_LENGTH or not nik.isascii() or not nik.isdigit():
        return None
    raw_day, month, year_2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    female = raw_day > 40
    day = raw_day - 40 if female else raw_day
    if not _possible_date(day, month, year_2):
        return None
    return NikFacts(Region.nik_prefix_to_code(nik[:6]), day, month, year_2, female)


def _format_problems(value: str, prefix: str, provinces: Collection[str] | None) -> list[Problem]:
    if not value.isascii() or not value.isdigit():
        return [Problem(f"{prefix}_not_digits")]
    if len(value) != ID_LENGTH:
        return [Problem(f"{prefix}_length", {"count": len(value)})]
    known = provinces if provinces is not None else province_codes()
    if value[:2] not in known:
        return [Problem(f"{prefix}_unknown_province", {"code": value[:2]})]
    return []


def nik_problems(
    nik: str,
    *,
    birth_date: datetime.date | None = None,
    sex: str | None = None,
    provinces: Collection[str] | None = None,
) -> list[Problem]:
    """Everything wrong with `nik` for a person with this birth date and sex ("M"/"F"), if known.

    Returns [] for a good NIK. Format problems (digits, length) stop the checks; an unknown
    province and an impossible date are both reported; agreement with the birth date and
    the sex is checked only when the NIK's date is possible.
    """
    nik = normalise_id_number(nik)
    problems = _format_problems(nik, "nik", provinces)
    if problems and problems[0].code != "nik_unknown_province":
        return problems
    facts = nik_facts(nik)
    if facts is None:
        problems.append(Problem("nik_impossible_date", {"digits": nik[6:12]}))
        return problems
    if birth_date is not None and not facts.matches(birth_date):
        problems.append(
            Problem(
                "nik_birth_date_mismatch",
                {"nik_date": facts.label(), "birth_date": birth_date.strftime("%d-%m-%Y")},
            )
        )
    if sex == "M" and facts.female:
        problems.append(Problem("nik_sex_mismatch_female"))
    elif sex == "F" and not facts.female:
        problems.append(Problem("nik_sex_mismatch_male"))
    return problems


def nik_district_warning(nik: str, region: Region | None) -> Problem | None:
    """A warning (never an error) when the NIK's district differs from the address region's.

    Compares down to the district, or as far as the address region goes (a regency-level
    address is compared with the NIK's regency). Returns None when they agree or cannot
    be compared.
    """
    facts = nik_facts(nik)
    if facts is None or region is None:
        return None
    nik_parts = facts.district_code.split(".")
    address_parts = region.code.split(".")[:3]
    depth = len(address_parts)
    if nik_parts[:depth] == address_parts:
        return None
    nik_code = ".".join(nik_parts[:depth])
    address_code = ".".join(address_parts)
    names = dict(Region.objects.filter(code__in=[nik_code, address_code]).values_list("code", "name"))
    return Problem(
        "nik_district_mismatch",
        {
            "nik_district": names.get(nik_code, nik_code),
            "address_district": names.get(address_code, address_code),
        },
    )


def no_kk_problems(no_kk: str, *, provinces: Collection[str] | None = None) -> list[Problem]:
    """Everything wrong with a family card number: digits, length, province prefix."""
    return _format_problems(normalise_id_number(no_kk), "kk", provinces)


def validate_nik(value: str) -> None:
    """Django validator for a NIK on its own (no birth date or sex to compare with)."""
    problems = nik_problems(value)
    if problems:
        raise ValidationError([p.as_validation_error() for p in problems])


def validate_no_kk(value: str) -> None:
    """Django validator for a family card number."""
    problems = no_kk_problems(value)
    if problems:
        raise ValidationError([p.as_validation_error() for p in problems])
