from dampingi.instruments.definitions import CURRENT, DEFINITIONS, DIGITAL, PIE, definition, digital_v1, pie_v1


def test_every_definition_has_an_id_and_a_version():
    assert set(CURRENT) == {PIE, DIGITAL}
    for (instrument, version), module in DEFINITIONS.items():
        assert module.ID == instrument and module.VERSION == version
        assert str(module.NAME)
    assert definition("pie", "1") is pie_v1


def test_pie_has_the_role_groups_problem_types_systems_and_index_labels():
    assert set(pie_v1.ROLE_GROUPS) == {"family", "interpersonal", "occupational", "special"}
    assert len(pie_v1.ROLE_GROUPS["family"][1]) == 6
    assert len(pie_v1.ROLE_GROUPS["interpersonal"][1]) == 5
    assert len(pie_v1.ROLE_GROUPS["occupational"][1]) == 5
    assert len(pie_v1.ROLE_GROUPS["special"][1]) == 9
    assert set(pie_v1.PROBLEM_TYPES) == {
        "power", "ambivalence", "responsibility", "dependency", "loss", "isolation", "victimisation", "mixed", "other"
    }  # fmt: skip
    assert len(pie_v1.SYSTEMS) == 6
    for scale in (pie_v1.SEVERITY, pie_v1.DURATION, pie_v1.COPING):
        assert list(scale) == [1, 2, 3, 4, 5, 6]
    assert str(pie_v1.SEVERITY[6]) == "catastrophic"
    assert str(pie_v1.DURATION[1]) == "more than 5 years"
    assert str(pie_v1.COPING[1]) == "outstanding"
    # Role and problem keys are unique across groups, so a key identifies its group.
    roles = [k for _g, (_label, r) in pie_v1.ROLE_GROUPS.items() for k in r]
    problems = [k for _s, (_label, p) in pie_v1.SYSTEMS.items() for k in p]
    assert len(roles) == len(set(roles)) and len(problems) == len(set(problems))


def test_digital_screening_has_the_eight_areas_and_five_harms():
    assert [a.key for a in digital_v1.AREAS] == [
        "face_to_face",
        "social_distance",
        "digital_intermediaries",
        "home_rules",
        "interaction_patterns",
        "access_literacy",
        "online_harms",
        "family_functions",
    ]
    harms = next(a for a in digital_v1.AREAS if a.key == "online_harms")
    assert [i.key for i in harms.items] == [
        "harm_gambling", "harm_lending", "harm_cyberbullying", "harm_sexual_exploitation", "harm_fraud"
    ]  # fmt: skip
    assert list(digital_v1.RATINGS) == [0, 1, 2, 3]
    assert all(str(i.label) and str(i.help) for i in digital_v1.ITEMS.values())
