"""The case tally behind the manager's dashboard: every service that changes what a case counts
as moves its counts in the same transaction, and the tally always equals a GROUP BY over the cases."""

import datetime
import random

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.http import Http404

from dampingi.accounts.models import Role
from dampingi.cases.models import Approval, Case
from dampingi.cases.phases import Phase
from dampingi.cases.services import (
    PhaseMoveError,
    approval_decide,
    case_change_phase,
    case_reopen,
    case_terminate,
    case_transfer_request,
)
from dampingi.clients.models import ClientSystem, PPKSCategory
from dampingi.clients.services import client_system_update, person_update
from dampingi.regions.models import Region
from dampingi.reports.models import CaseTally
from dampingi.reports.tally import case_tally_drift, case_tally_rebuild, opened_month
from dampingi.testing.cases import walk_to
from dampingi.testing.factories import ClientSystemFactory, UserFactory, make_case

CILEUNYI_VILLAGE = "32.04.05.2001"


def village_of(district: str, n: int = 0) -> Region:
    return Region.objects.filter(parent_id=district, level=Region.Level.VILLAGE).order_by("code")[n]


def tally(**filters) -> dict[tuple[str, str], tuple[int, int]]:
    """{(dimension, bucket): (open, closed)} summed over teams, without the zero rows: of the rows
    that count every month unless `filters` name a month."""
    filters.setdefault("month", CaseTally.ALL_MONTHS)
    sums: dict[tuple[str, str], list[int]] = {}
    for row in CaseTally.objects.filter(**filters):
        pair = sums.setdefault((row.dimension, row.bucket), [0, 0])
        pair[0] += row.n_open
        pair[1] += row.n_closed
    return {key: tuple(pair) for key, pair in sums.items() if any(pair)}


def assert_no_drift() -> None:
    count, drifts = case_tally_drift()
    assert count == 0, drifts


def close(case: Case, worker, supervisor) -> None:
    termination_reason = "client_request"
    case_terminate(actor=worker, case_id=case.pk, reason=termination_reason, summary="Klien meminta berhenti.")
    approval = Approval.objects.get(case=case, kind=Approval.Kind.CLOSURE, status=Approval.Status.PENDING)
    approval_decide(actor=supervisor, approval_id=approval.pk, approve=True)


def transfer(case: Case, actor, to_worker, supervisor) -> None:
    request = case_transfer_request(actor=actor, case_id=case.pk, to_worker=to_worker, reason="Keluarga pindah.")
    approval_decide(actor=supervisor, approval_id=request.approval_id, approve=True)


def test_opening_a_case_counts_it_once_in_each_dimension_by_month_and_for_all_months(sari):
    case = make_case(worker=sari)
    rows = CaseTally.objects.filter(team=sari.team)
    assert {(r.month, r.dimension, r.bucket, r.n_open, r.n_closed) for r in rows} == {
        (month, dimension, bucket, 1, 0)
        for month in (opened_month(case.opened_at), CaseTally.ALL_MONTHS)
        for dimension, bucket in [("phase", "engagement"), ("ppks", str(case.ppks_id)), ("district", "32.04.05")]
    }
    assert_no_drift()


def test_phase_moves_closure_and_reopening_move_the_counts(sari, ratna):
    case = make_case(worker=sari)
    case = walk_to(case, Phase.ASSESSMENT, worker=sari, supervisor=ratna)
    assert tally(dimension="phase") == {("phase", "assessment"): (1, 0)}
    close(case, sari, ratna)
    assert tally(dimension="phase") == {("phase", "termination"): (0, 1)}
    assert tally(dimension="district") == {("district", "32.04.05"): (0, 1)}
    case_reopen(actor=ratna, case_id=case.pk, reason="Nenek meminta bantuan lagi.")
    assert tally(dimension="phase") == {("phase", "engagement"): (1, 0)}
    assert tally(dimension="ppks") == {("ppks", str(case.ppks_id)): (1, 0)}
    assert_no_drift()


def test_another_cycle_moves_the_case_back_in_the_counts(sari, ratna):
    case = walk_to(make_case(worker=sari), Phase.EVALUATION, worker=sari, supervisor=ratna)
    case_change_phase(actor=sari, case_id=case.pk, target=Phase.PLANNING, reason="Tujuan belum tercapai.")
    assert tally(dimension="phase") == {("phase", "planning"): (1, 0)}
    assert_no_drift()


def test_a_transfer_moves_the_counts_to_the_new_team(sari, dedi, ratna):
    case = make_case(worker=sari)
    transfer(case, sari, dedi, ratna)
    assert tally(team=sari.team) == {}
    assert tally(team=dedi.team, dimension="phase") == {("phase", "engagement"): (1, 0)}
    assert_no_drift()


def test_a_family_moving_to_another_district_moves_its_cases(sari, ratna):
    family = ClientSystemFactory(kind=ClientSystem.Kind.FAMILY, name="Keluarga Dadang", created_by=sari)
    open_case = make_case(worker=sari, client_system=family)
    closed_case = make_case(worker=sari, client_system=family, programme=_other_programme(open_case))
    close(closed_case, sari, ratna)
    family.refresh_from_db()
    client_system_update(
        actor=sari, client_system=family, expected_version=family.version, changes={"region": village_of("32.04.33")}
    )
    assert tally(dimension="district") == {("district", "32.04.33"): (1, 1)}
    assert_no_drift()


def test_a_person_moving_moves_the_cases_of_their_individual_client_system(sari):
    case = make_case(worker=sari)
    person = case.client_system.memberships.get().person
    person_update(
        actor=sari, person=person, expected_version=person.version, changes={"region": village_of("32.04.33")}
    )
    assert tally(dimension="district") == {("district", "32.04.33"): (1, 0)}
    assert_no_drift()


def test_a_move_within_the_district_writes_nothing(sari):
    case = make_case(worker=sari)
    person = case.client_system.memberships.get().person
    before = list(CaseTally.objects.values_list("pk", "n_open", "n_closed"))
    person_update(
        actor=sari, person=person, expected_version=person.version, changes={"region": village_of("32.04.05", 1)}
    )
    assert list(CaseTally.objects.values_list("pk", "n_open", "n_closed")) == before


def test_a_refused_change_leaves_the_counts_as_they_were(sari, dedi):
    case = make_case(worker=sari)
    before = tally()
    with pytest.raises(Http404):
        case_change_phase(actor=dedi, case_id=case.pk, target=Phase.ASSESSMENT)
    with pytest.raises(PhaseMoveError):
        case_change_phase(actor=sari, case_id=case.pk, target=Phase.ASSESSMENT)  # no contract yet
    assert tally() == before


def test_a_rolled_back_transaction_rolls_the_counts_back(sari):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_case(worker=sari)
        raise RuntimeError
    assert not CaseTally.objects.exists()


def _other_programme(case: Case):
    from dampingi.cases.models import Programme

    return Programme.objects.exclude(pk=case.programme_id).order_by("name").first()


# --- rebuild and --check ---------------------------------------------------------------------------


def test_rebuild_recounts_cases_written_around_the_services(sari, dedi):
    make_case(worker=sari)
    make_case(worker=dedi, ppks=PPKSCategory.objects.get(slug="lut"))
    expected = tally()
    Case.objects.update(phase=Phase.TERMINATION, closed_at=datetime.datetime(2025, 1, 2, tzinfo=datetime.UTC))
    count, drifts = case_tally_drift()
    # Per team, by month and for all months: two phase rows (Engagement stored, Termination
    # expected), the PPKS row and the district row.
    assert count == 16 and {d.dimension for d in drifts} == {"phase", "ppks", "district"}
    assert case_tally_rebuild() == 12  # two teams x three dimensions x (the month, all months)
    assert_no_drift()
    assert sum(c for _o, c in tally().values()) == sum(o for o, _c in expected.values())


def test_check_command_reports_drift_and_fails(sari, capsys):
    make_case(worker=sari)
    call_command("rebuild_case_tally", "--check")
    assert "matches" in capsys.readouterr().out
    CaseTally.objects.filter(dimension="phase").update(n_open=7)
    with pytest.raises(CommandError, match="2 tally rows differ"):
        call_command("rebuild_case_tally", "--check")
    assert "expected 1 open / 0 closed, stored 7 open / 0 closed" in capsys.readouterr().out
    call_command("rebuild_case_tally")
    call_command("rebuild_case_tally", "--check")


def test_a_case_without_a_client_region_counts_as_district_not_recorded(sari):
    community = ClientSystemFactory(kind=ClientSystem.Kind.GROUP, name="Kelompok Tani", created_by=sari, region_id=None)
    make_case(worker=sari, client_system=community)
    assert tally(dimension="district") == {("district", ""): (1, 0)}
    assert_no_drift()


# --- the property: after any sequence of service calls the tally equals the GROUP BY -----------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tally_equals_a_group_by_after_a_random_sequence_of_service_calls(cast, seed):
    rng = random.Random(seed)
    sari, dedi, ratna = cast.sari, cast.dedi, cast.ratna
    rina = UserFactory(username="rina", role=Role.WORKER, team=cast.cileunyi)
    workers = [sari, dedi, rina]
    villages = [village_of("32.04.05"), village_of("32.04.33"), village_of("32.04.33", 1), None]
    families = [
        ClientSystemFactory(kind=ClientSystem.Kind.FAMILY, name=f"Keluarga {i}", created_by=sari) for i in range(3)
    ]
    ppks = list(PPKSCategory.objects.order_by("pk")[:4])
    cases: list[Case] = []

    def open_case():
        worker = rng.choice(workers)
        owner = rng.choice([None, *families])
        taken = set(Case.objects.filter(client_system=owner, closed_at=None).values_list("programme", flat=True))
        programme = _free_programme(taken) if owner is not None else None
        if owner is not None and programme is None:
            return
        extra = {"programme": programme} if programme else {}
        cases.append(make_case(worker=worker, client_system=owner, ppks=rng.choice(ppks), **extra))

    def forward():
        case = _pick(
            rng, cases, closed=False, phases=[Phase.ENGAGEMENT, Phase.ASSESSMENT, Phase.PLANNING, Phase.INTERVENTION]
        )
        if case:
            order = [Phase.ENGAGEMENT, Phase.ASSESSMENT, Phase.PLANNING, Phase.INTERVENTION, Phase.EVALUATION]
            walk_to(case, order[order.index(Phase(case.phase)) + 1], worker=case.assigned_worker, supervisor=ratna)

    def cycle():
        case = _pick(rng, cases, closed=False, phases=[Phase.EVALUATION])
        if case:
            case_change_phase(actor=case.assigned_worker, case_id=case.pk, target=Phase.PLANNING, reason="Lagi.")

    def terminate_and_close():
        case = _pick(rng, cases, closed=False)
        if case and not Approval.objects.filter(case=case, status=Approval.Status.PENDING).exists():
            close(case, case.assigned_worker, ratna)

    def reopen():
        case = _pick(rng, cases, closed=True)
        if (
            case
            and not Case.objects.filter(
                client_system=case.client_system, programme=case.programme, closed_at=None
            ).exists()
        ):
            case_reopen(actor=ratna, case_id=case.pk, reason="Dibuka kembali.")

    def move_team():
        case = _pick(rng, cases, closed=False)
        if case and not Approval.objects.filter(case=case, status=Approval.Status.PENDING).exists():
            to = rng.choice([w for w in workers if w.pk != case.assigned_worker_id])
            transfer(case, case.assigned_worker, to, ratna)

    def move_family():
        family = rng.choice(families)
        family.refresh_from_db()
        client_system_update(
            actor=ratna, client_system=family, expected_version=family.version, changes={"region": rng.choice(villages)}
        )

    def move_person():
        individual = [c for c in cases if c.client_system.kind == ClientSystem.Kind.INDIVIDUAL]
        if individual:
            person = rng.choice(individual).client_system.memberships.get().person
            person.refresh_from_db()
            region = rng.choice(villages[:3])
            person_update(actor=ratna, person=person, expected_version=person.version, changes={"region": region})

    steps = [
        open_case,
        open_case,
        forward,
        forward,
        cycle,
        terminate_and_close,
        reopen,
        move_team,
        move_family,
        move_person,
    ]
    for _ in range(60):
        step = rng.choice(steps)
        step()
        for case in cases:
            case.refresh_from_db()
        count, drifts = case_tally_drift()
        assert count == 0, (step.__name__, drifts)
    assert CaseTally.objects.exists()


def _free_programme(taken: set[int]):
    from dampingi.cases.models import Programme

    return Programme.objects.exclude(pk__in=taken).order_by("name").first()


def _pick(rng: random.Random, cases: list[Case], *, closed: bool, phases=None) -> Case | None:
    choices = [c for c in cases if (c.closed_at is not None) == closed and (phases is None or c.phase in phases)]
    return rng.choice(choices) if choices else None


def test_a_period_covering_every_month_counts_as_much_as_no_period(sari, dedi, ratna, hendra):
    from dampingi.reports.selectors import manager_home

    old = make_case(worker=sari)
    Case.objects.filter(pk=old.pk).update(opened_at=old.opened_at - datetime.timedelta(days=400))
    case_tally_rebuild()
    old.refresh_from_db()
    close(make_case(worker=dedi), dedi, ratna)
    make_case(worker=sari, ppks=PPKSCategory.objects.get(slug="lut"))
    everything = manager_home(hendra)
    period = manager_home(hendra, start=datetime.date(2000, 1, 1), end=datetime.date(2100, 12, 31))
    for part in ("by_phase", "by_ppks", "by_district"):
        assert everything[part] == period[part]
    assert [c.value for c in everything["totals"]] == [2, 1]
    recent = manager_home(hendra, start=opened_month(old.opened_at) + datetime.timedelta(days=45))
    assert [c.value for c in recent["totals"]] == [1, 1]


# --- bulk writers that bypass the services rebuild the tally --------------------------------------


def test_the_benchmark_loader_leaves_a_tally_that_matches_its_cases(db):
    from dampingi.bench.loader import load_in_place, make_generator

    load_in_place(make_generator(clients=30, seed=7), chunk_size=10)
    assert Case.objects.count() > 20
    assert_no_drift()
    assert CaseTally.objects.filter(month=CaseTally.ALL_MONTHS).exists()


def test_the_demo_seeder_leaves_a_tally_that_matches_its_cases(db, monkeypatch):
    monkeypatch.setenv("DAMPINGI_LOCAL_TRIAL", "1")
    call_command("seed_demo", "--clients", "20", "--seed", "42", verbosity=0)
    assert Case.objects.count() > 10
    assert_no_drift()


# --- concurrency (PostgreSQL: several writers at once) --------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers are a PostgreSQL matter; SQLite has one writer at a time",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_add_to_the_same_counts_without_losing_any(cast):
    """Workers of one team open and close cases at the same instant: every upsert adds to the same
    tally rows (same team, month and phase), none overwrites another's count."""
    import threading

    sari, rina = cast.sari, UserFactory(username="rina", role=Role.WORKER, team=cast.cileunyi)
    to_close = [make_case(worker=sari) for _ in range(3)]
    for case in to_close:
        case_terminate(actor=sari, case_id=case.pk, reason="client_request", summary="Selesai.")
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []

    def opener(worker):
        try:
            barrier.wait(timeout=30)
            for _ in range(4):
                make_case(worker=worker)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    def closer():
        try:
            barrier.wait(timeout=30)
            for case in to_close:
                approval = Approval.objects.get(case=case, kind=Approval.Kind.CLOSURE, status=Approval.Status.PENDING)
                approval_decide(actor=cast.ratna, approval_id=approval.pk, approve=True)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=opener, args=(w,)) for w in (sari, rina)] + [threading.Thread(target=closer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert tally(dimension="phase") == {("phase", "engagement"): (8, 0), ("phase", "termination"): (0, 3)}
    assert_no_drift()
