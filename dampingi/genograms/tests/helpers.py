"""A three-generation family to draw: the Suhaenah family of the neglected-child scenario, widened.

Grandparents Enok (index's grandmother, alive) and Odang (deceased 2015); their son Asep married
Yati (divorced), then Rina (marriage); Asep and Yati's twins Dewi and Dina; Asep and Rina's son
Budi and an adopted daughter Nisa. Nisa is the index person. The household: Enok, Nisa, Budi.
"""

PEOPLE = [
    {"key": "P1", "name": "Enok Suhaenah", "gender": "female", "birth_year": 1950, "in_household": True},
    {"key": "P2", "name": "Odang", "gender": "male", "birth_year": 1945, "death_year": 2015, "deceased": True},
    {"key": "P3", "name": "Asep", "gender": "male", "birth_year": 1975},
    {"key": "P4", "name": "Yati", "gender": "female", "birth_year": 1978},
    {"key": "P5", "name": "Rina", "gender": "female", "birth_year": 1985},
    {"key": "P6", "name": "Dewi", "gender": "female", "birth_year": 2000},
    {"key": "P7", "name": "Dina", "gender": "female", "birth_year": 2000},
    {"key": "P8", "name": "Budi", "gender": "male", "birth_year": 2010, "in_household": True},
    {"key": "P9", "name": "Nisa", "gender": "female", "birth_year": 2014, "is_index": True, "in_household": True},
    {"key": "P10", "name": "Kang Ujang", "gender": "other"},
    {"key": "P11", "name": "Unknown", "gender": "unknown"},
]
UNIONS = [
    {"key": "U1", "partner_a": "P2", "partner_b": "P1", "kind": "marriage", "since": 1970, "until": None},
    {"key": "U2", "partner_a": "P3", "partner_b": "P4", "kind": "divorced", "since": 1998, "until": 2005},
    {"key": "U3", "partner_a": "P3", "partner_b": "P5", "kind": "marriage", "since": 2008, "until": None},
    {"key": "U4", "partner_a": "P10", "partner_b": "P11", "kind": "cohabitation", "since": None, "until": None},
]
CHILDREN = [
    {"union": "U1", "child": "P3", "kind": "biological", "twin_group": ""},
    {"union": "U2", "child": "P6", "kind": "biological", "twin_group": "A"},
    {"union": "U2", "child": "P7", "kind": "biological", "twin_group": "A"},
    {"union": "U3", "child": "P9", "kind": "adopted", "twin_group": ""},
    {"union": "U3", "child": "P8", "kind": "biological", "twin_group": ""},
    {"union": "U1", "child": "P10", "kind": "foster", "twin_group": ""},
]
RELATIONS = [
    {"person_a": "P1", "person_b": "P9", "kind": "caretaker", "note": "raises her"},
    {"person_a": "P1", "person_b": "P9", "kind": "close", "note": ""},
    {"person_a": "P3", "person_b": "P4", "kind": "conflict", "note": ""},
    {"person_a": "P3", "person_b": "P5", "kind": "fused", "note": ""},
    {"person_a": "P3", "person_b": "P1", "kind": "distant", "note": ""},
    {"person_a": "P5", "person_b": "P4", "kind": "close_hostile", "note": ""},
    {"person_a": "P6", "person_b": "P3", "kind": "cut_off", "note": ""},
    {"person_a": "P3", "person_b": "P8", "kind": "physical_abuse", "note": ""},
    {"person_a": "P5", "person_b": "P8", "kind": "emotional_abuse", "note": ""},
    {"person_a": "P10", "person_b": "P7", "kind": "sexual_abuse", "note": ""},
]


def family(**changes):
    """Copies of the rows (so a test may change them): {"people", "unions", "children", "relations"}."""
    rows = {
        "people": [dict(p) for p in PEOPLE],
        "unions": [dict(u) for u in UNIONS],
        "children": [dict(c) for c in CHILDREN],
        "relations": [dict(r) for r in RELATIONS],
    }
    rows.update(changes)
    return rows
