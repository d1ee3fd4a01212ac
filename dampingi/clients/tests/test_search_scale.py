"""Client search as it must behave at 1,000,000 client systems (issue #5, "Scale").

Spelling variants are found on every database; typos only on PostgreSQL (pg_trgm). The
EXPLAIN guards check that the search SQL reads no big table in full: with sequential scans
discouraged the planner still finds an index for every condition (dampingi.testing.explain).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dampingi.cases.selectors import case_list
from dampingi.clients.models import Membership
from dampingi.clients.selectors import client_system_search
from dampingi.testing.clients import NIK_SITI, register_family, register_individual
from dampingi.testing.explain import seq_scanned_tables
from dampingi.testing.factories import ClientSystemFactory, make_case

URL = "/clients/"
BIG_TABLES = {"clients_person", "clients_clientsystem", "clients_membership"}

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="typo tolerance and query plans are PostgreSQL's (pg_trgm)"
)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="documents the embedded SQLite behaviour")


def names(qs) -> list[str]:
    return [cs.name for cs in qs]


def search(user, query: str) -> list[str]:
    return names(client_system_search(user, query=query))


def person(full_name: str, **kwargs) -> dict:
    return {"full_name": full_name, **kwargs}


# --- What is found ---------------------------------------------------------------------------


def test_spelling_variants_are_found_on_every_database(sari):
    register_individual(actor=sari, full_name="Mohammad Rizki", sex="M", birth_date=None)
    register_individual(actor=sari, full_name="Noor Aini", birth_date=None)
    register_individual(actor=sari, full_name="Soekarno Djojo", sex="M", birth_date=None)
    assert search(sari, "Muhamad Rizky") == ["Mohammad Rizki"]
    assert search(sari, "Muhammad Rizki") == ["Mohammad Rizki"]
    assert search(sari, "Nur Aini") == ["Noor Aini"]
    assert search(sari, "sukarno joyo") == ["Soekarno Djojo"]


def test_a_member_is_found_by_her_name_and_the_family_by_its_name(sari):
    family = register_family(actor=sari)  # Enok Suhaenah with her granddaughter Siti Aminah
    assert search(sari, "siti aminah") == [family.name]
    assert search(sari, "suhaenah") == [family.name]


def test_one_or_two_letters_match_the_start_of_a_word(sari):
    register_individual(actor=sari, full_name="Siti Aminah", birth_date=None)
    register_individual(actor=sari, full_name="Kasih Lestari", birth_date=None)
    assert search(sari, "si") == ["Siti Aminah"]
    assert search(sari, "le") == ["Kasih Lestari"]
    assert search(sari, "a") == ["Siti Aminah"]  # Aminah, not the a inside Kasih


def test_nik_finds_every_client_system_of_the_person(sari):
    siti = register_individual(actor=sari, nik=NIK_SITI)
    family = register_family(actor=sari, members=[person("Enok Suhaenah", sex="F", relationship="head")])
    Membership.objects.create(client_system=family, person=siti.memberships.get().person, relationship="grandchild")
    assert set(search(sari, NIK_SITI)) == {siti.name, family.name}
    assert search(sari, "3204 0552 0314 0001") == search(sari, NIK_SITI)


@postgresql_only
def test_typos_find_the_client_on_postgresql(sari):
    register_individual(actor=sari, full_name="Siti Aminah", birth_date=None)
    register_individual(actor=sari, full_name="Mohammad Rizki", sex="M", birth_date=None)
    register_individual(actor=sari, full_name="Rizal Nugroho", sex="M", birth_date=None)
    register_individual(actor=sari, full_name="Eko Firmansyah", sex="M", birth_date=None)
    assert search(sari, "Siti Aminh") == ["Siti Aminah"]
    assert search(sari, "Muhamad Rizky") == ["Mohammad Rizki"]  # a variant, found exactly
    assert search(sari, "Mohamad Rizqi") == ["Mohammad Rizki"]
    assert search(sari, "rizal nugorho") == ["Rizal Nugroho"]
    assert search(sari, "Eko Firmasnyah") == ["Eko Firmansyah"]


@postgresql_only
def test_a_typo_in_a_members_name_finds_the_family(sari):
    family = register_family(actor=sari)
    assert search(sari, "Enok Suhaenh") == [family.name]


@postgresql_only
def test_a_whole_word_comes_before_part_of_a_word(sari):
    register_individual(actor=sari, full_name="Amelia Rohayati", birth_date=None)
    family = register_family(
        actor=sari,
        members=[person("Rudi Ramadhan", sex="M", relationship="head"), person("Yati", sex="F", relationship="spouse")],
    )
    assert search(sari, "yati") == [family.name, "Amelia Rohayati"]


@sqlite_only
def test_sqlite_matches_exactly_and_forgives_no_typo(sari):
    register_individual(actor=sari, full_name="Siti Aminah", birth_date=None)
    assert search(sari, "aminah") == ["Siti Aminah"]
    assert search(sari, "Siti Aminh") == []


@postgresql_only
def test_exact_matches_come_before_close_ones_and_close_ones_are_marked(sari):
    register_individual(actor=sari, full_name="Siti Aminih", birth_date=None)
    register_individual(actor=sari, full_name="Siti Aminah", birth_date=None)
    register_individual(actor=sari, full_name="Abdul Siti Aminah", sex="M", birth_date=None)
    found = list(client_system_search(sari, query="siti aminah"))
    assert names(found) == ["Abdul Siti Aminah", "Siti Aminah", "Siti Aminih"]
    assert [cs.search_rank >= 1 for cs in found] == [True, True, False]


@postgresql_only
def test_someone_else_sharing_one_word_of_the_name_is_not_a_close_match(sari):
    register_individual(actor=sari, full_name="Nia Karlina", birth_date=None)
    register_individual(actor=sari, full_name="Ijah Karlina", birth_date=None)
    register_individual(actor=sari, full_name="Zulaikha Mulyani", birth_date=None)
    assert search(sari, "nia karlina") == ["Nia Karlina"]
    assert search(sari, "zulaikha apriyani") == []


@postgresql_only
def test_a_short_text_is_never_fuzzy(sari):
    register_individual(actor=sari, full_name="Sita Rahayu", birth_date=None)
    assert search(sari, "siti") == []  # Sita is another name, not a typo of Siti
    assert search(sari, "sita") == ["Sita Rahayu"]


def test_the_list_marks_close_matches(client, sari):
    register_individual(actor=sari, full_name="Siti Aminah", birth_date=None)
    client.force_login(sari)
    html = client.get(URL, {"q": "Siti Aminh"}).content.decode()
    if connection.vendor == "postgresql":
        assert "Siti Aminah" in html and "similar name" in html
    else:
        assert "No client system matches this search." in html
    assert "similar name" not in client.get(URL, {"q": "Siti Aminah"}).content.decode()


# --- Who finds what --------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Siti Aminah", "Siti Aminh", "si", "aminah", NIK_SITI])
def test_a_worker_never_finds_another_teams_client(sari, dedi, query):
    register_individual(actor=sari, nik=NIK_SITI)
    make_case(worker=dedi, client_system=ClientSystemFactory(created_by=dedi, name="Siti Rahma"))
    assert "Siti Aminah" not in search(dedi, query)
    assert "Siti Rahma" not in search(sari, query)


def test_supervisor_finds_the_clients_of_both_teams_and_the_manager_those_with_a_case(sari, dedi, ratna, hendra):
    register_individual(actor=sari, full_name="Siti Aminah", birth_date=None)
    with_case = register_individual(actor=dedi, full_name="Siti Rahmawati", birth_date=None)
    make_case(worker=dedi, client_system=with_case)
    assert search(ratna, "siti") == ["Siti Aminah", "Siti Rahmawati"]
    assert search(hendra, "siti") == ["Siti Rahmawati"]
    assert search(hendra, "si") == ["Siti Rahmawati"]
    if connection.vendor == "postgresql":
        assert search(hendra, "Siti Rahmawti") == ["Siti Rahmawati"]
        assert search(hendra, "Siti Aminh") == []


def test_case_list_finds_by_name_and_member_within_what_the_user_sees(sari, dedi, hendra):
    family = register_family(actor=sari)
    own = make_case(worker=sari, client_system=family)
    make_case(worker=dedi, client_system=ClientSystemFactory(created_by=dedi, name="Siti Rahma"))
    refs = lambda user, q: [c.reference for c in case_list(user=user, q=q)]  # noqa: E731
    assert refs(sari, "siti aminah") == [own.reference]  # a member's name
    assert refs(sari, "Suhaenah") == [own.reference]  # the family's
    assert refs(sari, "si") == [own.reference]
    assert refs(sari, "rahma") == []
    assert refs(hendra, "siti aminah") == [own.reference]
    assert refs(dedi, "siti aminah") == []


# --- Queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("siti", 6),  # session, user, matching ids, the page's rows, PPKS prefetch, unread notifications
        # A typo: the same on PostgreSQL; SQLite finds nothing, so no page and no PPKS to read.
        ("Siti Aminh", 6 if connection.vendor == "postgresql" else 4),
        (NIK_SITI, 7),  # and the NIK's client systems, read first
    ],
)
def test_search_page_query_count_is_pinned(client, sari, django_assert_num_queries, query, expected):
    register_individual(actor=sari, nik=NIK_SITI)
    for i in range(30):
        ClientSystemFactory(created_by=sari, name=f"Siti {i:02d}")
    client.force_login(sari)
    with django_assert_num_queries(expected):
        response = client.get(URL, {"q": query})
    assert response.status_code == 200


# --- Query plans (PostgreSQL) ----------------------------------------------------------------


@pytest.fixture
def other_clients(cast):
    """Two thousand client systems of a team nobody in the cast sees, with their people,
    analysed, so that the planner costs the indexes as it does at scale: on a handful of rows,
    walking a whole primary key is cheaper than any trigram index."""
    from itertools import product

    from dampingi.clients.matching import name_key
    from dampingi.clients.models import ClientSystem, Person
    from dampingi.testing.factories import TeamFactory, UserFactory

    team = TeamFactory(name="Tim Lain")
    creators = [UserFactory(username=f"lain{i}", team=team) for i in range(20)]
    first = ["Siti", "Dewi", "Asep", "Ujang", "Nur", "Rina", "Dedi", "Yusuf", "Agus", "Lina", "Tuti", "Eka"]
    middle = ["", "Ayu ", "Sri ", "Budi ", "Putri ", "Adi "]
    last = ["Rahayu", "Hidayat", "Saputra", "Lestari", "Kurniawan", "Permana", "Suryani", "Wijaya", "Fauzi"]
    full_names = [f"{a} {b}{c}" for a, b, c in product(first, middle, last)] * 3  # 1,944
    systems = ClientSystem.objects.bulk_create(
        ClientSystem(kind="individual", name=n, name_key=name_key(n), created_by=creators[i % len(creators)])
        for i, n in enumerate(full_names)
    )
    people = Person.objects.bulk_create(Person(full_name=n, name_key=name_key(n), sex="F") for n in full_names)
    Membership.objects.bulk_create(
        Membership(client_system=cs, person=p, relationship="self") for cs, p in zip(systems, people, strict=True)
    )
    with connection.cursor() as cursor:
        # New GIN entries wait in the index's pending list, which makes the planner price the
        # index as if every search read all of them; VACUUM would flush it, this does in a
        # transaction.
        cursor.execute("SELECT gin_clean_pending_list('clients_person_name_key_trgm'::regclass)")
        cursor.execute("SELECT gin_clean_pending_list('clients_clientsystem_name_key_trgm'::regclass)")
        cursor.execute("ANALYZE clients_person, clients_clientsystem, clients_membership, cases_case, accounts_user")


def _search_statements(user, query: str) -> list[str]:
    """The SQL the list page sends for a search: the paginator's count and the page."""
    qs = client_system_search(user, query=query)
    with CaptureQueriesContext(connection) as ctx:
        qs.count()
        list(qs[:25])
    return [q["sql"] for q in ctx.captured_queries if "clients_clientsystem" in q["sql"]]


# A manager's search starts from the names (the region is too large to read): one or two
# letters then match a good part of all people, and joining them to their memberships reads the
# whole membership table. Known and measured (1 to 10 s at 1,000,000 client systems, where it
# took minutes before); strict, so that a fix shows up here.
REGION_WIDE_SHORT = pytest.mark.xfail(
    strict=True, reason="a region-wide search for one or two letters reads all memberships"
)
WHO_AND_QUERY = [
    pytest.param(who, query, marks=REGION_WIDE_SHORT if (who, query) == ("hendra", "si") else ())
    for who in ("sari", "ratna", "hendra")
    for query in ("Siti Aminah", "Siti Aminh", "si", "rizki", NIK_SITI)
]


@postgresql_only
@pytest.mark.parametrize(("who", "query"), WHO_AND_QUERY)
def test_search_reads_no_big_table_in_full(request, other_clients, sari, who, query):
    register_individual(actor=sari, nik=NIK_SITI)
    make_case(worker=sari, client_system=register_family(actor=sari))
    user = request.getfixturevalue(who)
    statements = _search_statements(user, query)
    assert len(statements) >= 2
    for sql in statements:
        assert seq_scanned_tables(sql) & BIG_TABLES == set(), sql


@postgresql_only
@pytest.mark.parametrize(("who", "query"), [p for p in WHO_AND_QUERY if p.values[1] in ("Siti Aminah", "si")])
def test_case_list_search_reads_no_big_table_in_full(request, other_clients, sari, who, query):
    make_case(worker=sari, client_system=register_family(actor=sari))
    qs = case_list(user=request.getfixturevalue(who), q=query)
    with CaptureQueriesContext(connection) as ctx:
        qs.count()
        list(qs[:25])
    for sql in [q["sql"] for q in ctx.captured_queries if "cases_case" in q["sql"]]:
        assert seq_scanned_tables(sql) & BIG_TABLES == set(), sql


@postgresql_only
def test_the_explain_guard_sees_a_sequential_scan(sari):
    """The guard itself: a condition no index serves (the description) reads the whole table."""
    from dampingi.clients.models import ClientSystem

    assert seq_scanned_tables(ClientSystem.objects.filter(description__icontains="banjir")) == {"clients_clientsystem"}
    assert seq_scanned_tables(ClientSystem.objects.filter(pk=1)) == set()
