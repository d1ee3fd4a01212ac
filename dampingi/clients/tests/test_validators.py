import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dampingi.clients.validators import (
    MESSAGES,
    nik_district_warning,
    nik_facts,
    nik_problems,
    no_kk_problems,
    validate_nik,
    validate_no_kk,
)
from dampingi.regions.models import Region
from dampingi.testing.clients import NIK_RIZKI, NIK_SITI, RIZKI_BIRTH, SITI_BIRTH


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def codes(problems):
    return [p.code for p in problems]


def test_valid_female_nik_with_forty_added_to_the_day_passes():
    assert nik_problems(NIK_SITI, birth_date=SITI_BIRTH, sex="F") == []


def test_valid_male_nik_passes():
    assert nik_problems(NIK_RIZKI, birth_date=RIZKI_BIRTH, sex="M") == []


def test_nik_decodes_district_date_and_sex():
    facts = nik_facts(NIK_SITI)
    assert (facts.district_code, facts.day, facts.month, facts.year_2, facts.female) == ("32.04.05", 12, 3, 14, True)


def test_spaces_between_digit_groups_are_accepted():
    assert nik_problems("3204 0552 0314 0001", birth_date=SITI_BIRTH, sex="F") == []


def test_letters_give_the_not_digits_message():
    problems = nik_problems("32040552031400O1")
    assert codes(problems) == ["nik_not_digits"]
    assert problems[0].message == "A NIK contains only digits (0–9)."


def test_wrong_length_gives_the_length_message_with_the_count():
    problems = nik_problems("320405520314")
    assert codes(problems) == ["nik_length"]
    assert "this one has 12" in problems[0].message


def test_unknown_province_gives_its_own_message():
    problems = nik_problems("9904055203140001")
    assert codes(problems) == ["nik_unknown_province"]
    assert "99" in problems[0].message


@pytest.mark.parametrize(
    "date_digits",
    [
        "320314",  # day 32
        "721314",  # a woman's day 32 (72 - 40)
        "121314",  # month 13
        "000314",  # day 0
        "290201",  # 29 February 1901/2001: not leap years
        "400314",  # day 40: neither a man's nor a woman's day
    ],
)
def test_impossible_birth_date_gives_its_own_message(date_digits):
    problems = nik_problems(f"320405{date_digits}0001")
    assert codes(problems) == ["nik_impossible_date"]
    assert date_digits in problems[0].message


def test_leap_day_is_possible():
    assert nik_problems("3204056902000001", sex="F", birth_date=datetime.date(2000, 2, 29)) == []


def test_birth_date_that_disagrees_gives_the_mismatch_message():
    problems = nik_problems(NIK_SITI, birth_date=datetime.date(2014, 3, 13), sex="F")
    assert codes(problems) == ["nik_birth_date_mismatch"]
    assert "12-03-14" in problems[0].message and "13-03-2014" in problems[0].message


def test_birth_year_is_compared_by_its_last_two_digits():
    assert codes(nik_problems(NIK_SITI, birth_date=datetime.date(2013, 3, 12))) == ["nik_birth_date_mismatch"]
    # A NIK holds two digits of the year only: it cannot tell 1914 from 2014.
    assert nik_problems(NIK_SITI, birth_date=datetime.date(1914, 3, 12)) == []


def test_womans_nik_for_a_man_gives_the_sex_mismatch_message():
    problems = nik_problems(NIK_SITI, birth_date=SITI_BIRTH, sex="M")
    assert codes(problems) == ["nik_sex_mismatch_female"]


def test_mans_nik_for_a_woman_gives_the_sex_mismatch_message():
    problems = nik_problems(NIK_RIZKI, birth_date=RIZKI_BIRTH, sex="F")
    assert codes(problems) == ["nik_sex_mismatch_male"]


def test_both_mismatches_are_reported():
    problems = nik_problems(NIK_SITI, birth_date=datetime.date(2015, 3, 12), sex="M")
    assert codes(problems) == ["nik_birth_date_mismatch", "nik_sex_mismatch_female"]


def test_every_failure_has_its_own_message():
    failures = [
        nik_problems("abc"),
        nik_problems("320405"),
        nik_problems("9904055203140001"),
        nik_problems("3204053203140001"),
        nik_problems(NIK_SITI, birth_date=datetime.date(2014, 3, 13)),
        nik_problems(NIK_SITI, sex="M"),
        nik_problems(NIK_RIZKI, sex="F"),
    ]
    messages = [problems[0].message for problems in failures]
    assert all(len(problems) == 1 for problems in failures)
    assert len(set(messages)) == len(messages)


def test_known_provinces_can_be_passed_in_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert nik_problems(NIK_SITI, provinces={"32"}) == []
        assert codes(nik_problems(NIK_SITI, provinces={"33"})) == ["nik_unknown_province"]


def test_django_validator_raises_with_the_code():
    with pytest.raises(ValidationError) as info:
        validate_nik("1234")
    assert info.value.error_list[0].code == "nik_length"
    validate_nik(NIK_SITI)


def test_district_mismatch_with_the_address_is_only_a_warning():
    majalaya = Region.objects.get(code="32.04.33")
    warning = nik_district_warning(NIK_SITI, majalaya)
    assert warning.code == "nik_district_mismatch"
    assert "Cileunyi" in warning.message and "Majalaya" in warning.message
    # The NIK itself stays valid: the warning is not among its problems.
    assert nik_problems(NIK_SITI, birth_date=SITI_BIRTH, sex="F") == []


def test_district_warning_compares_across_regencies():
    warning = nik_district_warning(NIK_SITI, Region.objects.get(code="32.73.01.1001"))
    assert "Cileunyi" in warning.message and "Sukasari" in warning.message


@pytest.mark.parametrize("code", ["32.04.05", "32.04.05.2001", "32.04", "32"])
def test_no_district_warning_when_the_address_is_in_the_nik_district(code):
    assert nik_district_warning(NIK_SITI, Region.objects.get(code=code)) is None


def test_no_district_warning_without_address_or_valid_nik():
    assert nik_district_warning(NIK_SITI, None) is None
    assert nik_district_warning("123", Region.objects.get(code="32.04.33")) is None


def test_family_card_number_rules_each_have_their_own_message():
    assert no_kk_problems("3204051203100007") == []
    failures = [no_kk_problems("32040512031000x7"), no_kk_problems("32040512"), no_kk_problems("9904051203100007")]
    assert [codes(f) for f in failures] == [["kk_not_digits"], ["kk_length"], ["kk_unknown_province"]]
    messages = {f[0].message for f in failures}
    assert len(messages) == 3
    assert not messages & {str(m) for m in MESSAGES.values() if "NIK" in str(m)}


def test_family_card_validator_raises_with_the_code():
    with pytest.raises(ValidationError) as info:
        validate_no_kk("9904051203100007")
    assert info.value.error_list[0].code == "kk_unknown_province"
