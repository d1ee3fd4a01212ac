"""Checking one row of a register: what is wrong with it, or the clean values to import.

`RowChecker.check(line, cells)` returns `(row, problems)`: a `GoodRow` when nothing is wrong,
else None and a list of `(field, reason)` with translated reasons. NIK and No. KK rules are
those of dampingi.clients.validators (the same as the registration form). The checker loads
the reference data once (provinces, region codes, PPKS categories) and remembers the NIKs it
has seen, so that a NIK given twice in one file is reported on its second line.

Accepted values (documented for users on the upload page):
- sex: L/P, M/F, Laki-laki/Perempuan, Male/Female, 1/2 (DTKS); empty = taken from the NIK;
- date of birth: YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY (or DD.MM.YYYY), or an Excel date cell;
- region code: a district or village code, with dots ("32.04.05.2001") or without
  ("3204052001", "320405"); province and regency codes are refused (too coarse);
- PPKS: the category code ("lansia") or number ("26"), several separated by commas;
- relationship (optional column, SHDK): codes 1–11 or words (kepala keluarga, istri, anak, …).

Speed (a million rows): `RowChecker.fast(line, cells)` is a second, much cheaper check for the
common case. It answers only "certainly good" — with the row already encoded as a line of
PostgreSQL COPY text — or None ("not sure"), and the caller then runs `check()`, which finds
and words every problem. So `fast` needs no messages and cannot change them: it accepts a row
only when `check()` would accept it with the same values (tests/test_fast.py compares both).
The reference data is a picklable `Reference`, so that worker processes (dampingi.imports.
parallel) check rows without a database connection.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from dampingi.clients.matching import name_key
from dampingi.clients.models import PPKS_VERSION, Membership, Person, PPKSCategory, Sex
from dampingi.clients.services import FAMILY_NAME_PREFIX, family_default_name
from dampingi.clients.validators import nik_facts, nik_problems, no_kk_problems, province_codes
from dampingi.regions.models import Region

Relationship = Membership.Relationship

SEXES = {
    "l": Sex.MALE,
    "lk": Sex.MALE,
    "laki-laki": Sex.MALE,
    "laki laki": Sex.MALE,
    "laki": Sex.MALE,
    "pria": Sex.MALE,
    "m": Sex.MALE,
    "male": Sex.MALE,
    "1": Sex.MALE,
    "p": Sex.FEMALE,
    "pr": Sex.FEMALE,
    "perempuan": Sex.FEMALE,
    "wanita": Sex.FEMALE,
    "f": Sex.FEMALE,
    "female": Sex.FEMALE,
    "2": Sex.FEMALE,
}

# SHDK (status hubungan dalam keluarga) as Dukcapil numbers it, and in words.
RELATIONSHIPS = {
    "1": Relationship.HEAD,
    "kepala keluarga": Relationship.HEAD,
    "kepala": Relationship.HEAD,
    "head": Relationship.HEAD,
    "head of household": Relationship.HEAD,
    "2": Relationship.SPOUSE,
    "3": Relationship.SPOUSE,
    "suami": Relationship.SPOUSE,
    "istri": Relationship.SPOUSE,
    "isteri": Relationship.SPOUSE,
    "suami/istri": Relationship.SPOUSE,
    "spouse": Relationship.SPOUSE,
    "4": Relationship.CHILD,
    "anak": Relationship.CHILD,
    "child": Relationship.CHILD,
    "5": Relationship.CHILD_IN_LAW,
    "menantu": Relationship.CHILD_IN_LAW,
    "6": Relationship.GRANDCHILD,
    "cucu": Relationship.GRANDCHILD,
    "grandchild": Relationship.GRANDCHILD,
    "7": Relationship.PARENT,
    "orang tua": Relationship.PARENT,
    "orangtua": Relationship.PARENT,
    "ayah": Relationship.PARENT,
    "ibu": Relationship.PARENT,
    "parent": Relationship.PARENT,
    "8": Relationship.PARENT_IN_LAW,
    "mertua": Relationship.PARENT_IN_LAW,
    "9": Relationship.OTHER_RELATIVE,
    "famili lain": Relationship.OTHER_RELATIVE,
    "relative": Relationship.OTHER_RELATIVE,
    "10": Relationship.OTHER,
    "11": Relationship.OTHER,
    "pembantu": Relationship.OTHER,
    "lainnya": Relationship.OTHER,
    "other": Relationship.OTHER,
}

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_PPKS_SEPARATORS = re.compile(r"[,|+\s]+")
_FAMILY_KEY_PREFIX = name_key(FAMILY_NAME_PREFIX)
_NAME_MAX = Person._meta.get_field("full_name").max_length
_ADDRESS_MAX = Person._meta.get_field("address").max_length


@dataclass(slots=True)
class GoodRow:
    line: int
    nik: str
    no_kk: str
    full_name: str
    name_key: str
    sex: str
    birth_date: datetime.date | None
    address: str
    region_id: str | None
    ppks: str  # PPKS category ids, comma separated ("" for none)
    relationship: str  # "" when the file does not say
    family_name: str  # "Keluarga <name>" (used when this row heads a new family)
    family_name_key: str

    def as_tuple(self) -> tuple:
        return (
            self.line,
            self.nik,
            self.no_kk,
            self.full_name,
            self.name_key,
            self.sex,
            self.birth_date,
            self.address,
            self.region_id,
            self.ppks,
            self.relationship,
            self.family_name,
            self.family_name_key,
        )


def duplicate_nik_problem(first_line: int) -> tuple[str, str]:
    return ("nik", _("The same NIK is already on line %(line)d.") % {"line": first_line})


def copy_text(value: str) -> str:
    """A text value for PostgreSQL COPY text format: backslash, tab, newline and CR escaped."""
    if "\\" in value:
        value = value.replace("\\", "\\\\")
    if "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def copy_line(values: tuple) -> str:
    """One staging row (GoodRow.as_tuple()) as a line of COPY text."""
    out = []
    for value in values:
        if value is None:
            out.append("\\N")
        elif isinstance(value, str):
            out.append(copy_text(value))
        elif isinstance(value, datetime.date):
            out.append(value.isoformat())
        else:
            out.append(str(value))
    return "\t".join(out) + "\n"


def text(value: Any) -> str:
    """A cell as text: numbers without ".0" (Excel stores NIKs as numbers), stripped."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return str(value).strip()


def id_number(value: Any) -> str:
    """NIK / No. KK as typed: without spaces, and without the leading ' Excel users type to keep digits."""
    return "".join(text(value).lstrip("'").split())


def region_code(value: str) -> str:
    """ "3204052001" -> "32.04.05.2001", "320405" -> "32.04.05"; a code with dots is kept."""
    value = value.strip()
    if value.isdigit() and len(value) in (2, 4, 6, 10):
        parts = [value[0:2], value[2:4], value[4:6], value[6:10]]
        return ".".join(p for p in parts if p)
    return value


@dataclass(frozen=True)
class Reference:
    """What checking a row needs from the database, loaded once (and sent to worker processes)."""

    today: datetime.date
    provinces: frozenset[str]
    region_levels: dict[str, int] = field(hash=False)
    ppks: dict[str, int] = field(hash=False)  # category slug (casefolded) and number -> id

    @classmethod
    def load(cls) -> "Reference":
        ppks: dict[str, int] = {}
        for pk, slug, number in PPKSCategory.objects.filter(version=PPKS_VERSION, active=True).values_list(
            "pk", "slug", "number"
        ):
            ppks[slug.casefold()] = pk
            ppks[str(number)] = pk
        return cls(
            today=timezone.localdate(),
            provinces=frozenset(province_codes()),
            region_levels=dict(Region.objects.values_list("code", "level")),
            ppks=ppks,
        )


class RowChecker:
    """Checks rows one by one. `track_duplicates=False` leaves the "same NIK twice" check to the
    caller (worker processes see only part of the file; see dampingi.imports.parallel)."""

    def __init__(self, reference: Reference | None = None, *, track_duplicates: bool = True):
        reference = reference or Reference.load()
        self.reference = reference
        self.today = reference.today
        self.provinces = reference.provinces
        self.region_levels = reference.region_levels
        self.ppks = reference.ppks
        self.ppks_example = next(iter(self.ppks), "")
        self.track_duplicates = track_duplicates
        self.seen_nik: dict[str, int] = {}
        self._word_keys: dict[str, str] = {}
        self._nik_checks: dict[tuple, list] = {}
        self._dates: dict[str, datetime.date | None] = {}
        self._ppks_cache: dict[str, tuple[str, list[str]]] = {}
        self.fast: Callable[[int, list[Any]], str | None] = self._build_fast()

    # --- single values --------------------------------------------------------------------

    def parse_date(self, value: Any) -> tuple[datetime.date | None, bool]:
        """(date, ok): (None, True) for an empty cell, (None, False) for a value that is no date."""
        if value is None or value == "":
            return None, True
        if isinstance(value, datetime.datetime):
            return value.date(), True
        if isinstance(value, datetime.date):
            return value, True
        raw = str(value).strip()
        if not raw:
            return None, True
        if raw in self._dates:
            parsed = self._dates[raw]
            return parsed, parsed is not None
        parsed = None
        candidate = raw.split(" ")[0].split("T")[0]  # "1990-01-31 00:00:00" from spreadsheet exports
        match = _ISO_DATE.match(candidate)
        parts = (int(match[1]), int(match[2]), int(match[3])) if match else None
        if parts is None:
            match = _DMY_DATE.match(candidate)
            parts = (int(match[3]), int(match[2]), int(match[1])) if match else None
        if parts is not None:
            try:
                parsed = datetime.date(*parts)
            except ValueError:
                parsed = None
        self._dates[raw] = parsed
        return parsed, parsed is not None

    def parse_ppks(self, value: str) -> tuple[str, list[str]]:
        """(ids joined by commas, unknown tokens)."""
        cached = self._ppks_cache.get(value)
        if cached is None:
            ids, unknown = [], []
            for token in _PPKS_SEPARATORS.split(value.strip()):
                if not token:
                    continue
                pk = self.ppks.get(token.casefold().lstrip("0") if token.isdigit() else token.casefold())
                if pk is None:
                    unknown.append(token)
                elif str(pk) not in ids:
                    ids.append(str(pk))
            cached = (",".join(ids), unknown)
            self._ppks_cache[value] = cached
        return cached

    def name_key(self, name: str) -> str:
        """matching.name_key(name), word by word with a cache (the same result: name_key works per word)."""
        keys = []
        for word in name.split():
            key = self._word_keys.get(word)
            if key is None:
                key = self._word_keys[word] = name_key(word)
            if key:
                keys.append(key)
        return " ".join(keys)

    def nik_problems(self, nik: str, birth_date: datetime.date | None, sex: str) -> list:
        """validators.nik_problems, cached: for a 16-digit NIK the findings depend only on the province
        digits, the date digits, the birth date and the sex."""
        if len(nik) != 16 or not nik.isascii() or not nik.isdigit():
            return nik_problems(nik, birth_date=birth_date, sex=sex or None, provinces=self.provinces)
        key = (nik[:2], nik[6:12], birth_date, sex)
        problems = self._nik_checks.get(key)
        if problems is None:
            problems = nik_problems(nik, birth_date=birth_date, sex=sex or None, provinces=self.provinces)
            self._nik_checks[key] = problems
        return problems

    # --- the fast path --------------------------------------------------------------------

    def _build_fast(self) -> Callable[[int, list[Any]], str | None]:
        """The function behind `self.fast`: a closure, so that its caches and constants are local
        variables. Each cache maps a raw cell to what `check()` would make of it, or to None when
        `check()` would find a problem (the row then goes to `check()`, which words it)."""
        today = self.today
        provinces = self.provinces
        region_levels = self.region_levels
        seen = self.seen_nik
        track = self.track_duplicates
        district = Region.Level.DISTRICT
        name_max, address_max = _NAME_MAX, _ADDRESS_MAX
        family_key_prefix = _FAMILY_KEY_PREFIX
        family_short = _NAME_MAX - len(FAMILY_NAME_PREFIX) - 1
        female_sex, male_sex = str(Sex.FEMALE), str(Sex.MALE)
        word_key = self.name_key
        sexes: dict[str, str | None] = {}
        dates: dict[str, tuple | None] = {}
        nik_dates: dict[str, tuple | None] = {}
        regions: dict[str, str | None] = {}
        ppks_ids: dict[str, str | None] = {}
        relationships: dict[str, str | None] = {}

        def sex_of(raw: str) -> str | None:
            value = raw.strip()
            found = str(SEXES[value.casefold()]) if value.casefold() in SEXES else None
            sexes[raw] = "" if not value else found
            return sexes[raw]

        def date_of(raw: str) -> tuple | None:
            parsed, ok = self.parse_date(raw)
            if not ok or (parsed is not None and parsed > today):
                dates[raw] = None
            elif parsed is None:
                dates[raw] = (None, "\\N")
            else:
                dates[raw] = (parsed, parsed.isoformat())
            return dates[raw]

        def nik_date_of(digits: str) -> tuple | None:
            # validators.nik_facts: a real date, not after today, in this century or the last.
            raw_day, month, year_2 = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
            female = raw_day > 40
            day = raw_day - 40 if female else raw_day
            possible = False
            for century in (2000, 1900):
                try:
                    if datetime.date(century + year_2, month, day) <= today:
                        possible = True
                        break
                except ValueError:
                    continue
            nik_dates[digits] = (day, month, year_2, female) if possible else None
            return nik_dates[digits]

        def region_of(raw: str) -> str | None:
            value = raw.strip()
            if not value:
                regions[raw] = "\\N"
            else:
                code = region_code(value)
                level = region_levels.get(code)
                regions[raw] = code if level is not None and level >= district else None
            return regions[raw]

        def ppks_of(raw: str) -> str | None:
            value = raw.strip()
            if not value:
                ppks_ids[raw] = ""
            else:
                ids, unknown = self.parse_ppks(value)
                ppks_ids[raw] = None if unknown else ids
            return ppks_ids[raw]

        def relationship_of(raw: str) -> str | None:
            value = raw.strip()
            found = RELATIONSHIPS.get(" ".join(value.casefold().split())) if value else ""
            relationships[raw] = str(found) if found else ("" if not value else None)
            return relationships[raw]

        def fast(line: int, cells: list[Any]) -> str | None:
            raw_nik, raw_kk, raw_name, raw_sex, raw_birth, raw_address, raw_region, raw_ppks, raw_rel = cells
            if raw_name is None or raw_nik is None:
                return None
            name = " ".join(raw_name.split())
            if not name or len(name) > name_max:
                return None

            if raw_sex is None:
                sex = ""
            else:
                sex = sexes[raw_sex] if raw_sex in sexes else sex_of(raw_sex)
                if sex is None:
                    return None

            if raw_birth is None:
                birth = None
                birth_text = "\\N"
            else:
                found = dates[raw_birth] if raw_birth in dates else date_of(raw_birth)
                if found is None:
                    return None
                birth, birth_text = found

            nik = raw_nik
            if len(nik) != 16 or not nik.isdigit() or not nik.isascii():
                nik = id_number(raw_nik)
                if len(nik) != 16 or not nik.isdigit() or not nik.isascii():
                    return None
            if nik[:2] not in provinces:
                return None
            digits = nik[6:12]
            facts = nik_dates[digits] if digits in nik_dates else nik_date_of(digits)
            if facts is None:
                return None
            day, month, year_2, female = facts
            if birth is not None and (birth.day != day or birth.month != month or birth.year % 100 != year_2):
                return None
            if sex:
                if (sex == female_sex) != female:
                    return None
            else:
                sex = female_sex if female else male_sex
            if track and nik in seen:
                return None

            if raw_kk is None:
                no_kk = ""
            else:
                no_kk = raw_kk if len(raw_kk) == 16 and raw_kk.isdigit() and raw_kk.isascii() else id_number(raw_kk)
                if no_kk and (
                    len(no_kk) != 16 or not no_kk.isdigit() or not no_kk.isascii() or no_kk[:2] not in provinces
                ):
                    return None

            if raw_address is None:
                address = ""
            else:
                address = " ".join(raw_address.split())
                if len(address) > address_max:
                    return None
                if "\\" in address:
                    address = address.replace("\\", "\\\\")

            if raw_region is None:
                region = "\\N"
            else:
                region = regions[raw_region] if raw_region in regions else region_of(raw_region)
                if region is None:
                    return None

            if raw_ppks is None:
                ppks = ""
            else:
                ppks = ppks_ids[raw_ppks] if raw_ppks in ppks_ids else ppks_of(raw_ppks)
                if ppks is None:
                    return None

            relationship = ""
            if raw_rel is not None and no_kk:
                relationship = relationships[raw_rel] if raw_rel in relationships else relationship_of(raw_rel)
                if relationship is None:
                    return None

            key = word_key(name)[:255]
            if no_kk:
                family_name = family_default_name(name)
                if len(name) <= family_short:
                    family_key = f"{family_key_prefix} {key}".strip()[:255]
                else:
                    family_key = name_key(family_name)[:255]
                if "\\" in family_name:
                    family_name = family_name.replace("\\", "\\\\")
            else:
                family_name = family_key = ""
            if "\\" in name:
                name = name.replace("\\", "\\\\")
            if track:
                seen[nik] = line
            return (
                f"{line}\t{nik}\t{no_kk}\t{name}\t{key}\t{sex}\t{birth_text}\t{address}\t{region}\t{ppks}\t"
                f"{relationship}\t{family_name}\t{family_key}\n"
            )

        return fast

    # --- a row ----------------------------------------------------------------------------

    def check(self, line: int, cells: list[Any]) -> tuple[GoodRow | None, list[tuple[str, str]]]:
        good, problems, _nik, _dup_at = self.check_row(line, cells)
        return good, problems

    def check_row(self, line: int, cells: list[Any]) -> tuple[GoodRow | None, list[tuple[str, str]], str, int]:
        """(good row or None, problems, the row's NIK as read ("" if none), where in `problems` the
        "same NIK twice" problem goes). Without duplicate tracking, a caller that finds the NIK on an
        earlier line inserts `duplicate_nik_problem(first_line)` at that index (and the row is bad)."""
        raw_nik, raw_kk, raw_name, raw_sex, raw_birth, raw_address, raw_region, raw_ppks, raw_rel = cells
        problems: list[tuple[str, str]] = []

        name = " ".join(text(raw_name).split())
        if not name:
            problems.append(("name", _("The name is missing.")))
        elif len(name) > _NAME_MAX:
            problems.append(("name", _("The name is longer than %(max)d characters.") % {"max": _NAME_MAX}))

        sex = ""
        raw_sex = text(raw_sex)
        if raw_sex:
            sex = SEXES.get(raw_sex.casefold(), "")
            if not sex:
                problems.append(
                    (
                        "sex",
                        _("%(value)s is not a sex: write L or P (or M/F, Laki-laki/Perempuan).") % {"value": raw_sex},
                    )
                )

        birth_date, ok = self.parse_date(raw_birth)
        if not ok:
            problems.append(
                (
                    "birth_date",
                    _("%(value)s is not a date: write YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY.")
                    % {"value": text(raw_birth)},
                )
            )
        elif birth_date is not None and birth_date > self.today:
            problems.append(("birth_date", _("The date of birth is in the future.")))

        nik = id_number(raw_nik)
        dup_at = -1
        if not nik:
            problems.append(("nik", _("The NIK is missing: a row is recognised by its NIK, so it cannot be imported.")))
        else:
            nik_ok = True
            for problem in self.nik_problems(nik, birth_date, sex):
                problems.append(("nik", problem.message))
                nik_ok = False
            dup_at = len(problems)
            if self.track_duplicates:
                first_line = self.seen_nik.get(nik)
                if first_line is not None:
                    problems.append(duplicate_nik_problem(first_line))
                else:
                    self.seen_nik[nik] = line
            if nik_ok and not sex:
                sex = Sex.FEMALE if nik_facts(nik).female else Sex.MALE

        no_kk = id_number(raw_kk)
        if no_kk:
            for problem in no_kk_problems(no_kk, provinces=self.provinces):
                problems.append(("no_kk", problem.message))

        address = " ".join(text(raw_address).split())
        if len(address) > _ADDRESS_MAX:
            problems.append(("address", _("The address is longer than %(max)d characters.") % {"max": _ADDRESS_MAX}))

        region_id = None
        raw_region = text(raw_region)
        if raw_region:
            code = region_code(raw_region)
            level = self.region_levels.get(code)
            if level is None:
                problems.append(("region", _("%(code)s is not a known region code.") % {"code": raw_region}))
            elif level < Region.Level.DISTRICT:
                problems.append(
                    (
                        "region",
                        _("%(code)s is a province or regency; give the code of the district or village.")
                        % {"code": raw_region},
                    )
                )
            else:
                region_id = code

        ppks = ""
        raw_ppks = text(raw_ppks)
        if raw_ppks:
            ppks, unknown = self.parse_ppks(raw_ppks)
            for token in unknown:
                problems.append(
                    (
                        "ppks",
                        _("%(value)s is not a PPKS category: give its code (for example %(example)s) or its number.")
                        % {"value": token, "example": self.ppks_example},
                    )
                )

        relationship = ""
        raw_rel = text(raw_rel)
        if raw_rel and no_kk:
            relationship = RELATIONSHIPS.get(" ".join(raw_rel.casefold().split()), "")
            if not relationship:
                problems.append(
                    (
                        "relationship",
                        _(
                            "%(value)s is not a family relationship (SHDK): "
                            "write 1–11 or, e.g., kepala keluarga, istri, anak."
                        )
                        % {"value": raw_rel},
                    )
                )

        if problems:
            return None, problems, nik, dup_at
        key = self.name_key(name)[:255]
        if no_kk:
            family_name = family_default_name(name)
            if len(name) <= _NAME_MAX - len(FAMILY_NAME_PREFIX) - 1:
                family_key = f"{_FAMILY_KEY_PREFIX} {key}".strip()[:255]
            else:
                family_key = name_key(family_name)[:255]
        else:
            family_name = family_key = ""
        return (
            GoodRow(
                line,
                nik,
                no_kk,
                name,
                key,
                sex,
                birth_date,
                address,
                region_id,
                ppks,
                relationship,
                family_name,
                family_key,
            ),
            [],
            nik,
            dup_at,
        )
