"""The benchmark generator at a tiny size: consistent, valid, deterministic data whose pages render."""

from collections import Counter

import pytest
from django.db import connection
from django.urls import reverse

from dampingi.accounts.models import Role, User
from dampingi.audit.models import AuditEvent
from dampingi.bench.generator import FastRandom, plan_accounts
from dampingi.bench.loader import copy_text, make_generator
from dampingi.cases.models import Case, PhaseTransition
from dampingi.cases.phases import Phase
from dampingi.clients.matching import name_key
from dampingi.clients.models import ClientSystem, Membership, Person
from dampingi.clients.validators import nik_problems

from .conftest import CLIENTS, SEED, fixed_clock


def test_population_has_the_requested_client_systems_with_people_and_cases(population):
    assert ClientSystem.objects.count() == CLIENTS
    assert not ClientSystem.objects.filter(memberships__isnull=True).exists()
    assert Person.objects.count() == Membership.objects.count() >= CLIENTS
    assert Case.objects.count() >= CLIENTS  # 1.5 a client system on average
    assert population.counts["clients_clientsystem"] == CLIENTS


def test_demo_accounts_exist_with_realistic_roles(population):
    users = {u.username: u for u in User.objects.filter(username__in=["sari", "ratna", "hendra"])}
    assert users["sari"].role == Role.WORKER and users["sari"].team.name == "Tim Cileunyi"
    assert users["ratna"].role == Role.SUPERVISOR and users["hendra"].role == Role.MANAGER
    assert users["sari"].check_password("dampingi-demo")


def test_people_have_valid_unique_niks_and_their_name_key(population):
    people = list(Person.objects.all())
    niks = [p.nik for p in people if p.nik]
    assert len(niks) == len(set(niks)) > len(people) * 0.8
    for person in people:
        assert person.name_key == name_key(person.full_name)
        if person.nik:
            assert nik_problems(person.nik, birth_date=person.birth_date, sex=person.sex) == []
    for system in ClientSystem.objects.all():
        assert system.name_key == name_key(system.name)


def test_cases_have_valid_phases_and_a_history_that_ends_in_their_phase(population):
    phases = set()
    for case in Case.objects.prefetch_related("transitions"):
        phases.add(case.phase)
        assert case.phase in Phase.values
        assert case.closed_at is None or case.phase == Phase.TERMINATION
        moves = sorted(case.transitions.all(), key=lambda t: (t.at, t.pk))
        assert moves[0].from_phase == "" and moves[0].at == case.opened_at
        assert moves[-1].to_phase == case.phase and moves[-1].at == case.phase_changed_at
        for before, after in zip(moves, moves[1:], strict=False):
            assert after.from_phase == before.to_phase
        assert case.team_id == case.assigned_worker.team_id
        assert case.supervisor_id == case.team.supervisor_id
    assert {Phase.ENGAGEMENT, Phase.INTERVENTION, Phase.TERMINATION} <= phases


def test_a_client_system_has_at_most_one_open_case_per_programme(population):
    open_cases = Counter(Case.objects.filter(closed_at=None).values_list("client_system_id", "programme_id"))
    assert open_cases and max(open_cases.values()) == 1


def test_every_case_has_notes_and_open_and_close_audit_events(population):
    cases = Case.objects.count()
    assert PhaseTransition.objects.count() >= cases
    assert not Case.objects.filter(activity_notes__isnull=True).exists()
    assert AuditEvent.objects.filter(action="case.open").count() == cases
    assert AuditEvent.objects.filter(action="case.close").count() == Case.objects.exclude(closed_at=None).count()


def test_new_rows_after_the_load_get_fresh_keys(population, sari):
    person = Person.objects.create(full_name="Siti Baru", sex="F")
    assert person.pk > population.start_ids[Person]


def test_every_generated_case_page_renders_for_its_worker(population, client):
    for case in Case.objects.select_related("assigned_worker"):
        client.force_login(case.assigned_worker)
        response = client.get(reverse("cases:detail", args=[case.pk]))
        assert response.status_code == 200, case.pk


def test_same_seed_gives_the_same_rows(db):
    today, now = fixed_clock()
    plan = plan_accounts(clients=30, seed=SEED)
    first = [c.rows for c in make_generator(clients=30, seed=SEED, plan=plan, today=today, now=now).chunks(10)]
    second = [c.rows for c in make_generator(clients=30, seed=SEED, plan=plan, today=today, now=now).chunks(10)]
    assert first == second


def test_sharded_generation_makes_the_same_rows_with_interleaved_keys(db):
    today, now = fixed_clock()
    plan = plan_accounts(clients=40, seed=SEED)

    def rows(shard, shards):
        generator = make_generator(clients=40, seed=SEED, plan=plan, today=today, now=now)
        return [c.rows[Case] for c in generator.chunks(10, shard=shard, shards=shards)]

    whole = [row for chunk in rows(0, 1) for row in chunk]
    parts = [row for chunk in rows(0, 2) + rows(1, 2) for row in chunk]
    assert len(parts) == len(whole)
    assert len({row[0] for row in parts}) == len(parts)  # unique keys across the two processes
    assert Counter(row[11] for row in parts) == Counter(row[11] for row in whole)  # same phases


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="COPY FROM STDIN is PostgreSQL's; SQLite loads the same rows with executemany",
)
def test_population_loads_through_copy(db):
    today, now = fixed_clock()
    generator = make_generator(clients=20, seed=SEED, today=today, now=now)
    from dampingi.bench.loader import copy_chunk

    with connection.cursor() as cursor:
        for chunk in generator.chunks(10):
            copy_chunk(cursor.cursor, generator.specs, chunk)
    assert ClientSystem.objects.count() == 20
    assert Case.objects.count() == generator.counts["cases_case"]


def test_copy_text_escapes_what_copy_reads_specially():
    assert copy_text([(1, "a\tb\\c\nd", None, True)]) == b"1\ta\\tb\\\\c\\nd\t\\N\tt\n"
    assert copy_text([]) == b""


def test_fast_random_is_deterministic_and_in_range():
    a, b = FastRandom("x"), FastRandom("x")
    draws = [a.randint(1, 6) for _ in range(500)]
    assert draws == [b.randint(1, 6) for _ in range(500)]
    assert set(draws) == {1, 2, 3, 4, 5, 6}
    assert a.choice("ab") in "ab"
