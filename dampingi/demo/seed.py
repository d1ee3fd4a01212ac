"""The demo seed: accounts, the four hand-written scenario cases, then a bulk population.

The scenario cases go through the real services (so their audit trail is real). The bulk
population is written directly with bulk_create, chunk by chunk, so that 100,000 client
systems take minutes and memory stays bounded; those rows have no per-row audit events,
and the run writes ONE audit event ("demo.seed") by the administrator account instead.

Deterministic: the same seed gives the same people (names, NIKs, birth dates, addresses)
in the same calendar year on the same loaded regions; case dates are relative to today.
The whole run is one transaction: it lands completely or not at all.
"""

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from dampingi.assessments.models import Assessment, Problem, ProblemFactor, SocialFunctioningRating
from dampingi.audit.services import audit_record
from dampingi.cases.models import (
    ActivityNote,
    Approval,
    Case,
    Consent,
    Contract,
    PhaseTransition,
    Programme,
    Stakeholder,
    Termination,
)
from dampingi.cases.reference import programmes_load
from dampingi.clients.matching import name_key
from dampingi.clients.models import ClientSystem, Membership, Person, PPKSCategory
from dampingi.clients.reference import ppks_load
from dampingi.demo import scenarios
from dampingi.demo.accounts import DEMO_PASSWORD, KAB_BANDUNG, DemoTeam, demo_accounts_exist, ensure_accounts
from dampingi.demo.casework import STATE_WEIGHTS, Batch, CaseWriter
from dampingi.demo.identity import SerialBook
from dampingi.demo.population import PopulationContext, build_client, weighted
from dampingi.plans.models import Evaluation, Goal, GoalResult, Plan, Task
from dampingi.regions.models import Region
from dampingi.regions.services import regions_load
from dampingi.reports.tally import case_tally_rebuild

CHUNK_SIZE = 1000
CASE_RATE = 0.88  # share of client systems with a case
EARLIER_CASE_RATE = 0.10  # of those, share with an earlier, closed case in the same programme
STATES = [state for state, _weight in STATE_WEIGHTS]


@dataclass
class SeedReport:
    skipped: bool = False
    clients: int = 0
    people: int = 0
    cases: int = 0
    rows: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def _ensure_directory(seed: int, log: Callable[[str], None]) -> None:
    """A service directory around Kabupaten Bandung (once) and the two demo partner accounts."""
    from django.apps import apps

    from dampingi.directory.demo import seed_directory
    from dampingi.directory.models import Service, TaxonomyTerm
    from dampingi.directory.taxonomy_data import load_reference_taxonomy
    from dampingi.referrals.demo import ensure_partner_accounts

    if not TaxonomyTerm.objects.exists():  # a flushed test database loses the data migration's terms
        load_reference_taxonomy(apps)
    if not Service.objects.exists():
        districts = Region.objects.filter(level=Region.Level.DISTRICT, code__startswith=KAB_BANDUNG + ".")
        codes = list(districts.order_by("code").values_list("code", flat=True)[:12])
        services = seed_directory(region_codes=codes, rng=random.Random(f"{seed}:directory"))
        log(f"Service directory: {len(services)} services.")
    ensure_partner_accounts(password=DEMO_PASSWORD)


def reference_data_ready() -> bool:
    return Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=KAB_BANDUNG + ".").exists()


def ensure_reference_data(log: Callable[[str], None]) -> None:
    """Load the shipped reference data when Kabupaten Bandung (or PPKS, programmes) is missing."""
    if not reference_data_ready():
        log("Loading the region list (Kabupaten Bandung is missing)...")
        regions_load()
    if not PPKSCategory.objects.exists():
        ppks_load()
    if not Programme.objects.exists():
        programmes_load()


def _restore_history_dates(assessments: list, started: list) -> None:
    """Give bulk-inserted assessments back the start dates of their story (auto_now_add replaced them)."""
    for assessment, when in zip(assessments, started, strict=True):
        assessment.created_at = when
    Assessment.objects.bulk_update(assessments, ["created_at"], batch_size=1000)


def _derive(batch: Batch) -> None:
    """What Person.save() and ClientSystem.save() would fill in, since bulk_create skips save()."""
    for person in batch.persons:
        person.name_key = name_key(person.full_name)[:255]
    for system in batch.systems:
        system.name_key = name_key(system.name)[:255]


def write_batch(batch: Batch) -> dict[str, int]:
    """Insert one chunk, parents before children (bulk_create fills in the primary keys)."""
    _derive(batch)
    Person.objects.bulk_create(batch.persons)
    ClientSystem.objects.bulk_create(batch.systems)
    Membership.objects.bulk_create(batch.memberships)
    through = ClientSystem.ppks.through
    through.objects.bulk_create(
        [through(clientsystem_id=system.pk, ppkscategory_id=ppks_id) for system, ppks_id in batch.system_ppks]
    )
    Case.objects.bulk_create(batch.cases)
    # auto_now_add overwrites the start of a historical assessment on insert; keep it and put it back.
    assessment_started = [a.created_at for a in batch.assessments]
    for model, rows in (
        (PhaseTransition, batch.transitions),
        (Contract, batch.contracts),
        (Consent, batch.consents),
        (Stakeholder, batch.stakeholders),
        (Assessment, batch.assessments),
        (Problem, batch.problems),
        (SocialFunctioningRating, batch.ratings),
        (Plan, batch.plans),
        (Approval, batch.approvals),
        (Termination, batch.terminations),
        (Evaluation, batch.evaluations),
        (ProblemFactor, batch.factors),
        (Goal, batch.goals),
        (Task, batch.tasks),
        (GoalResult, batch.results),
        (ActivityNote, batch.notes),
    ):
        model.objects.bulk_create(rows)
    _restore_history_dates(batch.assessments, assessment_started)
    links = Problem.linked.through
    links.objects.bulk_create([links(from_problem_id=a.pk, to_problem_id=b.pk) for a, b in batch.problem_links])
    return {
        "people": len(batch.persons),
        "client_systems": len(batch.systems),
        "memberships": len(batch.memberships),
        "cases": len(batch.cases),
        "phase_transitions": len(batch.transitions),
        "contracts": len(batch.contracts),
        "consents": len(batch.consents),
        "stakeholders": len(batch.stakeholders),
        "assessments": len(batch.assessments),
        "problems": len(batch.problems),
        "problem_factors": len(batch.factors),
        "functioning_ratings": len(batch.ratings),
        "plans": len(batch.plans),
        "goals": len(batch.goals),
        "tasks": len(batch.tasks),
        "approvals": len(batch.approvals),
        "evaluations": len(batch.evaluations),
        "goal_results": len(batch.results),
        "terminations": len(batch.terminations),
        "activity_notes": len(batch.notes),
        "other_links": len(batch.system_ppks) + len(batch.problem_links),
    }


def _other_districts() -> list[str]:
    """Districts of Jawa Barat, DKI Jakarta and Jawa Tengah where people who moved were registered."""
    codes = Region.objects.filter(level=Region.Level.DISTRICT).order_by("code").values_list("code", flat=True)
    return [c for c in codes if c[:2] in ("31", "32", "33")] or list(codes)


def seed_demo(
    *,
    clients: int,
    seed: int,
    if_empty: bool = False,
    today: datetime.date | None = None,
    chunk_size: int = CHUNK_SIZE,
    log: Callable[[str], None] = lambda message: None,
) -> SeedReport:
    """Create the demo accounts, the scenario cases and `clients` client systems in all (see module doc)."""
    if if_empty and demo_accounts_exist():
        return SeedReport(skipped=True)
    started = time.monotonic()
    ensure_reference_data(log)
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    bulk_clients = max(0, clients - len(scenarios.SCENARIOS))
    report = SeedReport()
    with transaction.atomic():
        teams, accounts = ensure_accounts(rng=random.Random(f"{seed}:accounts"), clients=bulk_clients)
        _ensure_directory(seed, log)
        nik_book = SerialBook(set(Person.objects.exclude(nik=None).values_list("nik", flat=True)))
        kk_book = SerialBook(set(ClientSystem.objects.exclude(no_kk="").values_list("no_kk", flat=True)))
        ctx = PopulationContext(
            rng=random.Random(f"{seed}:people"),
            anchor=datetime.date(today.year, 1, 1),
            nik_book=nik_book,
            kk_book=kk_book,
            other_districts=_other_districts(),
        )
        scenario_cases = scenarios.create_all(accounts=accounts, teams=teams, nik_book=nik_book, today=today)
        report.counts["scenario_cases"] = len(scenario_cases)
        log(f"Scenario cases: {len(scenario_cases)} (through the services).")

        ppks_ids = dict(
            PPKSCategory.objects.filter(active=True).order_by("version", "number").values_list("slug", "pk")
        )
        programmes = dict(Programme.objects.values_list("name", "pk"))
        writer = CaseWriter(
            rng=random.Random(f"{seed}:cases"),
            today=today,
            tz=tz,
            ppks_ids=ppks_ids,
            programmes=programmes,
            default_programme=Programme.objects.order_by("name").values_list("pk", flat=True).first(),
        )
        sequence = [i for i, team in enumerate(teams) for _n in range(team.share)]
        ctx.rng.shuffle(sequence)
        for start in range(0, len(sequence), chunk_size):
            batch = Batch()
            for team_index in sequence[start : start + chunk_size]:
                _add_client(batch, ctx, writer, teams[team_index], ppks_ids)
            for name, count in write_batch(batch).items():
                report.counts[name] = report.counts.get(name, 0) + count
            done = min(start + chunk_size, len(sequence))
            log(f"  {done}/{len(sequence)} client systems ({time.monotonic() - started:.0f} s)")
        # The bulk cases bypassed the services: recount the manager's dashboard tally from the cases.
        case_tally_rebuild()
        report.clients = report.counts.get("client_systems", 0) + len(scenario_cases)
        report.people = report.counts.get("people", 0)
        report.cases = report.counts.get("cases", 0) + len(scenario_cases)
        report.rows = sum(v for k, v in report.counts.items() if k != "scenario_cases")
        admin = accounts["yogi"]
        audit_record(
            actor=admin,
            action="demo.seed",
            target=admin,
            after={
                "seed": seed,
                "clients_requested": clients,
                "today": today,
                "teams": [t.team.name for t in teams],
                "rows": report.counts,
                "note": "Bulk demo rows are written without per-row audit events; this event records the run.",
            },
        )
    # Fresh statistics after a bulk load, or the planner guesses (seen: 20x slower case pages).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    report.seconds = time.monotonic() - started
    return report


def _add_client(
    batch: Batch, ctx: PopulationContext, writer: CaseWriter, team: DemoTeam, ppks_ids: dict[str, int]
) -> None:
    rng = writer.rng
    worker = rng.choice(team.workers)
    village = ctx.rng.choice(team.villages)
    bundle = build_client(ctx, village, worker)
    batch.persons.extend(bundle.persons)
    batch.systems.append(bundle.system)
    batch.memberships.extend(bundle.memberships)
    batch.system_ppks.extend((bundle.system, ppks_ids[s]) for s in dict.fromkeys(bundle.ppks) if s in ppks_ids)
    if rng.random() >= CASE_RATE:
        return
    # Each team's first cases cover every phase and a closure, however small the population.
    opened = team.extra.get("cases", 0)
    team.extra["cases"] = opened + 1
    state = STATES[opened] if opened < len(STATES) else weighted(rng, STATE_WEIGHTS)
    case = writer.build(batch, bundle, team, worker, state)
    if rng.random() < EARLIER_CASE_RATE:
        writer.build(batch, bundle, team, rng.choice(team.workers), "closed", closed_before=case.opened_at.date())
