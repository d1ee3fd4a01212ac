"""The benchmark population: a lean, deterministic generator of rows at province scale.

It reuses the demo generator's material (names, NIK structure, addresses, the case paths of
CaseWriter.plan_case, the texts) but builds plain tuples, not model instances: one million
client systems would take over an hour through the demo's model objects, and minutes this way.
The rows are written by dampingi.bench.loader (PostgreSQL COPY, or executemany elsewhere).

What is generated for N client systems (seed S, dates relative to `today`):
- accounts: the demo accounts and teams (dampingi.demo.accounts.ensure_accounts: sari, dedi, ratna,
  hendra, yogi with the demo password), plus generated teams of ten workers across the regencies of
  Jawa Barat (Kabupaten Bandung keeps about 8% of them at any size), one supervisor for three
  teams; as many workers as keep each one's caseload near CASELOAD open cases at every size;
- client systems (individuals, families, groups, communities) with their people (valid NIKs,
  name_key), memberships and PPKS categories;
- 1.5 cases per client system on average, in every phase: the latest case of a client system is
  open or closed (demo STATE_WEIGHTS), earlier ones are closed; phase/closed_at match the path;
- the timeline: one PhaseTransition per phase visit, activity notes in each phase, a termination
  and a closure approval for terminated cases, "case.open" and "case.close" audit events;
- for FULL_RATE of the cases, the casework content the phase guards ask for: contract and
  consent, the assessment with two problems, the plan with goals and tasks and its approval.
"""

import bisect
import datetime
import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from django.contrib.auth.hashers import make_password
from django.db import models
from django.utils import timezone

from dampingi.accounts.models import Role, Team, User
from dampingi.assessments.models import Assessment, Problem
from dampingi.audit.models import AuditEvent
from dampingi.cases.models import (
    ActivityNote,
    Approval,
    Case,
    Consent,
    Contract,
    PhaseTransition,
    Programme,
    Termination,
)
from dampingi.cases.phases import MoveKind
from dampingi.clients.matching import name_key
from dampingi.clients.models import ClientSystem, Membership, Person, PPKSCategory
from dampingi.clients.services import family_default_name
from dampingi.demo import names, texts
from dampingi.demo.accounts import DEMO_PASSWORD, KAB_BANDUNG, Village, ensure_accounts
from dampingi.demo.casework import EARLY_REASONS, NOTE_KINDS, REFERRAL_DETAILS, STATE_WEIGHTS, CaseWriter, gas_levels
from dampingi.demo.identity import district_digits, nik_date_part
from dampingi.demo.population import (
    GROUP_NAMES,
    KAMPUNG,
    PPKS_ADULT_FEMALE,
    PPKS_ADULT_MALE,
    PPKS_CHILD,
    PPKS_COMMUNITY,
    PPKS_FAMILY,
    PPKS_GROUP,
    PPKS_OLDER,
    PPKS_UNDER_6,
    address,
)
from dampingi.demo.seed import ensure_reference_data
from dampingi.plans.models import Goal, Plan, ResponsibleParty, Task
from dampingi.regions.models import Region

CASELOAD = 40  # open cases per worker the generator aims at, whatever the size
TEAM_SIZE = 10  # workers in a generated team
TEAMS_PER_SUPERVISOR = 3
CASES_PER_CLIENT = [(0, 10), (1, 45), (2, 30), (3, 15)]  # 1.5 on average
OPEN_SHARE = 0.9 * 0.75  # client systems with an open case: 90% have a case, 75% of latest cases are open
FULL_RATE = 0.10  # cases with contract, consent, assessment, problems, plan, goals and tasks on file
CORE_CLIENTS = 1100  # sizes the demo teams: Tim Cileunyi gets 10 workers, Tim Majalaya 9
PROVINCE = "32"  # generated teams work in the regencies of Jawa Barat
KAB_BANDUNG_WEIGHT = 2.3  # against 1 for every other regency: about 8% of the generated teams
STALE_RATE = 0.14


class FastRandom(random.Random):
    """random.Random with cheaper integer draws (one random() each instead of getrandbits loops).

    Deterministic for a seed like its parent; the demo generator's code runs unchanged on it.
    """

    def _randbelow(self, n: int) -> int:
        return int(self.random() * n)

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]


class _Slots(dict):
    def __missing__(self, key):
        return "{" + key + "}"


class Weighted:
    """Fast weighted choice (random.choices rebuilds its tables on every call)."""

    def __init__(self, pairs):
        self.values = [v for v, _w in pairs]
        self.cum = []
        total = 0
        for _v, w in pairs:
            total += w
            self.cum.append(total)
        self.total = total

    def __call__(self, rng: random.Random):
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.total)]


W_KIND = Weighted(
    [
        (ClientSystem.Kind.INDIVIDUAL.value, 60),
        (ClientSystem.Kind.FAMILY.value, 30),
        (ClientSystem.Kind.GROUP.value, 7),
        (ClientSystem.Kind.COMMUNITY.value, 3),
    ]
)
W_CASES = Weighted(CASES_PER_CLIENT)
W_STATE = Weighted([(str(s), w) for s, w in STATE_WEIGHTS])
W_BAND = Weighted([("under6", 10), ("child", 27), ("adult", 40), ("older", 23)])
W_FAMILY_SIZE = Weighted([(2, 10), (3, 20), (4, 28), (5, 22), (6, 12), (7, 8)])
W_NOTE_KIND = Weighted([(str(k), w) for k, w in NOTE_KINDS])
W_SOURCE = Weighted([("government", 35), ("community", 30), ("family", 15), ("self", 10), ("agency", 10)])
W_PRIORITY = Weighted([("low", 20), ("medium", 45), ("high", 27), ("urgent", 8)])
W_PRIORITY_VIOLENCE = Weighted([("medium", 20), ("high", 50), ("urgent", 30)])
W_GOOD_REASON = Weighted([("goals_achieved", 85), ("client_request", 8), ("referred", 7)])
W_EARLY_REASON = Weighted([(str(r), w) for r, w in EARLY_REASONS])
POOLS = {
    key: Weighted(pool)
    for key, pool in {
        "under6": PPKS_UNDER_6,
        "child": PPKS_CHILD,
        "adult_M": PPKS_ADULT_MALE,
        "adult_F": PPKS_ADULT_FEMALE,
        "older": PPKS_OLDER,
        "family": PPKS_FAMILY,
        "group": PPKS_GROUP,
        "community": PPKS_COMMUNITY,
    }.items()
}
TO_DO = Task.Status.TO_DO.value
RESPONSIBLE = set(ResponsibleParty.values)
DURATIONS = (15, 30, 45, 60, 90, 120)
PHONE_DURATIONS = (5, 10, 15, 20)


@lru_cache(maxsize=300_000)
def cached_name_key(name: str) -> str:
    return name_key(name)[:255]


# --- tables --------------------------------------------------------------------------------------


@dataclass
class TableSpec:
    """The columns one table is written with: the generated ones, then constants for the rest.

    Columns the generator does not set get the model field's default (or NULL, or '' for text,
    or the load time for auto_now fields), so a column added later with a default still loads.
    """

    model: type[models.Model]
    given: tuple[str, ...]
    const_columns: tuple[str, ...] = ()
    const_values: tuple = ()

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def columns(self) -> tuple[str, ...]:
        return self.given + self.const_columns


def table_spec(model: type[models.Model], given: tuple[str, ...], now: datetime.datetime) -> TableSpec:
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    missing = [g for g in given if g not in by_attname]
    if missing:
        raise ValueError(f"{model._meta.label}: no columns {missing}")
    columns, values = [], []
    for f in model._meta.concrete_fields:
        if f.attname in given:
            continue
        if f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        elif isinstance(f, (models.CharField, models.TextField)):
            value = ""
        else:
            raise ValueError(f"{model._meta.label}.{f.attname} needs a value: the bench generator does not set it")
        columns.append(f.column)
        values.append(value)
    given_columns = tuple(by_attname[g].column for g in given)
    return TableSpec(model, given_columns, tuple(columns), tuple(values))


PPKS_THROUGH = ClientSystem.ppks.through

GIVEN = {
    Person: (
        "id",
        "full_name",
        "nik",
        "sex",
        "birth_date",
        "birth_place",
        "phone",
        "address",
        "region_id",
        "name_key",
        "created_at",
        "updated_at",
    ),
    ClientSystem: (
        "id",
        "kind",
        "name",
        "no_kk",
        "address",
        "description",
        "created_by_id",
        "region_id",
        "name_key",
        "created_at",
        "updated_at",
    ),
    PPKS_THROUGH: ("id", "clientsystem_id", "ppkscategory_id"),
    Membership: ("id", "client_system_id", "person_id", "relationship", "is_head"),
    Case: (
        "id",
        "client_system_id",
        "programme_id",
        "presenting_problem",
        "referral_source",
        "referral_source_detail",
        "ppks_id",
        "priority",
        "team_id",
        "assigned_worker_id",
        "supervisor_id",
        "phase",
        "phase_changed_at",
        "opened_at",
        "opened_by_id",
        "closed_at",
    ),
    PhaseTransition: ("id", "case_id", "from_phase", "to_phase", "kind", "reason", "actor_id", "at"),
    ActivityNote: (
        "id",
        "case_id",
        "kind",
        "phase",
        "occurred_on",
        "duration_minutes",
        "participants",
        "narrative",
        "author_id",
        "created_at",
    ),
    Termination: ("id", "case_id", "reason", "summary", "followup_date", "recorded_by_id", "recorded_at"),
    Approval: (
        "id",
        "case_id",
        "kind",
        "status",
        "requested_by_id",
        "requested_at",
        "decided_by_id",
        "decided_at",
        "comment",
    ),
    Contract: (
        "id",
        "case_id",
        "focus",
        "client_goals",
        "worker_duties",
        "client_duties",
        "meeting_schedule",
        "start_date",
        "end_date",
        "signed_on",
        "updated_at",
    ),
    Consent: (
        "id",
        "case_id",
        "given_by",
        "giver_name",
        "method",
        "given_on",
        "covers_processing",
        "covers_sharing",
        "recorded_by_id",
        "recorded_at",
    ),
    Assessment: (
        "id",
        "case_id",
        "summary",
        "strengths",
        "resources",
        "risks",
        "risk_level",
        "completed_at",
        "signed_off_by_id",
        "signed_off_at",
        "created_by_id",
        "created_at",
    ),
    Problem: ("id", "case_id", "title", "description", "is_priority", "created_at"),
    Plan: ("id", "case_id", "status", "approach", "updated_at"),
    Goal: (
        "id",
        "plan_id",
        "description",
        "indicator",
        "target_date",
        "problem_id",
        "level_minus2",
        "level_minus1",
        "level_0",
        "level_plus1",
        "level_plus2",
    ),
    Task: ("id", "plan_id", "goal_id", "description", "responsible", "due_date", "status", "completed_on"),
    AuditEvent: ("id", "at", "actor_id", "action", "target_type", "target_id", "case_id", "after"),
}
# Parents before children: the order rows are written in.
TABLE_ORDER = list(GIVEN)
# What "timeline events and notes" counts in the results (audit events are reported separately).
TIMELINE_MODELS = (PhaseTransition, ActivityNote)


# --- accounts ------------------------------------------------------------------------------------


@dataclass
class TeamPlan:
    team_id: int
    supervisor_id: int
    workers: list[tuple[int, str]]  # (user id, full name)
    villages: list[Village]


@dataclass
class BuildPlan:
    teams: list[TeamPlan]
    demo_users: dict[str, int]
    generated_teams: int = 0
    generated_workers: int = 0
    generated_supervisors: int = 0


def _jabar_villages() -> dict[str, list[Village]]:
    """Villages of Jawa Barat by regency code."""
    labels = dict(
        Region.objects.filter(code__startswith=PROVINCE + ".")
        .exclude(level=Region.Level.VILLAGE)
        .values_list("code", "name")
    )
    out: dict[str, list[Village]] = {}
    rows = (
        Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=PROVINCE + ".")
        .order_by("code")
        .values_list("code", "name", "parent_id")
    )
    for code, name, parent in rows:
        regency = code[:5]
        out.setdefault(regency, []).append(
            Village(code, name, parent, labels.get(parent, parent), labels.get(regency, regency))
        )
    return out


def plan_accounts(*, clients: int, seed: int) -> BuildPlan:
    """Create (or reuse) the demo accounts and teams, and the generated teams this size needs."""
    ensure_reference_data(lambda message: None)
    rng = FastRandom(f"{seed}:bench-accounts")  # noqa: S311
    demo_teams, accounts = ensure_accounts(rng=random.Random(f"{seed}:accounts"), clients=CORE_CLIENTS)  # noqa: S311
    plans = [
        TeamPlan(
            t.team.pk,
            t.supervisor.pk,
            [(w.pk, w.get_full_name() or w.username) for w in t.workers],
            t.villages,
        )
        for t in demo_teams
        if t.villages and t.workers
    ]
    core_workers = sum(len(p.workers) for p in plans)
    wanted_workers = math.ceil(clients * OPEN_SHARE / CASELOAD)
    extra_teams = max(0, math.ceil((wanted_workers - core_workers) / TEAM_SIZE))
    build = BuildPlan(plans, {u: a.pk for u, a in accounts.items()})
    if extra_teams == 0:
        return build
    by_regency = _jabar_villages()
    regencies = sorted(by_regency)
    weights = Weighted([(r, KAB_BANDUNG_WEIGHT if r == KAB_BANDUNG else 1.0) for r in regencies])
    password = make_password(DEMO_PASSWORD)
    existing = set(Team.objects.filter(name__startswith="Bench ").values_list("name", flat=True))
    supervisors = []
    sup_rng = FastRandom(f"{seed}:bench-supervisors")  # noqa: S311 - one stream per kind: sizes share names
    for s in range(math.ceil(extra_teams / TEAMS_PER_SUPERVISOR)):
        first, _sp, last = names.person_name(
            sup_rng, sex=sup_rng.choice("MF"), birth_year=sup_rng.randint(1970, 1988)
        ).partition(" ")
        supervisors.append(
            User(
                username=f"supervisor.b{s + 1:05d}",
                first_name=first,
                last_name=last,
                role=Role.SUPERVISOR,
                password=password,
            )
        )
    taken = set(User.objects.filter(username__in=[u.username for u in supervisors]).values_list("username", flat=True))
    User.objects.bulk_create([u for u in supervisors if u.username not in taken], batch_size=2000)
    sup_ids = dict(User.objects.filter(username__in=[u.username for u in supervisors]).values_list("username", "pk"))
    teams, team_villages = [], []
    for t in range(extra_teams):
        regency = weights(rng)
        villages = by_regency[regency]
        districts = sorted({v.district_code for v in villages})
        district = districts[t % len(districts)]
        chosen = [v for v in villages if v.district_code == district]
        name = f"Bench {villages[0].regency_name} — Tim {chosen[0].district_name} {t + 1}"[:150]
        team_villages.append(chosen)
        teams.append(
            Team(name=name, region_id=regency, supervisor_id=sup_ids[supervisors[t // TEAMS_PER_SUPERVISOR].username])
        )
    Team.objects.bulk_create([t for t in teams if t.name not in existing], batch_size=2000)
    team_ids = dict(Team.objects.filter(name__startswith="Bench ").values_list("name", "pk"))
    workers = []
    for t, team in enumerate(teams):
        worker_rng = FastRandom(f"{seed}:bench-workers:{t}")  # noqa: S311
        for w in range(TEAM_SIZE):
            sex = worker_rng.choice("MFF")
            first, _sp, last = names.person_name(
                worker_rng, sex=sex, birth_year=worker_rng.randint(1982, 1999)
            ).partition(" ")
            workers.append(
                User(
                    username=f"pekerja.b{t + 1:05d}.{w + 1:02d}",
                    first_name=first,
                    last_name=last,
                    role=Role.WORKER,
                    team_id=team_ids[team.name],
                    password=password,
                )
            )
    taken = set(User.objects.filter(username__startswith="pekerja.b").values_list("username", flat=True))
    User.objects.bulk_create([u for u in workers if u.username not in taken], batch_size=2000)
    worker_rows = User.objects.filter(username__startswith="pekerja.b").values_list(
        "username", "pk", "first_name", "last_name", "team_id"
    )
    by_team: dict[int, list[tuple[int, str]]] = {}
    for username, pk, first, last, team_id in sorted(worker_rows):
        by_team.setdefault(team_id, []).append((pk, f"{first} {last}".strip() or username))
    for t, team in enumerate(teams):
        team_id = team_ids[team.name]
        plans.append(TeamPlan(team_id, team.supervisor_id, by_team[team_id][:TEAM_SIZE], team_villages[t]))
    build.generated_teams = extra_teams
    build.generated_workers = len(workers)
    build.generated_supervisors = len(supervisors)
    return build


# --- rows ----------------------------------------------------------------------------------------


@dataclass
class Chunk:
    rows: dict[type, list[tuple]] = field(default_factory=lambda: {m: [] for m in TABLE_ORDER})


class Ids:
    """Explicit primary keys, from the current maximum of each table on.

    With several generating processes (shards), shard k of n hands out start+k, start+k+n, ...:
    the keys interleave, stay unique, and no process needs to know how many rows the others make.
    """

    def __init__(self, start: dict[type, int], *, shard: int = 0, shards: int = 1):
        self.next = {model: value + shard for model, value in start.items()}
        self.step = shards

    def __call__(self, model: type) -> int:
        value = self.next[model]
        self.next[model] = value + self.step
        return value


class NikBook:
    """NIK serials per prefix, in order (the database is empty of generated people: no lookup)."""

    def __init__(self, taken: set[str] | None = None, *, shard: int = 0, shards: int = 1):
        self._next: dict[str, int] = {}
        self.taken = taken or set()
        self.shard, self.step = shard, shards

    def issue(self, prefix: str) -> str | None:
        serial = self._next.get(prefix) or 1 + int(prefix) % 37 + self.shard
        while serial <= 9999:
            number = f"{prefix}{serial:04d}"
            serial += self.step
            if number not in self.taken:
                self._next[prefix] = serial
                return number
        self._next[prefix] = serial
        return None


class BenchGenerator:
    def __init__(
        self,
        *,
        clients: int,
        seed: int,
        plan: BuildPlan,
        start_ids: dict[type, int],
        today: datetime.date | None = None,
        taken_niks: set[str] | None = None,
        taken_kks: set[str] | None = None,
        now: datetime.datetime | None = None,
    ):
        self.clients = clients
        self.seed = seed
        self.plan = plan
        self.today = today or timezone.localdate()
        self.tz = timezone.get_current_timezone()
        self.now = now or timezone.now()
        self.anchor = datetime.date(self.today.year, 1, 1)
        self.rng = FastRandom(f"{seed}:bench-people")  # noqa: S311
        self.case_rng = FastRandom(f"{seed}:bench-cases")  # noqa: S311
        self.start_ids = start_ids
        self.ids = Ids(start_ids)
        self.niks = NikBook(taken_niks)
        self.kks = NikBook(taken_kks)
        self.ppks_ids = dict(
            PPKSCategory.objects.filter(active=True).order_by("version", "number").values_list("slug", "pk")
        )
        self.default_ppks = self.ppks_ids.get("fm") or next(iter(self.ppks_ids.values()))
        programmes = dict(Programme.objects.values_list("name", "pk"))
        default_programme = Programme.objects.order_by("name").values_list("pk", flat=True).first()
        self.programme_for_theme = {
            theme: programmes.get(name, default_programme) for theme, name in texts.PROGRAMME_FOR_THEME.items()
        }
        self.writer = CaseWriter(
            rng=self.case_rng,
            today=self.today,
            tz=self.tz,
            ppks_ids=self.ppks_ids,
            programmes=programmes,
            default_programme=default_programme,
        )
        self.other_districts = sorted(
            Region.objects.filter(level=Region.Level.DISTRICT, code__regex=r"^3[123]\.").values_list("code", flat=True)
        )
        self.specs = {model: table_spec(model, given, self.now) for model, given in GIVEN.items()}
        self.counts: dict[str, int] = {}

    # --- the sequence of client systems ----------------------------------------------------------

    def team_sequence(self) -> list[int]:
        """Which team each client system belongs to: shares in proportion to the team's workers,
        shuffled so that a team's rows are spread over the tables as in a real database."""
        teams = self.plan.teams
        total_workers = sum(len(t.workers) for t in teams)
        sequence: list[int] = []
        assigned = 0
        for i, team in enumerate(teams):
            share = (
                self.clients - assigned
                if i == len(teams) - 1
                else int(self.clients * len(team.workers) / total_workers)
            )
            assigned += share
            sequence.extend([i] * share)
        FastRandom(f"{self.seed}:bench-sequence").shuffle(sequence)  # noqa: S311
        return sequence

    def chunks(self, chunk_size: int = 5000, *, shard: int = 0, shards: int = 1) -> Iterator[Chunk]:
        """The population in chunks of client systems. With shards > 1, this process makes every
        shards-th chunk (from `shard`) and hands out interleaved keys and NIK serials; each chunk
        draws from its own seeded generators, so its content does not depend on the sharding."""
        sequence = self.team_sequence()
        self.ids = Ids(self.start_ids, shard=shard, shards=shards)
        self.niks = NikBook(self.niks.taken, shard=shard, shards=shards)
        self.kks = NikBook(self.kks.taken, shard=shard, shards=shards)
        for index, start in enumerate(range(0, len(sequence), chunk_size)):
            if index % shards != shard:
                continue
            self.rng = FastRandom(f"{self.seed}:bench-people:{index}")
            self.case_rng = self.writer.rng = FastRandom(f"{self.seed}:bench-cases:{index}")
            chunk = Chunk()
            for team_index in sequence[start : start + chunk_size]:
                self.client(chunk, self.plan.teams[team_index])
            for model, rows in chunk.rows.items():
                key = model._meta.db_table
                self.counts[key] = self.counts.get(key, 0) + len(rows)
            yield chunk

    # --- people and client systems ---------------------------------------------------------------

    def birth_date(self, age: int) -> datetime.date:
        return self.anchor - datetime.timedelta(days=age * 365 + age // 4 + self.rng.randrange(1, 365))

    def person(
        self, chunk: Chunk, village: Village, *, sex: str, age: int, home: str, nik_rate: float = 0.95
    ) -> tuple[int, str]:
        rng = self.rng
        born = self.birth_date(age)
        full_name = names.person_name(rng, sex=sex, birth_year=born.year)
        nik = None
        if rng.random() < nik_rate:
            district = (
                village.district_code
                if rng.random() < 0.88 or not self.other_districts
                else rng.choice(self.other_districts)
            )
            nik = self.niks.issue(district_digits(district) + nik_date_part(born, sex))
        pk = self.ids(Person)
        chunk.rows[Person].append(
            (
                pk,
                full_name,
                nik,
                sex,
                born,
                rng.choice(names.BIRTH_PLACES),
                names.phone_number(rng) if age >= 17 and rng.random() < 0.7 else "",
                home,
                village.code,
                cached_name_key(full_name),
                self.now,
                self.now,
            )
            + self.specs[Person].const_values
        )
        return pk, full_name

    def member(self, chunk: Chunk, system_id: int, person_id: int, relationship: str, head: bool = False) -> None:
        chunk.rows[Membership].append(
            (self.ids(Membership), system_id, person_id, relationship, head) + self.specs[Membership].const_values
        )

    def client(self, chunk: Chunk, team: TeamPlan) -> None:
        rng = self.rng
        worker_id, worker_name = rng.choice(team.workers)
        village = rng.choice(team.villages)
        kind = W_KIND(rng)
        system_id = self.ids(ClientSystem)
        home = address(rng, village)
        no_kk, description = "", ""
        age = None
        if kind == "individual":
            band = W_BAND(rng)
            sex = rng.choice("MF")
            age = {
                "under6": (0, 5),
                "child": (6, 17),
                "adult": (18, 59),
                "older": (60, 92),
            }[band]
            age = rng.randint(*age)
            pool = POOLS[f"adult_{sex}"] if band == "adult" else POOLS[band]
            slug = pool(rng)
            if slug in ("prse", "ts"):
                sex = "F"
            person_id, full_name = self.person(chunk, village, sex=sex, age=age, home=home)
            self.member(chunk, system_id, person_id, Membership.Relationship.SELF.value)
            name = full_name
            call = names.short_call_name(full_name, sex=sex, age=age)
            ppks = [slug] + (["fm"] if slug != "fm" and rng.random() < 0.2 else [])
        elif kind == "family":
            size = W_FAMILY_SIZE(rng)
            head_age = rng.randint(26, 66)
            head_sex = "F" if rng.random() < 0.15 else "M"
            head_id, head_name = self.person(chunk, village, sex=head_sex, age=head_age, home=home, nik_rate=0.98)
            self.member(chunk, system_id, head_id, Membership.Relationship.HEAD.value, True)
            remaining = size - 1
            if head_sex == "M" and remaining > 0:
                spouse_id, _n = self.person(
                    chunk, village, sex="F", age=max(18, head_age - rng.randint(0, 8)), home=home, nik_rate=0.98
                )
                self.member(chunk, system_id, spouse_id, Membership.Relationship.SPOUSE.value)
                remaining -= 1
            for _i in range(remaining):
                child_age = rng.randint(0, max(0, min(24, head_age - 19)))
                child_id, _n = self.person(chunk, village, sex=rng.choice("MF"), age=child_age, home=home, nik_rate=0.9)
                self.member(chunk, system_id, child_id, Membership.Relationship.CHILD.value)
            issued = self.anchor - datetime.timedelta(days=rng.randint(60, 5500))
            no_kk = (
                self.kks.issue(
                    district_digits(village.district_code)
                    + f"{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}"
                )
                or ""
            )
            name = family_default_name(head_name)
            call = f"keluarga {names.short_call_name(head_name, sex=head_sex, age=head_age)}"
            description = f"Keluarga {size} orang dalam satu KK; kepala keluarga {head_name}."
            slug = POOLS["family"](rng)
            ppks = [slug]
        elif kind == "group":
            slug = POOLS["group"](rng)
            name = GROUP_NAMES[slug].format(village=village.name, district=village.district_name, flower="Mekar Sari")
            size = rng.randint(4, 10)
            for i in range(size):
                member_age = rng.randint(60, 85) if slug == "lut" else rng.randint(20, 58)
                pid, _n = self.person(chunk, village, sex=rng.choice("MF"), age=member_age, home=address(rng, village))
                self.member(
                    chunk,
                    system_id,
                    pid,
                    (Membership.Relationship.CONTACT if i == 0 else Membership.Relationship.MEMBER).value,
                )
            call = "anggota kelompok"
            description = f"Kelompok dengan {size} anggota terdaftar."
            ppks = [slug]
        else:
            slug = POOLS["community"](rng)
            kampung = rng.choice(KAMPUNG)
            name = f"Warga Kampung {kampung}, Desa {village.name}"
            pid, _n = self.person(
                chunk, village, sex=rng.choice("MMF"), age=rng.randint(35, 65), home=address(rng, village), nik_rate=1
            )
            self.member(chunk, system_id, pid, Membership.Relationship.CONTACT.value)
            call = "warga"
            description = f"Sekitar {rng.randint(35, 260)} KK; tokoh penghubung: ketua RW."
            ppks = [slug]
        name = name[:150]
        chunk.rows[ClientSystem].append(
            (
                system_id,
                kind,
                name,
                no_kk,
                home,
                description,
                worker_id,
                village.code,
                cached_name_key(name),
                self.now,
                self.now,
            )
            + self.specs[ClientSystem].const_values
        )
        for s in dict.fromkeys(ppks):
            if s in self.ppks_ids:
                chunk.rows[PPKS_THROUGH].append(
                    (self.ids(PPKS_THROUGH), system_id, self.ppks_ids[s]) + self.specs[PPKS_THROUGH].const_values
                )
        n_cases = W_CASES(self.case_rng)
        if not n_cases:
            return
        crng = self.case_rng
        slots = _Slots(
            client=call,
            village=village.name,
            district=village.district_name,
            school=f"SDN {crng.randint(1, 5)} {village.name}",
            puskesmas=f"Puskesmas {village.district_name}",
            desa=f"Kantor Desa {village.name}",
            lks="LKS Bina Insani",
            worker=worker_name,
            house=crng.choice(texts.HOUSE_STATES),
            mood=crng.choice(texts.MOODS),
        )
        theme_key = texts.PPKS_THEME[ppks[0]]
        context = (system_id, theme_key, slots, ppks[0], kind, team)
        # The latest case first (its path ends today or at its closure), then earlier, closed ones.
        opened = self.case(chunk, context, worker_id, W_STATE(crng), closed_before=None)
        for _k in range(n_cases - 1):
            other_worker = crng.choice(team.workers)[0]
            opened = self.case(
                chunk, context, other_worker, "closed", closed_before=opened - datetime.timedelta(days=1)
            )

    # --- cases -----------------------------------------------------------------------------------

    def at(self, day: datetime.date) -> datetime.datetime:
        minute = int(self.case_rng.random() * 540)
        return datetime.datetime(day.year, day.month, day.day, 8 + minute // 60, minute % 60, tzinfo=self.tz)

    def case(self, chunk: Chunk, context, worker_id: int, state: str, *, closed_before) -> datetime.date:
        """One case and its timeline; returns the day it was opened."""
        system_id, theme_key, slots, ppks_slug, kind, team = context
        rng = self.case_rng
        rows = chunk.rows
        specs = self.specs
        path = self.writer.plan_case(state, closed_before=closed_before)
        visits = path.visits
        theme = texts.THEMES[theme_key]
        case_id = self.ids(Case)
        supervisor_id = team.supervisor_id
        moved_at = [self.at(v.start) for v in visits]
        closed_at = self.at(path.closed_on) if path.closed_on else None
        source = W_SOURCE(rng)
        priority = (W_PRIORITY_VIOLENCE if theme_key in ("child_violence", "adult_violence") else W_PRIORITY)(rng)
        current = visits[-1]
        rows[Case].append(
            (
                case_id,
                system_id,
                self.programme_for_theme.get(theme_key),
                rng.choice(theme.presenting).format_map(slots),
                source,
                rng.choice(REFERRAL_DETAILS[source]).format_map(slots),
                self.ppks_ids.get(ppks_slug, self.default_ppks),
                priority,
                team.team_id,
                worker_id,
                supervisor_id,
                str(current.phase),
                moved_at[-1],
                moved_at[0],
                worker_id,
                closed_at,
            )
            + specs[Case].const_values
        )
        audit_const = specs[AuditEvent].const_values
        rows[AuditEvent].append(
            (
                self.ids(AuditEvent),
                moved_at[0],
                worker_id,
                "case.open",
                "cases.case",
                str(case_id),
                case_id,
                '{"phase": "engagement", "generated": "bench"}',
            )
            + audit_const
        )
        if closed_at is not None:
            rows[AuditEvent].append(
                (
                    self.ids(AuditEvent),
                    closed_at,
                    supervisor_id,
                    "case.close",
                    "cases.case",
                    str(case_id),
                    case_id,
                    json.dumps({"closed_at": closed_at.isoformat()}),
                )
                + audit_const
            )
        full = rng.random() < FULL_RATE
        last_note_day = self.today - datetime.timedelta(days=rng.randint(31, 80)) if path.stale else self.today
        participants = slots["client"]
        previous = ""
        plan_ids: tuple[int, list[int], list[int]] | None = None
        problem_ids: list[int] = []
        seen: set[str] = set()
        pt_const = specs[PhaseTransition].const_values
        note_const = specs[ActivityNote].const_values

        def note(phase: str, note_kind: str, day: datetime.date) -> None:
            if day > last_note_day:
                return
            rows[ActivityNote].append(
                (
                    self.ids(ActivityNote),
                    case_id,
                    note_kind,
                    phase,
                    day,
                    rng.choice(PHONE_DURATIONS if note_kind == "phone_call" else DURATIONS),
                    participants,
                    rng.choice(texts.ACTIVITY_TEXTS[note_kind]).format_map(slots),
                    worker_id,
                    datetime.datetime(day.year, day.month, day.day, 17, 0, tzinfo=self.tz),
                )
                + note_const
            )

        def spread(start: datetime.date, end: datetime.date, count: int) -> list[datetime.date]:
            if end < start:
                return []
            span = (end - start).days
            return sorted(start + datetime.timedelta(days=rng.randint(0, span)) for _ in range(count))

        n = len(visits)
        for index, visit in enumerate(visits):
            phase = str(visit.phase)
            left = visit.end is not None
            end = visit.end or self.today
            note_until = min(end, last_note_day)
            rows[PhaseTransition].append(
                (
                    self.ids(PhaseTransition),
                    case_id,
                    previous,
                    phase,
                    str(visit.kind),
                    visit.reason,
                    supervisor_id if visit.kind == MoveKind.REOPEN else worker_id,
                    moved_at[index],
                )
                + pt_const
            )
            previous = phase
            first_time = phase not in seen
            seen.add(phase)
            if phase == "engagement":
                note(phase, "intake", visit.start)
                if rng.random() < 0.3:
                    note(phase, "phone_call", min(visit.start + datetime.timedelta(days=3), note_until))
                if full and first_time:
                    self.contract_and_consent(chunk, case_id, worker_id, visit, left, theme, slots)
            elif phase == "assessment":
                note(phase, "home_visit", min(visit.start + datetime.timedelta(days=rng.randint(1, 6)), note_until))
                if full:
                    if first_time:
                        problem_ids = self.problems(chunk, case_id, theme, moved_at[index])
                    self.assessment(chunk, case_id, worker_id, supervisor_id, visit, left, theme, slots)
            elif phase == "planning":
                note(phase, "case_conference", min(visit.start + datetime.timedelta(days=1), note_until))
                if full and plan_ids is None:
                    plan_ids = self.plan_rows(chunk, case_id, worker_id, supervisor_id, theme, problem_ids, visit, left)
            elif phase == "intervention":
                count = max(1, min(6, ((note_until - visit.start).days or 1) // 30))
                for day in spread(visit.start, note_until, count):
                    note_kind = W_NOTE_KIND(rng)
                    if kind in ("group", "community") and rng.random() < 0.4:
                        note_kind = "group_session"
                    note(phase, note_kind, day)
            elif phase == "evaluation":
                note(phase, "home_visit", min(visit.start + datetime.timedelta(days=2), note_until))
            elif phase == "termination":
                last = index == n - 1
                reason = path.termination_reason if last else "lost_contact"
                closed = closed_at if last else (self.at(visit.end) if visit.end else None)
                self.termination(chunk, case_id, worker_id, supervisor_id, visit, reason, closed, moved_at[index])
                previous = "termination"
        if plan_ids is not None:
            self.task_statuses(chunk, plan_ids, current, path.closed_on)
        return visits[0].start

    def termination(self, chunk, case_id, worker_id, supervisor_id, visit, reason, closed_at, recorded_at) -> None:
        rng = self.case_rng
        followup = None
        if reason == "goals_achieved" or (reason in ("referred", "client_request") and rng.random() < 0.5):
            followup = visit.start + datetime.timedelta(days=rng.choice([30, 60, 90]))
        chunk.rows[Termination].append(
            (
                self.ids(Termination),
                case_id,
                reason,
                texts.TERMINATION_SUMMARIES[reason][0],
                followup,
                worker_id,
                recorded_at,
            )
            + self.specs[Termination].const_values
        )
        approved = closed_at is not None
        chunk.rows[Approval].append(
            (
                self.ids(Approval),
                case_id,
                "closure",
                "approved" if approved else "pending",
                worker_id,
                recorded_at,
                supervisor_id if approved else None,
                max(closed_at, recorded_at) if approved else None,
                "",
            )
            + self.specs[Approval].const_values
        )

    # --- casework content for FULL_RATE of the cases -------------------------------------------------

    def contract_and_consent(self, chunk, case_id, worker_id, visit, left, theme, slots) -> None:
        rng = self.case_rng
        end = visit.end or self.today
        start = visit.start + datetime.timedelta(days=rng.randint(0, max(0, (end - visit.start).days)))
        chunk.rows[Contract].append(
            (
                self.ids(Contract),
                case_id,
                rng.choice(theme.focus),
                rng.choice(theme.client_goals),
                rng.choice(texts.CONTRACT_WORKER_DUTIES),
                rng.choice(texts.CONTRACT_CLIENT_DUTIES),
                rng.choice(texts.MEETING_SCHEDULES),
                start,
                start + datetime.timedelta(days=rng.choice([90, 180, 270, 365])),
                start if left or rng.random() < 0.5 else None,
                self.at(start),
            )
            + self.specs[Contract].const_values
        )
        chunk.rows[Consent].append(
            (
                self.ids(Consent),
                case_id,
                Consent.GivenBy.CLIENT.value,
                slots["client"][:150],
                Consent.Method.SIGNED_PAPER.value,
                visit.start,
                True,
                rng.random() < 0.7,
                worker_id,
                self.at(visit.start),
            )
            + self.specs[Consent].const_values
        )

    def problems(self, chunk, case_id, theme, when) -> list[int]:
        rng = self.case_rng
        ids = []
        for i, spec in enumerate(rng.sample(theme.problems, min(2, len(theme.problems)))):
            pk = self.ids(Problem)
            ids.append(pk)
            chunk.rows[Problem].append(
                (pk, case_id, spec.title, spec.description, i == 0, when) + self.specs[Problem].const_values
            )
        return ids

    def assessment(self, chunk, case_id, worker_id, supervisor_id, visit, left, theme, slots) -> None:
        rng = self.case_rng
        end = visit.end or self.today
        completed = left or rng.random() < 0.4
        done_at = self.at(end) if completed else None
        chunk.rows[Assessment].append(
            (
                self.ids(Assessment),
                case_id,
                rng.choice(texts.ASSESSMENT_SUMMARIES).format_map(
                    _Slots(slots, visits=rng.randint(2, 4), problem_lead="")
                ),
                " ".join(theme.strengths[:2]),
                rng.choice(theme.resources),
                rng.choice(theme.risks),
                rng.choice(["low", "medium", "high"]),
                done_at,
                supervisor_id if completed else None,
                done_at,
                worker_id,
                self.at(visit.start),
            )
            + self.specs[Assessment].const_values
        )

    def plan_rows(self, chunk, case_id, worker_id, supervisor_id, theme, problem_ids, visit, left):
        rng = self.case_rng
        end = visit.end or self.today
        plan_id = self.ids(Plan)
        status = "approved" if left else rng.choice(["draft", "submitted"])
        chunk.rows[Plan].append(
            (plan_id, case_id, status, rng.choice(texts.PLAN_APPROACHES), self.at(end)) + self.specs[Plan].const_values
        )
        if status != "draft":
            requested = visit.start + datetime.timedelta(days=max(0, (end - visit.start).days - 1))
            chunk.rows[Approval].append(
                (
                    self.ids(Approval),
                    case_id,
                    "plan",
                    "approved" if left else "pending",
                    worker_id,
                    self.at(requested),
                    supervisor_id if left else None,
                    self.at(end) if left else None,
                    "",
                )
                + self.specs[Approval].const_values
            )
        goal_ids, task_ids = [], []
        for i, spec in enumerate(rng.sample(theme.goals, min(2, len(theme.goals)))):
            goal_id = self.ids(Goal)
            goal_ids.append(goal_id)
            chunk.rows[Goal].append(
                (
                    goal_id,
                    plan_id,
                    spec.description[:300],
                    spec.indicator[:300],
                    visit.start + datetime.timedelta(days=rng.choice([60, 90, 120, 180])),
                    problem_ids[i % len(problem_ids)] if problem_ids else None,
                    *gas_levels(spec.indicator),
                )
                + self.specs[Goal].const_values
            )
            for desc, responsible, _kind in spec.tasks[:2]:
                task_ids.append(
                    [
                        self.ids(Task),
                        plan_id,
                        goal_id,
                        desc.format_map(_Slots(client="klien", village="desa", district="kecamatan"))[:300],
                        responsible if responsible in RESPONSIBLE else "worker",
                        visit.start + datetime.timedelta(days=rng.randint(14, 150)),
                        TO_DO,
                        None,
                    ]
                )
        return plan_id, goal_ids, task_ids

    def task_statuses(self, chunk, plan_ids, current, closed_on) -> None:
        rng = self.case_rng
        _plan_id, _goals, tasks = plan_ids
        phase = str(current.phase)
        for task in tasks:
            due = task[5]
            if phase == "planning":
                status = TO_DO
                due = max(due, self.today + datetime.timedelta(days=rng.randint(7, 60)))
            elif closed_on is not None or phase == "termination":
                status = "done" if rng.random() < 0.8 else "cancelled"
                end = closed_on or self.today
                if due > end:
                    due = end - datetime.timedelta(days=rng.randint(1, 20))
            elif due < self.today:
                status = rng.choice(["done", "done", "done", "in_progress", TO_DO])
            else:
                status = rng.choice([TO_DO, TO_DO, "in_progress"])
            task[5], task[6] = due, status
            task[7] = min(due, self.today) if status == "done" else None
            chunk.rows[Task].append(tuple(task) + self.specs[Task].const_values)
