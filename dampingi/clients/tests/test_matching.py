import pytest

from dampingi.clients.matching import name_key, names_similar


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Muhammad Rizki", "Mohammad Rizki"),
        ("Muhammad Rizki", "Muhamad Rizki"),
        ("Muhammad Rizki", "Mohamad Rizki"),
        ("Muhammad Rizki", "Moh. Rizki"),
        ("Muhammad Rizki", "Mochammad Rizki"),
        ("Nur Aini", "Noor Aini"),
        ("Soekarno", "Sukarno"),
        ("Djoko Susilo", "Joko Susilo"),
        ("Tjahjo Kumolo", "Cahyo Kumolo"),
        ("Soejono", "Suyono"),
        ("Achmad Dedy", "Ahmad Dedi"),
        ("  SITI   aminah ", "Siti Aminah"),
        ("Siti Aminah", "siti-aminah"),
    ],
)
def test_spelling_variants_share_a_key(first, second):
    assert name_key(first) == name_key(second)


@pytest.mark.parametrize(("first", "second"), [("Siti Aminah", "Sari Aminah"), ("Budi", "Bude"), ("Dedi", "Dodi")])
def test_different_names_keep_different_keys(first, second):
    assert name_key(first) != name_key(second)


def test_key_is_lower_case_letters_and_single_spaces():
    assert name_key("  Moh.  Noor  SOEKARNO ") == "muhamad nur sukarno"
    assert name_key("") == name_key(None) == ""


def test_names_are_similar_when_one_contains_the_other():
    assert names_similar("Siti Aminah", "Siti Aminah binti Ahmad")
    assert names_similar("Mohammad Rizky", "Muhammad Rizki")
    assert not names_similar("Siti Aminah", "Siti Rahmah")
    assert not names_similar("", "Siti")
