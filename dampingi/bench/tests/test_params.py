"""What the load generator requests: the worker's own cases, names she may find, NIKs that exist."""

import random

import pytest

from dampingi.bench.params import name_queries, request_params, spelling_variant, typo
from dampingi.cases.models import Case
from dampingi.clients.matching import name_key
from dampingi.clients.models import Membership, Person
from dampingi.clients.selectors import client_system_search


@pytest.mark.parametrize(
    "name",
    ["Muhammad Rizki Pratama", "Nur Aini", "Ahmad Suryadi", "Siti Rahmawati", "Joko Susilo", "Dedi Kurniawan"],
)
def test_spelling_variants_keep_the_name_key(name):
    rng = random.Random(1)
    for _ in range(10):
        variant = spelling_variant(name, rng)
        assert variant != name
        assert name_key(variant) == name_key(name)


def test_a_typo_changes_the_name_key():
    assert name_key(typo("Siti Rahmawati", random.Random(2))) != name_key("Siti Rahmawati")


def test_name_queries_take_the_four_forms_in_turn():
    pairs = [("Muhammad Rizki Pratama", 1), ("Siti Rahmawati", 2), ("Nur Aini Lestari", 3), ("Dedi Kurniawan", 4)]
    queries = name_queries(pairs, random.Random(3))
    assert [q["kind"] for q in queries] == ["variant", "exact", "partial", "typo"]
    assert queries[1]["q"] == "siti rahmawati" and queries[2]["q"] == "Aini Lestari"
    assert [q["expect"] for q in queries] == [1, 2, 3, 4]


def test_request_params_come_from_what_the_worker_may_see(population):
    worker = Case.objects.order_by("pk").first().assigned_worker
    params = request_params(seed=1, worker=worker.username)
    assert params["case_ids"]
    owners = set(Case.objects.filter(pk__in=params["case_ids"]).values_list("assigned_worker", flat=True))
    assert owners == {worker.pk}
    for entry in params["niks"][:10]:
        person = Person.objects.get(nik=entry["nik"])
        assert Membership.objects.filter(person=person, client_system_id=entry["expect"]).exists()
        assert client_system_search(worker, query=entry["nik"]).filter(pk=entry["expect"]).exists()
    found = [q for q in params["names"] if q["kind"] in ("exact", "variant")]
    assert found
    for query in found:
        assert client_system_search(worker, query=query["q"]).filter(pk=query["expect"]).exists(), query
