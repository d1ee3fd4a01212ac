"""Case files for the demo population, spread over every phase of the helping process.

A case is planned as a path of phase visits (Engagement → Assessment → Planning →
Intervention → Evaluation → Termination, sometimes with another cycle back to Planning,
an early termination, or a closure and a reopening) with dates that end today or at the
closure. Each visit leaves what that phase implies on file: the contract and consent,
the assessment with problems, causes and effects, the social-functioning ratings, the
plan with goals and tasks approved by the supervisor, activity notes, the evaluation with
goal results, the termination with its follow-up date, the approvals and the phase
history. Rows are built in memory and written in bulk by dampingi.demo.seed.
"""

import datetime
import random
import string
from dataclasses import dataclass, field

from dampingi.accounts.models import User
from dampingi.assessments.models import Assessment, Problem, ProblemFactor, RiskLevel, SocialFunctioningRating
from dampingi.cases.models import (
    ActivityNote,
    Approval,
    Case,
    Consent,
    Contract,
    PhaseTransition,
    Priority,
    ReferralSource,
    Stakeholder,
    Termination,
)
from dampingi.cases.phases import MoveKind, Phase
from dampingi.clients.models import ClientSystem
from dampingi.demo import names, texts
from dampingi.demo.accounts import DemoTeam
from dampingi.demo.population import ClientBundle, weighted
from dampingi.plans.gas import LEVEL_FIELDS
from dampingi.plans.models import Evaluation, Goal, GoalResult, Plan, ResponsibleParty, Task

DURATIONS = {  # days a case usually spends in a phase (min, max)
    Phase.ENGAGEMENT: (2, 21),
    Phase.ASSESSMENT: (7, 35),
    Phase.PLANNING: (5, 25),
    Phase.INTERVENTION: (30, 180),
    Phase.EVALUATION: (7, 30),
    Phase.TERMINATION: (1, 20),
}
FORWARD = [Phase.ENGAGEMENT, Phase.ASSESSMENT, Phase.PLANNING, Phase.INTERVENTION, Phase.EVALUATION]

# Where the current case of a client system stands.
STATE_WEIGHTS = [
    (Phase.ENGAGEMENT, 11),
    (Phase.ASSESSMENT, 13),
    (Phase.PLANNING, 13),
    (Phase.INTERVENTION, 24),
    (Phase.EVALUATION, 9),
    (Phase.TERMINATION, 5),
    ("closed", 25),
]
EARLY_REASONS = [
    (Termination.Reason.MOVED, 25),
    (Termination.Reason.LOST_CONTACT, 30),
    (Termination.Reason.REFERRED, 20),
    (Termination.Reason.CLIENT_REQUEST, 15),
    (Termination.Reason.DIED, 5),
    (Termination.Reason.OTHER, 5),
]

LKS_NAMES = (
    "LKS Bina Insani",
    "LKSA Al-Hidayah",
    "LK3 Kabupaten Bandung",
    "Yayasan Rumah Harapan",
    "LKS Lansia Welas Asih",
    "Yayasan Peduli Difabel Priangan",
    "LBH Bandung",
)
UNIVERSITIES = (
    "Fakultas Psikologi Universitas Padjadjaran",
    "Politeknik Kesejahteraan Sosial Bandung",
    "Prodi Kesejahteraan Sosial Universitas Padjadjaran",
    "UIN Sunan Gunung Djati Bandung",
    "Universitas Pendidikan Indonesia",
)
NOTE_KINDS = [
    (ActivityNote.Kind.HOME_VISIT, 35),
    (ActivityNote.Kind.COUNSELLING, 18),
    (ActivityNote.Kind.PHONE_CALL, 15),
    (ActivityNote.Kind.CASE_CONFERENCE, 6),
    (ActivityNote.Kind.REFERRAL, 10),
    (ActivityNote.Kind.ADVOCACY, 8),
    (ActivityNote.Kind.OTHER, 4),
]
REFERRAL_DETAILS = {
    ReferralSource.GOVERNMENT: (
        "Kepala Desa {village}",
        "UPTD PPA",
        "Puskesmas {district}",
        "Pendamping PKH Kec. {district}",
        "TKSK Kec. {district}",
        "Satpol PP",
    ),
    ReferralSource.COMMUNITY: ("Ketua RT setempat", "Kader posyandu", "Pengurus DKM", "Karang Taruna {village}"),
    ReferralSource.FAMILY: ("Anak klien", "Kakak klien", "Menantu klien", "Paman klien"),
    ReferralSource.AGENCY: ("LKS Bina Insani", "Bapas Bandung", "RSUD Majalaya", "Sekolah"),
    ReferralSource.SELF: ("",),
}


class _Slots(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def gas_levels(indicator: str) -> list[str]:
    """The five Goal Attainment Scaling levels (−2 to +2) of a demo goal, written from its indicator."""
    return [
        text[:300]
        for text in (
            f"Keadaan memburuk dibanding awal pendampingan; jauh dari indikator: {indicator}",
            f"Keadaan seperti awal pendampingan atau sedikit membaik; belum mencapai: {indicator}",
            f"Sesuai harapan: {indicator}",
            f"Melebihi harapan: {indicator}, dan bertahan tanpa pendampingan intensif",
            f"Jauh melebihi harapan: {indicator}, bertahan mandiri dan keluarga membantu keluarga lain",
        )
    ]


def fill(template: str, slots: dict) -> str:
    return string.Formatter().vformat(template, (), _Slots(slots))


@dataclass
class Batch:
    """Rows of one chunk, by model, in the order they can be inserted."""

    persons: list = field(default_factory=list)
    systems: list = field(default_factory=list)
    memberships: list = field(default_factory=list)
    system_ppks: list = field(default_factory=list)  # (ClientSystem, ppks id)
    cases: list = field(default_factory=list)
    transitions: list = field(default_factory=list)
    contracts: list = field(default_factory=list)
    consents: list = field(default_factory=list)
    stakeholders: list = field(default_factory=list)
    assessments: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    ratings: list = field(default_factory=list)
    plans: list = field(default_factory=list)
    approvals: list = field(default_factory=list)
    terminations: list = field(default_factory=list)
    evaluations: list = field(default_factory=list)
    factors: list = field(default_factory=list)
    problem_links: list = field(default_factory=list)  # (Problem, Problem)
    goals: list = field(default_factory=list)
    tasks: list = field(default_factory=list)
    results: list = field(default_factory=list)
    notes: list = field(default_factory=list)


@dataclass
class Visit:
    phase: Phase
    start: datetime.date
    end: datetime.date | None  # None: the case is in this phase today
    kind: MoveKind  # how the case entered this phase
    reason: str = ""


@dataclass
class CasePlan:
    visits: list[Visit]
    closed_on: datetime.date | None
    termination_reason: str | None
    stale: bool = False  # no activity recorded in the last 30+ days


class CaseWriter:
    """Builds case files for one population, with its own random stream."""

    def __init__(
        self,
        *,
        rng: random.Random,
        today: datetime.date,
        tz,
        ppks_ids: dict[str, int],
        programmes: dict[str, int],
        default_programme: int,
    ):
        self.rng = rng
        self.default_ppks = ppks_ids.get("fm") or next(iter(ppks_ids.values()))
        self._last_note_day = today
        self.today = today
        self.tz = tz
        self.ppks_ids = ppks_ids
        self.programmes = programmes
        self.default_programme = default_programme

    # --- dates -----------------------------------------------------------------------------------

    def at(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime(
            day.year, day.month, day.day, self.rng.randint(8, 16), self.rng.randint(0, 59), tzinfo=self.tz
        )

    def days(self, phase: Phase, *, longest: int | None = None) -> int:
        low, high = DURATIONS[phase]
        return self.rng.randint(low, longest or high)

    def _lay(self, steps: list[tuple[Phase, MoveKind, str]], end: datetime.date, *, current: bool) -> list[Visit]:
        """Visits through `steps` laid backwards so that the last one ends at `end` (or is current)."""
        visits: list[Visit] = []
        cursor = end
        for i, (phase, kind, reason) in enumerate(reversed(steps)):
            last = i == 0
            length = self.days(phase, longest=200 if phase == Phase.INTERVENTION and last and current else None)
            start = cursor - datetime.timedelta(days=length)
            visits.append(Visit(phase, start, None if (last and current) else cursor, kind, reason))
            cursor = start
        visits.reverse()
        return visits

    @staticmethod
    def _steps(
        phases: list[Phase], *, cycle: bool = False, first: MoveKind = MoveKind.OPEN, first_reason: str = ""
    ) -> list[tuple[Phase, MoveKind, str]]:
        steps = [
            (phase, first if i == 0 else MoveKind.FORWARD, first_reason if i == 0 else "")
            for i, phase in enumerate(phases)
        ]
        if cycle:
            steps += [
                (
                    Phase.PLANNING,
                    MoveKind.CYCLE,
                    "Sebagian tujuan belum tercapai; rencana disusun ulang bersama klien.",
                ),
                (Phase.INTERVENTION, MoveKind.FORWARD, ""),
                (Phase.EVALUATION, MoveKind.FORWARD, ""),
            ]
        return steps

    def plan_case(self, state: str, *, closed_before: datetime.date | None = None) -> CasePlan:
        """The path of a case now in `state` (a phase, or "closed"; closed before a date if given)."""
        rng = self.rng
        if state == "closed" or state == Phase.TERMINATION:
            closed = state == "closed"
            if closed:
                closed_on = (closed_before or self.today) - datetime.timedelta(days=rng.randint(2, 900))
                ter_start = closed_on - datetime.timedelta(days=rng.randint(1, 14))
            else:
                closed_on = None
                ter_start = self.today - datetime.timedelta(days=self.days(Phase.TERMINATION))
            if rng.random() < 0.75:
                phases = list(FORWARD)
                reason = weighted(
                    rng,
                    [
                        (Termination.Reason.GOALS_ACHIEVED, 85),
                        (Termination.Reason.CLIENT_REQUEST, 8),
                        (Termination.Reason.REFERRED, 7),
                    ],
                )
            else:
                phases = FORWARD[: rng.randint(1, 4)]
                reason = weighted(rng, EARLY_REASONS)
            cycle = len(phases) == len(FORWARD) and rng.random() < 0.1
            visits = self._lay(self._steps(phases, cycle=cycle), ter_start, current=False)
            visits.append(
                Visit(
                    Phase.TERMINATION, ter_start, closed_on, MoveKind.TERMINATE, str(Termination.Reason(reason).label)
                )
            )
            return CasePlan(visits, closed_on, reason)
        target = Phase(state)
        phases = FORWARD[: FORWARD.index(target) + 1]
        cycle = target == Phase.EVALUATION and rng.random() < 0.12
        reopened = rng.random() < 0.04
        steps = self._steps(
            phases,
            cycle=cycle,
            first=MoveKind.REOPEN if reopened else MoveKind.OPEN,
            first_reason="Klien kembali menghubungi; situasi memburuk setelah kasus ditutup." if reopened else "",
        )
        visits = self._lay(steps, self.today, current=True)
        if reopened:
            # The case had been closed (lost contact) and the supervisor reopened it.
            earlier_end = visits[0].start - datetime.timedelta(days=rng.randint(60, 300))
            ter_start = earlier_end - datetime.timedelta(days=rng.randint(2, 10))
            earlier = self._lay(self._steps(FORWARD[:2]), ter_start, current=False)
            earlier.append(
                Visit(
                    Phase.TERMINATION,
                    ter_start,
                    earlier_end,
                    MoveKind.TERMINATE,
                    str(Termination.Reason.LOST_CONTACT.label),
                )
            )
            visits = [*earlier, *visits]
        stale = target != Phase.ENGAGEMENT and rng.random() < 0.14
        return CasePlan(visits, None, None, stale=stale)

    # --- one case ---------------------------------------------------------------------------------

    def build(
        self,
        batch: Batch,
        bundle: ClientBundle,
        team: DemoTeam,
        worker: User,
        state: str,
        *,
        closed_before: datetime.date | None = None,
    ) -> Case:
        """Add one case of `bundle`'s client system, now in `state`, with everything its path implies."""
        rng = self.rng
        plan = self.plan_case(state, closed_before=closed_before)
        theme = texts.THEMES[bundle.theme]
        village = bundle.village
        slots = {
            "client": bundle.call_name,
            "village": village.name,
            "district": village.district_name,
            "school": rng.choice(
                [f"SDN {rng.randint(1, 5)} {village.name}", f"SMPN {rng.randint(1, 3)} {village.district_name}"]
            ),
            "puskesmas": f"Puskesmas {village.district_name}",
            "desa": f"Kantor Desa {village.name}",
            "lks": rng.choice(LKS_NAMES),
            "worker": worker.get_full_name(),
            "house": rng.choice(texts.HOUSE_STATES),
            "mood": rng.choice(texts.MOODS),
        }
        source = weighted(
            rng,
            [
                (ReferralSource.GOVERNMENT, 35),
                (ReferralSource.COMMUNITY, 30),
                (ReferralSource.FAMILY, 15),
                (ReferralSource.SELF, 10),
                (ReferralSource.AGENCY, 10),
            ],
        )
        priority_weights = [(Priority.LOW, 20), (Priority.MEDIUM, 45), (Priority.HIGH, 27), (Priority.URGENT, 8)]
        if bundle.theme in ("child_violence", "adult_violence"):
            priority_weights = [(Priority.MEDIUM, 20), (Priority.HIGH, 50), (Priority.URGENT, 30)]
        visits = plan.visits
        current = visits[-1]
        moved_at = [self.at(v.start) for v in visits]
        case = Case(
            client_system=bundle.system,
            programme_id=self.programmes.get(texts.PROGRAMME_FOR_THEME[bundle.theme], self.default_programme),
            presenting_problem=fill(rng.choice(theme.presenting), slots),
            referral_source=source,
            referral_source_detail=fill(rng.choice(REFERRAL_DETAILS[source]), slots),
            ppks_id=self.ppks_ids.get(bundle.ppks[0], self.default_ppks),
            priority=weighted(rng, priority_weights),
            team=team.team,
            assigned_worker=worker,
            supervisor=team.supervisor,
            phase=current.phase,
            phase_changed_at=moved_at[-1],
            opened_at=moved_at[0],
            opened_by=worker,
            closed_at=self.at(plan.closed_on) if plan.closed_on else None,
        )
        batch.cases.append(case)
        supervisor = team.supervisor
        stakeholders = self._stakeholders(batch, case, bundle, slots)
        problems: list[Problem] = []
        goals: list[Goal] = []
        tasks: list[Task] = []
        plan_row: Plan | None = None
        previous = ""
        # A stale case has had no activity recorded for 30 days or more.
        self._last_note_day = (self.today - datetime.timedelta(days=rng.randint(31, 80))) if plan.stale else self.today
        seen: set[Phase] = set()
        for index, visit in enumerate(visits):
            left = visit.end is not None
            end = visit.end or self.today
            batch.transitions.append(
                PhaseTransition(
                    case=case,
                    from_phase=previous,
                    to_phase=visit.phase,
                    kind=visit.kind,
                    reason=visit.reason,
                    actor=supervisor if visit.kind == MoveKind.REOPEN else worker,
                    at=moved_at[index],
                )
            )
            previous = visit.phase
            first_time = visit.phase not in seen
            seen.add(visit.phase)
            note_until = min(end, self._last_note_day)
            if visit.phase == Phase.ENGAGEMENT:
                self._note(batch, case, worker, Phase.ENGAGEMENT, ActivityNote.Kind.INTAKE, visit.start, slots, theme)
                if first_time:
                    self._contract_and_consent(batch, case, bundle, worker, visit, left, theme, slots)
            elif visit.phase == Phase.ASSESSMENT:
                for day in self._spread(visit.start, note_until, rng.randint(1, 3)):
                    self._note(batch, case, worker, Phase.ASSESSMENT, ActivityNote.Kind.HOME_VISIT, day, slots, theme)
                completed = left or rng.random() < 0.4
                if first_time:
                    problems = self._problems(batch, case, theme)
                self._assessment(batch, case, worker, supervisor, visit, completed, theme, slots, problems)
                if completed or rng.random() < 0.5:
                    self._rating(
                        batch, case, worker, SocialFunctioningRating.Occasion.INTAKE, min(end, self.today), (1, 3)
                    )
            elif visit.phase == Phase.PLANNING:
                if plan_row is None:
                    plan_row, goals, tasks = self._plan(batch, case, theme, problems, stakeholders, visit, slots)
                self._plan_approval(batch, case, plan_row, worker, supervisor, visit, left)
            elif visit.phase == Phase.INTERVENTION:
                count = max(1, min(10, ((note_until - visit.start).days or 1) // 12))
                for day in self._spread(visit.start, note_until, count):
                    kind = weighted(rng, NOTE_KINDS)
                    if (
                        bundle.system.kind in (ClientSystem.Kind.GROUP, ClientSystem.Kind.COMMUNITY)
                        and rng.random() < 0.4
                    ):
                        kind = ActivityNote.Kind.GROUP_SESSION
                    task = rng.choice(tasks) if tasks and rng.random() < 0.4 else None
                    self._note(batch, case, worker, Phase.INTERVENTION, kind, day, slots, theme, task=task)
            elif visit.phase == Phase.EVALUATION:
                self._note(
                    batch,
                    case,
                    worker,
                    Phase.EVALUATION,
                    ActivityNote.Kind.HOME_VISIT,
                    min(visit.start + datetime.timedelta(days=2), note_until),
                    slots,
                    theme,
                )
                if left or rng.random() < 0.6:
                    self._evaluation(batch, case, worker, visit, goals, left)
                    self._rating(
                        batch, case, worker, SocialFunctioningRating.Occasion.REVIEW, min(end, self.today), (2, 4)
                    )
            elif visit.phase == Phase.TERMINATION:
                last = index == len(visits) - 1
                reason = plan.termination_reason if last else Termination.Reason.LOST_CONTACT
                closed_at = case.closed_at if last else (self.at(visit.end) if visit.end else None)
                self._termination(batch, case, worker, supervisor, visit, reason, closed_at, moved_at[index])
                previous = Phase.TERMINATION
            if index == len(visits) - 1:
                self._task_statuses(tasks, case, plan, visit)
        return case

    # --- parts of a case --------------------------------------------------------------------------

    def _spread(self, start: datetime.date, end: datetime.date, count: int) -> list[datetime.date]:
        if end < start:
            return []
        span = (end - start).days
        return sorted(start + datetime.timedelta(days=self.rng.randint(0, span)) for _ in range(count))

    def _note(self, batch, case, worker, phase, kind, day, slots, theme, *, task=None) -> None:
        rng = self.rng
        if day > self._last_note_day:
            return
        slots = {**slots, "house": rng.choice(texts.HOUSE_STATES), "mood": rng.choice(texts.MOODS)}
        batch.notes.append(
            ActivityNote(
                case=case,
                kind=kind,
                phase=phase,
                occurred_on=day,
                duration_minutes=rng.choice([15, 30, 45, 60, 90, 120])
                if kind != ActivityNote.Kind.PHONE_CALL
                else rng.choice([5, 10, 15, 20]),
                participants=slots["client"]
                if kind != ActivityNote.Kind.CASE_CONFERENCE
                else f"{slots['client']}, {slots['desa']}, {slots['puskesmas']}, supervisor",
                narrative=fill(rng.choice(texts.ACTIVITY_TEXTS[kind]), slots),
                task=task,
                author=worker,
            )
        )

    def _stakeholders(self, batch, case, bundle, slots) -> list[Stakeholder]:
        rng = self.rng
        out = []
        family_name = bundle.guardian_name or names.person_name(
            rng, sex=rng.choice("MF"), birth_year=rng.randint(1960, 1995)
        )
        if bundle.guardian_name:
            relation = {"grandparent": "nenek", "parent": "orang tua", "relative": "kerabat"}[bundle.guardian_relation]
            role = f"Wali anak ({relation})"
        else:
            role = rng.choice(["Kerabat yang membantu (paman)", "Kerabat yang membantu (kakak)", "Tetangga dekat"])
        out.append(
            Stakeholder(
                case=case, kind=Stakeholder.Kind.FAMILY, name=family_name, role=role, phone=names.phone_number(rng)
            )
        )
        officer = names.person_name(rng, sex=rng.choice("MF"), birth_year=rng.randint(1968, 1992))
        out.append(
            Stakeholder(
                case=case,
                kind=Stakeholder.Kind.GOVERNMENT,
                name=officer,
                organisation=slots["desa"],
                role=rng.choice(["Kepala Desa", "Sekretaris Desa", "Kasi Kesejahteraan Rakyat"]),
            )
        )
        pool = [
            (Stakeholder.Kind.GOVERNMENT, slots["puskesmas"], "Bidan desa / petugas promkes"),
            (Stakeholder.Kind.COMMUNITY, f"Karang Taruna Desa {slots['village']}", "Ketua Karang Taruna"),
            (Stakeholder.Kind.COMMUNITY, slots["lks"], "Konselor LKS"),
            (Stakeholder.Kind.ACADEMIC, rng.choice(UNIVERSITIES), "Dosen pembimbing praktikum"),
        ]
        if bundle.theme.startswith("child") or bundle.theme == "family":
            pool.append((Stakeholder.Kind.GOVERNMENT, slots["school"], "Wali kelas / guru BK"))
        if bundle.theme == "disaster":
            pool.append((Stakeholder.Kind.COMMUNITY, "Tagana " + bundle.village.regency_name, "Koordinator posko"))
        for kind, org, role in rng.sample(pool, rng.randint(1, min(3, len(pool)))):
            person = names.person_name(rng, sex=rng.choice("MF"), birth_year=rng.randint(1965, 1998))
            out.append(
                Stakeholder(
                    case=case,
                    kind=kind,
                    name=person,
                    organisation=org[:150],
                    role=role,
                    phone=names.phone_number(rng) if rng.random() < 0.6 else "",
                )
            )
        batch.stakeholders.extend(out)
        return out

    def _contract_and_consent(self, batch, case, bundle, worker, visit, left, theme, slots) -> None:
        rng = self.rng
        end = visit.end or self.today
        has_contract = left or rng.random() < 0.55
        signed = left or (has_contract and rng.random() < 0.5)
        if has_contract:
            start = visit.start + datetime.timedelta(days=rng.randint(0, max(0, (end - visit.start).days)))
            batch.contracts.append(
                Contract(
                    case=case,
                    focus=rng.choice(theme.focus),
                    client_goals=rng.choice(theme.client_goals),
                    worker_duties=rng.choice(texts.CONTRACT_WORKER_DUTIES),
                    client_duties=rng.choice(texts.CONTRACT_CLIENT_DUTIES),
                    meeting_schedule=rng.choice(texts.MEETING_SCHEDULES),
                    start_date=start,
                    end_date=start + datetime.timedelta(days=rng.choice([90, 180, 270, 365])),
                    signed_on=start if signed else None,
                )
            )
        if left or rng.random() < 0.6:
            child = (
                bundle.system.kind == ClientSystem.Kind.INDIVIDUAL
                and bundle.main_age is not None
                and bundle.main_age < 18
            )
            if child:
                given_by = Consent.GivenBy.PARENT if bundle.guardian_relation == "parent" else Consent.GivenBy.GUARDIAN
                giver = bundle.guardian_name
            else:
                given_by = Consent.GivenBy.CLIENT
                giver = bundle.main.full_name if bundle.main else bundle.system.name
            method = weighted(
                rng,
                [(Consent.Method.SIGNED_PAPER, 70), (Consent.Method.VERBAL_WITNESS, 20), (Consent.Method.DIGITAL, 10)],
            )
            batch.consents.append(
                Consent(
                    case=case,
                    given_by=given_by,
                    giver_name=giver[:150],
                    method=method,
                    witness_name=names.person_name(rng, sex="F", birth_year=1980)
                    if method == Consent.Method.VERBAL_WITNESS
                    else "",
                    given_on=visit.start,
                    covers_processing=True,
                    covers_sharing=rng.random() < 0.7,
                    scope_note="Data dibagikan hanya kepada layanan rujukan yang disepakati.",
                    recorded_by=worker,
                )
            )

    def _problems(self, batch, case, theme) -> list[Problem]:
        rng = self.rng
        chosen = rng.sample(theme.problems, rng.randint(2, min(4, len(theme.problems))))
        rows = []
        for i, spec in enumerate(chosen):
            problem = Problem(case=case, title=spec.title, description=spec.description, is_priority=i == 0)
            rows.append(problem)
            for text in spec.causes:
                batch.factors.append(ProblemFactor(problem=problem, kind=ProblemFactor.Kind.CAUSE, text=text))
            for text in spec.effects:
                batch.factors.append(ProblemFactor(problem=problem, kind=ProblemFactor.Kind.EFFECT, text=text))
        for a, b in zip(rows, rows[1:], strict=False):
            if rng.random() < 0.7:
                batch.problem_links.append((a, b))
        batch.problems.extend(rows)
        return rows

    def _assessment(self, batch, case, worker, supervisor, visit, completed, theme, slots, problems) -> None:
        rng = self.rng
        lead = f"Masalah utama: {problems[0].title.lower()}." if problems else ""
        end = visit.end or self.today
        # A completed assessment was signed off by the team's supervisor (the guard to leave Assessment needs it).
        batch.assessments.append(
            Assessment(
                case=case,
                summary=fill(
                    rng.choice(texts.ASSESSMENT_SUMMARIES), {**slots, "visits": rng.randint(2, 4), "problem_lead": lead}
                ),
                strengths=" ".join(rng.sample(theme.strengths, min(2, len(theme.strengths)))),
                resources=rng.choice(theme.resources),
                risks=rng.choice(theme.risks),
                risk_level=weighted(rng, [(RiskLevel.LOW, 30), (RiskLevel.MEDIUM, 50), (RiskLevel.HIGH, 20)]),
                completed_at=self.at(end) if completed else None,
                signed_off_by=supervisor if completed else None,
                signed_off_at=self.at(end) if completed else None,
                created_by=worker,
                created_at=self.at(visit.start),
            )
        )

    def _rating(self, batch, case, worker, occasion, day, band) -> None:
        rng = self.rng
        batch.ratings.append(
            SocialFunctioningRating(
                case=case,
                occasion=occasion,
                rated_on=day,
                basic_needs=rng.randint(*band),
                social_roles=rng.randint(*band),
                problem_solving=rng.randint(*band),
                evidence=rng.choice(texts.FUNCTIONING_EVIDENCE),
                rated_by=worker,
            )
        )

    def _plan(self, batch, case, theme, problems, stakeholders, visit, slots):
        rng = self.rng
        plan = Plan(case=case, status=Plan.Status.DRAFT, approach=rng.choice(texts.PLAN_APPROACHES))
        batch.plans.append(plan)
        goals, tasks = [], []
        by_kind: dict[str, Stakeholder] = {}
        for s in stakeholders:
            by_kind.setdefault(s.kind, s)
        for i, spec in enumerate(rng.sample(theme.goals, rng.randint(2, min(3, len(theme.goals))))):
            goal = Goal(
                plan=plan,
                description=spec.description,
                indicator=spec.indicator,
                **dict(zip(LEVEL_FIELDS, gas_levels(spec.indicator), strict=True)),
                target_date=visit.start + datetime.timedelta(days=rng.choice([60, 90, 120, 180])),
                problem=problems[i % len(problems)] if problems else None,
            )
            goals.append(goal)
            for desc, responsible, kind in spec.tasks[: rng.randint(1, len(spec.tasks))]:
                tasks.append(
                    Task(
                        plan=plan,
                        goal=goal,
                        description=fill(desc, slots)[:300],
                        responsible=responsible if responsible in ResponsibleParty.values else ResponsibleParty.WORKER,
                        stakeholder=by_kind.get(kind) if kind else None,
                        due_date=visit.start + datetime.timedelta(days=rng.randint(14, 150)),
                    )
                )
        batch.goals.extend(goals)
        batch.tasks.extend(tasks)
        return plan, goals, tasks

    def _plan_approval(self, batch, case, plan, worker, supervisor, visit, left) -> None:
        rng = self.rng
        end = visit.end or self.today
        span = max(1, (end - visit.start).days)
        if not left:
            roll = rng.random()
            if roll < 0.35:
                plan.status = Plan.Status.DRAFT
                return
            requested = visit.start + datetime.timedelta(days=rng.randint(0, span))
            if roll < 0.85:
                plan.status = Plan.Status.SUBMITTED
                batch.approvals.append(
                    Approval(case=case, kind=Approval.Kind.PLAN, requested_by=worker, requested_at=self.at(requested))
                )
            else:
                plan.status = Plan.Status.RETURNED
                plan.supervisor_comment = rng.choice(texts.SUPERVISOR_RETURN_COMMENTS)
                batch.approvals.append(
                    Approval(
                        case=case,
                        kind=Approval.Kind.PLAN,
                        status=Approval.Status.RETURNED,
                        requested_by=worker,
                        requested_at=self.at(requested),
                        decided_by=supervisor,
                        decided_at=self.at(min(self.today, requested + datetime.timedelta(days=2))),
                        comment=plan.supervisor_comment,
                    )
                )
            return
        if rng.random() < 0.15:
            first = visit.start + datetime.timedelta(days=span // 3)
            comment = rng.choice(texts.SUPERVISOR_RETURN_COMMENTS)
            batch.approvals.append(
                Approval(
                    case=case,
                    kind=Approval.Kind.PLAN,
                    status=Approval.Status.RETURNED,
                    requested_by=worker,
                    requested_at=self.at(first),
                    decided_by=supervisor,
                    decided_at=self.at(first + datetime.timedelta(days=1)),
                    comment=comment,
                )
            )
        requested = end - datetime.timedelta(days=min(span, rng.randint(0, 3)))
        batch.approvals.append(
            Approval(
                case=case,
                kind=Approval.Kind.PLAN,
                status=Approval.Status.APPROVED,
                requested_by=worker,
                requested_at=self.at(requested),
                decided_by=supervisor,
                decided_at=self.at(end),
            )
        )
        plan.status = Plan.Status.APPROVED
        plan.supervisor_comment = ""

    def _evaluation(self, batch, case, worker, visit, goals, left) -> None:
        rng = self.rng
        end = visit.end or self.today
        day = visit.start + datetime.timedelta(days=rng.randint(0, max(0, (end - visit.start).days)))
        evaluation = Evaluation(
            case=case,
            client_view=rng.choice(texts.EVALUATION_CLIENT_VIEWS),
            summary=rng.choice(texts.EVALUATION_SUMMARIES),
            evaluated_on=day,
            evaluated_by=worker,
        )
        batch.evaluations.append(evaluation)
        for goal in goals:
            result = weighted(
                rng,
                [
                    (GoalResult.Result.ACHIEVED, 55),
                    (GoalResult.Result.PARTLY, 30),
                    (GoalResult.Result.NOT_ACHIEVED, 15),
                ],
            )
            batch.results.append(
                GoalResult(
                    evaluation=evaluation,
                    goal=goal,
                    result=result,
                    evidence={
                        "achieved": "Indikator terpenuhi menurut catatan kunjungan dan keterangan klien.",
                        "partly": "Sebagian indikator terpenuhi; hambatan biaya dan waktu.",
                        "not_achieved": "Belum ada perubahan yang berarti.",
                    }[result],
                )
            )

    def _termination(self, batch, case, worker, supervisor, visit, reason, closed_at, recorded_at) -> None:
        rng = self.rng
        followup = None
        if reason == Termination.Reason.GOALS_ACHIEVED or (
            reason in (Termination.Reason.REFERRED, Termination.Reason.CLIENT_REQUEST) and rng.random() < 0.5
        ):
            followup = visit.start + datetime.timedelta(days=rng.choice([30, 60, 90]))
        batch.terminations.append(
            Termination(
                case=case,
                reason=reason,
                summary=rng.choice(texts.TERMINATION_SUMMARIES[reason]),
                followup_date=followup,
                recorded_by=worker,
                recorded_at=recorded_at,
            )
        )
        if reason == Termination.Reason.GOALS_ACHIEVED:
            self._rating(
                batch, case, worker, SocialFunctioningRating.Occasion.TERMINATION, min(visit.start, self.today), (3, 5)
            )
        if closed_at is None:
            batch.approvals.append(
                Approval(case=case, kind=Approval.Kind.CLOSURE, requested_by=worker, requested_at=recorded_at)
            )
            return
        batch.approvals.append(
            Approval(
                case=case,
                kind=Approval.Kind.CLOSURE,
                status=Approval.Status.APPROVED,
                requested_by=worker,
                requested_at=recorded_at,
                decided_by=supervisor,
                decided_at=max(closed_at, recorded_at),
            )
        )

    def _task_statuses(self, tasks: list[Task], case: Case, plan: CasePlan, current: Visit) -> None:
        rng = self.rng
        closed = plan.closed_on is not None or current.phase == Phase.TERMINATION
        for task in tasks:
            if current.phase == Phase.PLANNING:
                task.status = Task.Status.TO_DO
                task.due_date = max(task.due_date, self.today + datetime.timedelta(days=rng.randint(7, 60)))
                continue
            if closed:
                task.status = weighted(rng, [(Task.Status.DONE, 80), (Task.Status.CANCELLED, 20)])
                end = plan.closed_on or self.today
                if task.due_date > end:
                    task.due_date = end - datetime.timedelta(days=rng.randint(1, 20))
            elif task.due_date < self.today:
                task.status = weighted(
                    rng,
                    [
                        (Task.Status.DONE, 62),
                        (Task.Status.IN_PROGRESS, 16),
                        (Task.Status.TO_DO, 17),
                        (Task.Status.CANCELLED, 5),
                    ],
                )
            else:
                task.status = weighted(
                    rng, [(Task.Status.TO_DO, 60), (Task.Status.IN_PROGRESS, 35), (Task.Status.DONE, 5)]
                )
            if task.status == Task.Status.DONE:
                task.completed_on = min(task.due_date, self.today)
                task.progress_note = "Selesai; dicatat pada kunjungan berikutnya."
            elif task.status == Task.Status.IN_PROGRESS:
                task.progress_note = "Sedang berjalan; menunggu tindak lanjut dari pihak terkait."
            elif task.status == Task.Status.CANCELLED:
                task.progress_note = "Dibatalkan karena tidak lagi relevan."
