"""The fast path of the row checks accepts exactly what the full check accepts, with the same values."""

import datetime

import pytest

from dampingi.imports.tests.helpers import VILLAGE, kk, nik
from dampingi.imports.validation import Reference, RowChecker, copy_line

BIRTH = datetime.date(1985, 3, 14)
GOOD_NIK = nik(BIRTH, "L", 1)


def cells(**over):
    """A row in reader.FIELDS order (nik, no_kk, name, sex, birth, address, region, ppks, relationship)."""
    row = {
        "nik": GOOD_NIK,
        "no_kk": "",
        "name": "Budi Santoso",
        "sex": "L",
        "birth": "14-03-1985",
        "address": "Jl. Cibiru No. 1",
        "region": VILLAGE,
        "ppks": "",
        "rel": "",
    }
    row.update(over)
    return [row[k] for k in ("nik", "no_kk", "name", "sex", "birth", "address", "region", "ppks", "rel")]


VARIANTS = [
    {},
    {"nik": f" {GOOD_NIK} "},
    {"nik": f"'{GOOD_NIK}"},
    {"nik": "3204 0514 0385 0001"},
    {"nik": "32040514038"},  # too short
    {"nik": "3204051403850001x"},
    {"nik": "٣٢٠٤٠٥١٤٠٣٨٥٠٠٠١"},  # Arabic-Indic digits: isdigit() but not ASCII
    {"nik": "9904051403850001"},  # unknown province
    {"nik": "3204053202850001"},  # 32-02: impossible date
    {"nik": ""},
    {"nik": None},
    {"sex": "P"},  # a man's NIK
    {"sex": ""},
    {"sex": None},
    {"sex": " laki-laki "},
    {"sex": "X"},
    {"birth": "1985-03-14"},
    {"birth": "14/03/1985"},
    {"birth": "14.3.1985"},
    {"birth": "1985-03-14 00:00:00"},
    {"birth": "15-03-1985"},  # differs from the NIK
    {"birth": "31-02-1985"},
    {"birth": "14-03-2085"},  # in the future (and the NIK says 85)
    {"birth": ""},
    {"birth": None},
    {"nik": nik(BIRTH, "P", 2), "sex": "", "name": "Siti"},
    {"nik": nik(BIRTH, "P", 3), "sex": "p"},
    {"no_kk": kk(1)},
    {"no_kk": " 3204 0512 0315 0001 "},
    {"no_kk": "12345"},
    {"no_kk": "9904051203150001"},
    {"no_kk": kk(1), "rel": "1"},
    {"no_kk": kk(1), "rel": "Kepala  Keluarga"},
    {"no_kk": kk(1), "rel": "istri"},
    {"no_kk": kk(1), "rel": "cousin"},
    {"no_kk": "", "rel": "cousin"},  # a relationship without No. KK is ignored
    {"name": ""},
    {"name": None},
    {"name": "  Moh.  Noor\tSOEKARNO "},
    {"name": "A\\B Back\\slash"},
    {"name": "x" * 150},
    {"name": "x" * 151},
    {"name": "Keluarga " + "y" * 140, "no_kk": kk(2)},
    {"address": "a" * 256},
    {"address": "Jl.\\Miring  No. 3"},
    {"address": ""},
    {"address": None},
    {"region": "3204052001"},
    {"region": "320405"},
    {"region": "32.04"},  # a regency: too coarse
    {"region": "32.04.05.9999"},
    {"region": ""},
    {"region": None},
    {"ppks": "lut"},
    {"ppks": "LUT, 8"},
    {"ppks": "08"},
    {"ppks": "xyz"},
    {"ppks": "lut,xyz"},
    {"ppks": None},
]


@pytest.fixture
def reference(db):
    return Reference.load()


@pytest.mark.parametrize("over", VARIANTS, ids=[repr(v)[:60] for v in VARIANTS])
def test_the_fast_path_says_good_only_with_the_full_checks_values(reference, over):
    row = cells(**over)
    fast = RowChecker(reference).fast(2, row)
    good, problems = RowChecker(reference).check(2, row)
    if fast is not None:
        assert good is not None and fast == copy_line(good.as_tuple())
    elif good is not None:
        # rarely taken: only for values the fast path does not know (none of these)
        pytest.fail(f"the fast path refused a good row: {row}")
    else:
        assert problems


def test_fast_and_full_checks_agree_on_a_whole_file_with_repeated_niks(reference):
    rows = [cells(**over) for over in VARIANTS] + [cells(**over) for over in VARIANTS[:10]]
    fast_checker, full_checker = RowChecker(reference), RowChecker(reference)
    for line, row in enumerate(rows, start=2):
        fast = fast_checker.fast(line, row)
        via_fast = (fast, []) if fast is not None else fast_checker.check(line, row)
        good, problems = full_checker.check(line, row)
        if fast is not None:
            assert fast == copy_line(good.as_tuple())
        else:
            assert via_fast[1] == problems and (via_fast[0] is None) == (good is None)
    assert fast_checker.seen_nik == full_checker.seen_nik


def test_copy_text_escapes_what_copy_reads_specially():
    line = copy_line((2, "a\\b", "tab\there", "new\nline", None, datetime.date(2020, 1, 2)))
    assert line == "2\ta\\\\b\ttab\\there\tnew\\nline\t\\N\t2020-01-02\n"
