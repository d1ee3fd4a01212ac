"""manage.py seed_demo on the test database (only the regions under 32.04.05, 32.04.33 and 32.73.01)."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count

from dampingi.accounts.models import Role, User
from dampingi.audit.models import AuditEvent
from dampingi.cases.models import Approval, Case, Consent, PhaseTransition, Termination
from dampingi.cases.phases import Phase, move_for
from dampingi.clients.models import ClientSystem, Membership, Person
from dampingi.demo import seed as seed_module
from dampingi.plans.models import Task
from dampingi.regions.models import Region
from dampingi.regions.services import regions_load
from dampingi.testing.factories import TEST_REGION_PREFIXES

try:  # the shared identity-number rules, when that module is part of this install
    from dampingi.clients.validators import nik_problems
except ImportError:  # pragma: no cover
    nik_problems = None

SEED = 20260101


@pytest.fixture
def local_trial(monkeypatch):
    monkeypatch.setenv("DAMPINGI_LOCAL_TRIAL", "1")


def seed(clients=60, seed=SEED, *args):
    out = StringIO()
    call_command("seed_demo", "--clients", str(clients), "--seed", str(seed), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(local_trial):
    seed()


def nik_ok(nik: str, birth_date: datetime.date, sex: str) -> bool:
    """The NIK rules of docs/domain.md: 16 digits = district (PPKKCC) + DDMMYY (+40 for women) + serial."""
    if len(nik) != 16 or not nik.isdigit():
        return False
    day = int(nik[6:8])
    if (sex == "F") != (day > 40):
        return False
    day = day - 40 if day > 40 else day
    if (day, int(nik[8:10]), int(nik[10:12])) != (birth_date.day, birth_date.month, birth_date.year % 100):
        return False
    district = f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
    return Region.objects.filter(code=district, level=Region.Level.DISTRICT).exists() and nik[12:] != "0000"


def test_seed_creates_the_five_demo_accounts_with_the_local_trial_password(seeded):
    users = {u.username: u for u in User.objects.filter(username__in=["sari", "dedi", "ratna", "hendra", "yogi"])}
    assert users["sari"].role == Role.WORKER and users["sari"].team.name == "Tim Cileunyi"
    assert users["dedi"].role == Role.WORKER and users["dedi"].team.name == "Tim Majalaya"
    assert users["ratna"].role == Role.SUPERVISOR
    assert set(users["ratna"].supervised_teams.values_list("name", flat=True)) >= {"Tim Cileunyi", "Tim Majalaya"}
    assert users["hendra"].role == Role.MANAGER and users["hendra"].region_id == "32.04"
    assert users["yogi"].is_staff and users["yogi"].is_superuser and users["yogi"].role == Role.ADMINISTRATOR
    assert all(check_password("dampingi-demo", u.password) for u in users.values())
    assert User.objects.filter(team__name="Tim Cileunyi", role=Role.WORKER).count() >= 4
    assert User.objects.filter(team__name="Tim Majalaya", role=Role.WORKER).count() >= 4


def test_seed_creates_the_requested_population_with_every_kind(seeded):
    assert ClientSystem.objects.count() == 60
    kinds = dict(ClientSystem.objects.values_list("kind").annotate(n=Count("pk")))
    assert kinds[ClientSystem.Kind.INDIVIDUAL] > kinds[ClientSystem.Kind.FAMILY] > 0
    assert kinds.get(ClientSystem.Kind.COMMUNITY, 0) >= 1  # the flooded village at least
    for family in ClientSystem.objects.filter(kind=ClientSystem.Kind.FAMILY).prefetch_related("memberships"):
        members = list(family.memberships.all())
        assert 2 <= len(members) <= 7
        assert sum(m.is_head for m in members) == 1
        assert family.no_kk.isdigit() and len(family.no_kk) == 16
    for individual in ClientSystem.objects.filter(kind=ClientSystem.Kind.INDIVIDUAL).annotate(n=Count("memberships")):
        assert individual.n == 1
        assert individual.no_kk == ""
    assert not ClientSystem.objects.filter(region__isnull=True).exists()
    # Villages come from the Region table, whichever subset is loaded.
    assert not ClientSystem.objects.exclude(region__level=Region.Level.VILLAGE).exists()


def test_every_generated_nik_follows_the_rules(seeded):
    people = list(Person.objects.exclude(nik=None))
    assert len(people) > 60
    for person in people:
        assert nik_ok(person.nik, person.birth_date, person.sex), (person.full_name, person.nik, person.birth_date)
        if nik_problems is not None:
            assert nik_problems(person.nik, birth_date=person.birth_date, sex=person.sex) == []
    assert Person.objects.filter(sex="F").exists() and Person.objects.filter(sex="M").exists()
    assert not Person.objects.filter(birth_date__gt=datetime.date.today()).exists()
    # The search key the client list uses is filled in for bulk rows too.
    assert not Person.objects.filter(name_key="").exists()


def test_every_phase_and_closed_cases_are_represented(seeded):
    open_phases = set(Case.objects.filter(closed_at=None).values_list("phase", flat=True))
    assert open_phases == set(Phase.values)
    assert Case.objects.exclude(closed_at=None).exists()
    assert not Case.objects.exclude(closed_at=None).exclude(phase=Phase.TERMINATION).exists()
    for case in Case.objects.all():
        transitions = list(case.transitions.order_by("at", "pk").values_list("to_phase", flat=True))
        assert transitions[0] == Phase.ENGAGEMENT
        assert transitions[-1] == case.phase


def test_what_each_phase_implies_is_on_file(seeded):
    in_process = [Phase.ASSESSMENT, Phase.PLANNING, Phase.INTERVENTION, Phase.EVALUATION]
    for case in Case.objects.filter(closed_at=None, phase__in=in_process).select_related("contract"):
        assert case.contract.signed_on is not None
        assert case.consents.exists()
        if case.phase != Phase.ASSESSMENT:
            assert case.assessments.exclude(completed_at=None).exists()
            assert case.problems.exists()
            assert case.functioning_ratings.exists()
    for case in Case.objects.filter(phase=Phase.INTERVENTION, closed_at=None):
        assert case.plan.status == "approved"
        assert case.plan.tasks.exists()
        assert case.approvals.filter(kind=Approval.Kind.PLAN, status=Approval.Status.APPROVED).exists()
    for case in Case.objects.exclude(closed_at=None):
        assert case.terminations.exists()
        assert case.approvals.filter(kind=Approval.Kind.CLOSURE, status=Approval.Status.APPROVED).exists()
    assert Approval.objects.filter(status=Approval.Status.PENDING).exists()
    assert Task.objects.filter(due_date__lt=datetime.date.today()).exclude(status__in=["done", "cancelled"]).exists()
    assert Termination.objects.exclude(followup_date=None).exists()


def test_children_consent_is_given_by_a_parent_or_guardian(seeded):
    today = datetime.date.today()
    for consent in Consent.objects.filter(case__client_system__kind=ClientSystem.Kind.INDIVIDUAL):
        person = Membership.objects.get(client_system=consent.case.client_system_id).person
        if person.birth_date and person.age_on(today) < 17:
            assert consent.given_by in (Consent.GivenBy.PARENT, Consent.GivenBy.GUARDIAN)


def test_one_open_case_per_client_system_and_programme(seeded):
    duplicates = (
        Case.objects.filter(closed_at=None).values("client_system", "programme").annotate(n=Count("pk")).filter(n__gt=1)
    )
    assert not duplicates.exists()


def test_the_four_scenario_cases_are_in_saris_caseload_through_the_services(seeded):
    sari = User.objects.get(username="sari")
    child = Case.objects.get(client_system__name="Muhammad Rizki Firmansyah")
    family = Case.objects.get(client_system__name="Keluarga Dadang Hermawan")
    elder = Case.objects.get(client_system__name="Siti Aminah")
    village = Case.objects.get(
        client_system__kind=ClientSystem.Kind.COMMUNITY,
        assigned_worker=sari,
        client_system__name__startswith="Warga Terdampak Banjir",
    )
    for case in (child, family, elder, village):
        assert case.assigned_worker == sari
        assert AuditEvent.objects.filter(case=case, action="case.open", actor=sari).exists()
    assert child.closed_at is not None
    assert child.consents.get().given_by == Consent.GivenBy.GUARDIAN
    assert child.terminations.get().followup_date > datetime.date.today()
    # Eco-map at assessment and before termination (to compare), a three-generation genogram.
    assert [m.phase for m in child.ecomaps.order_by("number")] == [Phase.ASSESSMENT, Phase.EVALUATION]
    assert child.genograms.get().people.count() == 5
    assert family.phase == Phase.INTERVENTION
    assert family.stakeholders.filter(kind="academic").exists()
    assert family.activity_notes.filter(kind="case_conference").exists()
    assert elder.phase == Phase.PLANNING
    assert elder.approvals.filter(status=Approval.Status.PENDING, kind=Approval.Kind.PLAN).exists()
    assert village.phase == Phase.EVALUATION
    assert village.evaluations.exists()
    # Replayed on a simulated clock: the history carries the dates the story happened on.
    assert child.opened_at.date() < datetime.date.today() - datetime.timedelta(days=150)
    assert AuditEvent.objects.filter(case=child, action="case.close").get().at < child.opened_at + datetime.timedelta(
        days=200
    )


def test_one_audit_event_records_the_run(seeded):
    event = AuditEvent.objects.get(action="demo.seed")
    assert event.actor.username == "yogi"
    assert event.after["seed"] == SEED
    assert event.after["rows"]["client_systems"] == 56
    # Bulk rows have no per-row events: only the services of the four scenario cases wrote any.
    assert AuditEvent.objects.exclude(case=None).values("case").distinct().count() == 4


def test_same_seed_gives_the_same_people_and_another_seed_others(local_trial):
    def run(seed_value):
        with transaction.atomic():
            seed(40, seed_value)
            people = list(Person.objects.order_by("nik", "full_name").values_list("full_name", "nik", "birth_date"))
            transaction.set_rollback(True)
        return people

    first, again, other = run(11), run(11), run(12)
    assert first == again
    assert first != other
    assert len(first) > 40


def test_if_empty_skips_when_the_demo_accounts_exist(local_trial):
    seed(20)
    before = ClientSystem.objects.count()
    out = seed(20, SEED, "--if-empty")
    assert "nothing seeded" in out
    assert ClientSystem.objects.count() == before
    assert AuditEvent.objects.filter(action="demo.seed").count() == 1


def test_a_second_run_adds_people_without_colliding_niks(local_trial):
    seed(20)
    seed(20)
    assert ClientSystem.objects.count() == 40
    niks = list(Person.objects.exclude(nik=None).values_list("nik", flat=True))
    assert len(niks) == len(set(niks))


def test_seed_refuses_outside_a_local_trial(monkeypatch, settings):
    monkeypatch.delenv("DAMPINGI_LOCAL_TRIAL", raising=False)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local trial"):
        seed(10)
    assert not User.objects.filter(username="yogi").exists()
    assert not ClientSystem.objects.exists()


def test_seed_loads_the_regions_itself_when_kabupaten_bandung_is_missing(local_trial, monkeypatch):
    loaded = []
    for level in (Region.Level.VILLAGE, Region.Level.DISTRICT):
        Region.objects.filter(code__startswith="32.04.", level=level).delete()

    def fake_load(**kwargs):
        # The full list takes seconds to load; the test subtree is enough to check the call.
        loaded.append(kwargs)
        return regions_load(prefixes=TEST_REGION_PREFIXES)

    monkeypatch.setattr(seed_module, "regions_load", fake_load)
    seed(10)
    assert loaded
    assert ClientSystem.objects.count() == 10


def test_phase_transitions_of_bulk_cases_follow_the_transition_table(seeded):
    for transition in PhaseTransition.objects.exclude(from_phase=""):
        move = move_for(transition.from_phase, transition.to_phase)
        assert move is not None, (transition.from_phase, transition.to_phase)
        assert move.kind == transition.kind


def test_zero_clients_still_creates_the_accounts_and_the_four_scenario_cases(local_trial):
    seed(0)
    assert User.objects.filter(username__in=["sari", "dedi", "ratna", "hendra", "yogi"]).count() == 5
    assert ClientSystem.objects.count() == 4
    assert Case.objects.filter(assigned_worker__username="sari").count() == 4
