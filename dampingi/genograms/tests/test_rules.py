from dampingi.genograms import rules
from dampingi.genograms.tests.helpers import family


def _validate(**changes):
    return rules.validate(**family(**changes))


def test_the_sample_family_is_accepted_with_three_generations():
    rows = family()
    assert rules.validate(**rows) == {}
    assert rules.generation_count(rows["people"], rows["unions"], rows["children"]) == 3
    assert rules.warnings(rows["people"], rows["unions"], rows["children"]) == []


def test_child_born_before_parent_is_refused():
    rows = family()
    rows["people"][2]["birth_year"] = 1940  # Asep before his mother Enok (1950)
    errors = rules.validate(**rows)
    assert any("born before their parent" in m for m in errors["children-0-child"])


def test_parent_younger_than_twelve_is_refused():
    rows = family()
    rows["people"][2]["birth_year"] = 1958  # Enok would be 8
    errors = rules.validate(**rows)
    assert any("younger than 12" in m for m in errors["children-0-child"])


def test_own_ancestor_is_refused():
    rows = family()
    rows["children"].append({"union": "U2", "child": "P2", "kind": "biological", "twin_group": ""})
    rows["people"][1]["birth_year"] = None
    errors = rules.validate(**rows)
    assert any("own ancestor" in m for m in errors["children-6-child"])


def test_own_ancestor_through_adoption_is_refused():
    rows = family()
    rows["people"][0]["birth_year"] = None
    rows["children"].append({"union": "U3", "child": "P1", "kind": "adopted", "twin_group": ""})
    errors = rules.validate(**rows)
    assert any("own ancestor" in m for m in errors["children-6-child"])


def test_person_partnered_with_themselves_is_refused():
    rows = family()
    rows["unions"][0]["partner_b"] = "P2"
    assert "partnered with themselves" in rules.validate(**rows)["unions-0-partner_b"][0]


def test_death_before_birth_is_refused():
    rows = family()
    rows["people"][1]["death_year"] = 1940
    assert "before the year of birth" in rules.validate(**rows)["people-1-death_year"][0]


def test_exactly_one_index_person():
    rows = family()
    rows["people"][8]["is_index"] = False
    assert "index person" in rules.validate(**rows)["people"][0]
    rows = family()
    rows["people"][0]["is_index"] = True
    assert "Only one" in rules.validate(**rows)["people-8-is_index"][0]


def test_unknown_keys_are_refused():
    rows = family()
    rows["unions"][0]["partner_a"] = "P99"
    rows["children"][0]["union"] = "U9"
    rows["relations"][0]["person_b"] = "P42"
    errors = rules.validate(**rows)
    assert "unions-0-partner_a" in errors
    assert "children-0-union" in errors
    assert "relations-0-person_b" in errors


def test_fewer_than_three_generations_is_only_a_warning():
    rows = family(
        children=[{"union": "U3", "child": "P8", "kind": "biological", "twin_group": ""}],
    )
    rows["people"][8]["is_index"] = True
    assert rules.validate(**rows) == {}
    assert rules.generation_count(rows["people"], rows["unions"], rows["children"]) == 2
    assert "Only 2 generations drawn" in rules.warnings(rows["people"], rows["unions"], rows["children"])[0]
