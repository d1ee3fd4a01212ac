"""Beyond one machine: two app server processes on one PostgreSQL database (docs/scaling.md).

Servers A and B are separate processes with their own database connections, like two gunicorn
machines behind a load balancer. Sari (worker) and Bu Ratna (supervisor) each have the same
page open twice — once through A, once through B, with the session they signed in with through
one of them — and all four submit the same change at the same instant. For every record:

- exactly one submission wins (HTTP 302 to the case or client page);
- every other one gets the page again (HTTP 200) with the app's own translated message saying
  why nothing was saved, and the text the user typed is kept;
- the database holds the winner's values: no lost update, no duplicate row;
- the audit trail holds exactly the successful writes, by the winner.

And changes to different records at the same instant all succeed (no false conflicts).

The outcome does not depend on timing: whichever request runs first wins, the others are
refused by the row lock, the version check or a unique constraint. (One wording depends on
timing, see the registration in test_the_same_record_created_through_both_servers_exists_once.)
PostgreSQL only: SQLite is the embedded database of a single machine (one file, one writer at a
time).
"""

import datetime
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext

from dampingi.accounts.models import User
from dampingi.audit.models import AuditEvent
from dampingi.cases.models import Approval, Case, Contract, PhaseTransition, Programme, Termination
from dampingi.cases.phases import MoveKind, Phase
from dampingi.cases.services import case_terminate
from dampingi.clients.models import ClientSystem, Person, PPKSCategory, Sex
from dampingi.core.concurrency import ConcurrentEditError
from dampingi.testing.cases import record_consent, sign_contract
from dampingi.testing.clients import NIK_RIZKI, RIZKI_BIRTH
from dampingi.testing.factories import PASSWORD, ClientSystemFactory, make_case
from tests.scale.helpers import REQUEST_TIMEOUT, AppServer, Browser, Form, Response

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two app processes sharing one database is the PostgreSQL deployment; "
        "SQLite is the single-machine embedded database",
    ),
    # Committed data: the server processes read and write it through their own connections.
    pytest.mark.django_db(transaction=True),
]

LAST_WEEK = timezone.localdate() - datetime.timedelta(days=7)


@dataclass
class Contender:
    """One open page: a user, in one browser tab, through one server."""

    user: User
    browser: Browser
    server: AppServer

    @property
    def label(self) -> str:
        return f"{self.user.username}@{self.server.name}"


@dataclass
class Outcome:
    contender: Contender
    sent: dict[str, str]
    answer: Response
    started: float
    ended: float


@dataclass(frozen=True)
class Scene:
    """One record that every contender changes at once: the page showing its form, the form, what each types."""

    page: str
    form: Callable[[Response], Form]
    fill: Callable[[Contender], dict[str, str]]


@pytest.fixture
def contenders(app_servers, sari, ratna) -> list[Contender]:
    """Sari signs in through A, Bu Ratna through B; each also uses the same session through the other."""
    a, b = app_servers
    sari_browser = Browser("sari")
    sari_browser.sign_in(a, "sari", PASSWORD)
    ratna_browser = Browser("ratna")
    ratna_browser.sign_in(b, "ratna", PASSWORD)
    return [
        Contender(sari, sari_browser.tab("sari-phone"), a),
        Contender(sari, sari_browser.tab("sari-laptop"), b),
        Contender(ratna, ratna_browser.tab("ratna-office"), b),
        Contender(ratna, ratna_browser.tab("ratna-laptop"), a),
    ]


def race(contenders: list[Contender], scenes: list[Scene]) -> list[list[Outcome]]:
    """Every contender opens every scene's page; then all submit their forms at the same instant.

    Returns the outcomes scene by scene, in the order of `contenders`.
    """
    outcomes = submit_together([(scene, contender) for scene in scenes for contender in contenders])
    n = len(contenders)
    return [outcomes[i : i + n] for i in range(0, len(outcomes), n)]


def submit_together(jobs: list[tuple[Scene, Contender]]) -> list[Outcome]:
    """Each contender opens its scene's page; when all pages are open, all forms are submitted at once."""
    barrier = threading.Barrier(len(jobs))

    def run(job: tuple[Scene, Contender]) -> Outcome:
        scene, contender = job
        try:
            shown = contender.browser.get(contender.server, scene.page)
            assert shown.status == 200, f"{contender.label} GET {scene.page}: {shown.status}"
            form = scene.form(shown)
            changes = scene.fill(contender)
            barrier.wait(timeout=REQUEST_TIMEOUT)
        except BaseException:
            barrier.abort()  # the others stop waiting and the test fails with this error
            raise
        started = time.monotonic()
        answer = contender.browser.post(contender.server, form.action or scene.page, form.values(**changes))
        return Outcome(contender, changes, answer, started, time.monotonic())

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def one_winner(outcomes: list[Outcome], *, refusal: str | tuple[str, ...]) -> Outcome:
    """Exactly one redirect; every other answer is the page again, with `refusal` (or one of them) shown."""
    refusals = (refusal,) if isinstance(refusal, str) else refusal
    summary = [(o.contender.label, o.answer.status, o.answer.location) for o in outcomes]
    winners = [o for o in outcomes if o.answer.status == 302]
    assert len(winners) == 1, f"expected one winner, got {summary}"
    (winner,) = winners
    losers = [o for o in outcomes if o is not winner]
    for loser in losers:
        assert loser.answer.status == 200, f"{loser.contender.label} got {loser.answer.status}: {summary}"
        told = any(text in loser.answer.text for text in refusals)
        assert told, f"{loser.contender.label} was not told why ({summary}): {loser.answer.main_text()}"
        assert "INVALID_TEMPLATE_VARIABLE" not in loser.answer.body
    # The submissions were in flight together (a guard against a race that never happened).
    assert any(loser.started < winner.ended for loser in losers)
    return winner


def in_indonesian(message, **params) -> str:
    """The message as Sari and Bu Ratna (Indonesian UI, the default) read it."""
    with translation.override("id"):
        text = gettext(str(message)) if isinstance(message, str) else str(message)
        return text % {k: str(v) for k, v in params.items()} if params else text


def engaged_case(worker: User) -> Case:
    """A case in Engagement with everything on file to move on (signed contract, consent)."""
    case = make_case(worker=worker)
    sign_contract(case, worker, start_date=LAST_WEEK, signed_on=LAST_WEEK)
    record_consent(case, worker, given_on=LAST_WEEK)
    case.refresh_from_db()
    return case


def audit(action: str, **filters) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("id"))


# --- Phase moves ----------------------------------------------------------------------------------


def stale_move(phase: Phase) -> str:
    return in_indonesian(
        "The case has already moved to %(phase)s. Reload the page to see its current state.",
        phase=in_indonesian(phase.label),
    )


def test_the_same_phase_move_through_both_servers_happens_once(contenders, sari):
    """Two cases moved on to Assessment and one terminated, each by four submissions at once."""
    moved = [engaged_case(sari), engaged_case(sari)]
    ended = make_case(worker=sari)
    versions = {case.pk: case.version for case in [*moved, ended]}
    scenes = [
        Scene(
            page=f"/cases/{case.pk}/",
            form=lambda shown, pk=case.pk: shown.form(action=f"/cases/{pk}/move/", css_class="move-forward"),
            fill=lambda contender: {"reason": f"Siap asesmen ({contender.label})"},
        )
        for case in moved
    ] + [
        Scene(
            page=f"/cases/{ended.pk}/",
            form=lambda shown: shown.form(action=f"/cases/{ended.pk}/terminate/"),
            fill=lambda contender: {
                "reason": "moved",
                "summary": f"Pindah ke Garut ({contender.label}).",
                "followup_date": "",
            },
        )
    ]

    *forward_results, termination_results = race(contenders, scenes)

    for case, outcomes in zip(moved, forward_results, strict=True):
        winner = one_winner(outcomes, refusal=stale_move(Phase.ASSESSMENT))
        assert winner.answer.location == f"/cases/{case.pk}/#assessment"
        for loser in (o for o in outcomes if o is not winner):
            # The refused page offers the move from where the case now is, not the stale one.
            form = loser.answer.form(action=f"/cases/{case.pk}/move/", css_class="move-forward")
            assert dict(form.fields)["expected_phase"] == Phase.ASSESSMENT
        case.refresh_from_db()
        assert (case.phase, case.version) == (Phase.ASSESSMENT, versions[case.pk] + 1)
        moves = PhaseTransition.objects.filter(case=case).exclude(kind=MoveKind.OPEN)
        assert [(m.from_phase, m.to_phase, m.actor_id, m.reason) for m in moves] == [
            (Phase.ENGAGEMENT, Phase.ASSESSMENT, winner.contender.user.pk, winner.sent["reason"])
        ]
        events = audit("case.phase.forward", case=case)
        assert [(e.actor_id, e.after["phase"]) for e in events] == [(winner.contender.user.pk, Phase.ASSESSMENT)]

    winner = one_winner(termination_results, refusal=stale_move(Phase.TERMINATION))
    assert winner.answer.location == f"/cases/{ended.pk}/#termination"
    ended.refresh_from_db()
    assert (ended.phase, ended.version) == (Phase.TERMINATION, versions[ended.pk] + 1)
    who = winner.contender.user.pk
    terminations = Termination.objects.filter(case=ended).values_list("summary", "recorded_by")
    assert list(terminations) == [(winner.sent["summary"], who)]
    assert Approval.objects.filter(case=ended, kind=Approval.Kind.CLOSURE).count() == 1
    assert PhaseTransition.objects.filter(case=ended, kind=MoveKind.TERMINATE).count() == 1
    for action in ("termination.create", "case.phase.terminate", "approval.closure.request"):
        assert [e.actor_id for e in audit(action, case=ended)] == [who], action


def test_moves_of_different_cases_through_both_servers_all_succeed(contenders, sari):
    """Eight cases of one team moved at once, one submission each: nobody waits for nothing or is refused."""
    cases = [engaged_case(sari) for _ in range(8)]
    jobs = [
        (
            Scene(
                page=f"/cases/{case.pk}/",
                form=lambda shown, pk=case.pk: shown.form(action=f"/cases/{pk}/move/", css_class="move-forward"),
                fill=lambda contender: {"reason": ""},
            ),
            contenders[i % len(contenders)],
        )
        for i, case in enumerate(cases)
    ]

    outcomes = submit_together(jobs)

    assert [(o.answer.status, o.answer.location) for o in outcomes] == [
        (302, f"/cases/{case.pk}/#assessment") for case in cases
    ]
    assert set(Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("phase", flat=True)) == {Phase.ASSESSMENT}
    moves = PhaseTransition.objects.filter(case__in=cases, kind=MoveKind.FORWARD)
    assert sorted(moves.values_list("case_id", flat=True)) == sorted(c.pk for c in cases)
    assert AuditEvent.objects.filter(action="case.phase.forward", case__in=cases).count() == len(cases)


def test_one_closure_decided_through_both_servers_is_decided_once(contenders, sari, ratna):
    """Bu Ratna approves the closure on one device and returns it on the other, at the same instant."""
    case = make_case(worker=sari)
    case_terminate(actor=sari, case_id=case.pk, reason="moved", summary="Keluarga pindah ke Garut.")
    approval = Approval.objects.get(case=case, kind=Approval.Kind.CLOSURE, status=Approval.Status.PENDING)
    prefix = f"approval-{approval.pk}"
    ratna_tabs = [c for c in contenders if c.user == ratna]
    choices = {
        ratna_tabs[0].label: {f"{prefix}-decision": "approve", f"{prefix}-comment": ""},
        ratna_tabs[1].label: {f"{prefix}-decision": "return", f"{prefix}-comment": "Lengkapi ringkasan terminasi."},
    }
    scene = Scene(
        page=f"/cases/{case.pk}/",
        form=lambda shown: shown.form(action=f"/cases/{case.pk}/approvals/{approval.pk}/decide/"),
        fill=lambda contender: choices[contender.label],
    )

    (outcomes,) = race(ratna_tabs, [scene])

    winner = one_winner(outcomes, refusal=in_indonesian("This request has already been decided."))
    assert winner.answer.location == f"/cases/{case.pk}/#termination"
    approved = winner.sent[f"{prefix}-decision"] == "approve"
    approval.refresh_from_db()
    case.refresh_from_db()
    assert approval.status == (Approval.Status.APPROVED if approved else Approval.Status.RETURNED)
    assert (case.closed_at is not None) == approved
    decisions = AuditEvent.objects.filter(action__in=["approval.closure.approved", "approval.closure.returned"])
    assert [e.action for e in decisions.filter(case=case)] == [f"approval.closure.{approval.status}"]


# --- Edits of one record: no lost update ------------------------------------------------------------


def test_concurrent_saves_of_one_record_keep_the_winners_text_and_tell_the_others(contenders, sari):
    """A case's contract and a client system's description, each saved by four people at once."""
    case = make_case(worker=sari)
    contract = sign_contract(case, sari, start_date=LAST_WEEK, signed_on=LAST_WEEK)
    client = make_case(worker=sari).client_system
    contract_version, client_version = contract.version, client.version
    scenes = [
        Scene(
            page=f"/cases/{case.pk}/contract/",
            form=lambda shown: shown.form(action=f"/cases/{case.pk}/contract/"),
            fill=lambda contender: {"meeting_schedule": f"Kamis pagi, seminggu sekali ({contender.label})"},
        ),
        Scene(
            page=f"/clients/{client.pk}/edit/",
            form=lambda shown: shown.form(action=f"/clients/{client.pk}/edit/"),
            fill=lambda contender: {"description": f"Tinggal bersama nenek ({contender.label})."},
        ),
    ]

    contract_results, client_results = race(contenders, scenes)

    refusal = in_indonesian(ConcurrentEditError.message)
    winner = one_winner(contract_results, refusal=refusal)
    assert winner.answer.location == f"/cases/{case.pk}/#engagement"
    for loser in (o for o in contract_results if o is not winner):
        # "Your text is kept below": the refused form still holds what this user typed.
        kept = dict(loser.answer.form(action=f"/cases/{case.pk}/contract/").fields)
        assert kept["meeting_schedule"] == loser.sent["meeting_schedule"]
    contract.refresh_from_db()
    assert (contract.meeting_schedule, contract.version) == (winner.sent["meeting_schedule"], contract_version + 1)
    events = audit("contract.update", case=case)
    assert [(e.actor_id, e.after["meeting_schedule"]) for e in events] == [
        (winner.contender.user.pk, winner.sent["meeting_schedule"])
    ]

    winner = one_winner(client_results, refusal=refusal)
    assert winner.answer.location == f"/clients/{client.pk}/"
    for loser in (o for o in client_results if o is not winner):
        kept = dict(loser.answer.form(action=f"/clients/{client.pk}/edit/").fields)
        assert kept["description"] == loser.sent["description"]
    client.refresh_from_db()
    assert (client.description, client.version) == (winner.sent["description"], client_version + 1)
    events = audit("client_system.update", target_type="clients.clientsystem", target_id=str(client.pk))
    assert [(e.actor_id, e.after["description"]) for e in events] == [
        (winner.contender.user.pk, winner.sent["description"])
    ]


# --- Creates that must not duplicate -----------------------------------------------------------------


def test_the_same_record_created_through_both_servers_exists_once(contenders, sari, ratna):
    """The same person registered, a case opened for the same client system and programme, and a
    case's first contract written: each by four submissions at once."""
    client = ClientSystemFactory(created_by=sari)
    programme = Programme.objects.order_by("name").first()
    ppks = PPKSCategory.objects.get(slug="at")
    case = make_case(worker=sari)
    start, end = LAST_WEEK.isoformat(), (LAST_WEEK + datetime.timedelta(days=180)).isoformat()
    scenes = [
        Scene(
            page="/clients/new/?kind=individual",
            form=lambda shown: shown.form(action="/clients/new/", css_class="register-form"),
            fill=lambda contender: {
                # Born on another day than the factories' people: no look-alike of the cast's clients.
                "person-full_name": "Rizki Ramadhan",
                "person-nik": NIK_RIZKI,
                "person-sex": Sex.MALE,
                "person-birth_date": RIZKI_BIRTH.isoformat(),
            },
        ),
        Scene(
            page=f"/cases/open/?client={client.pk}",
            form=lambda shown: shown.form(action="/cases/open/"),
            fill=lambda contender: {
                "programme": str(programme.pk),
                "ppks": str(ppks.pk),
                "referral_source": "government",
                "priority": "high",
                "presenting_problem": f"Anak putus sekolah, dirujuk kelurahan ({contender.label}).",
                "assigned_worker": str(sari.pk),
                "supervisor": str(ratna.pk),
            },
        ),
        Scene(
            page=f"/cases/{case.pk}/contract/",
            form=lambda shown: shown.form(action=f"/cases/{case.pk}/contract/"),
            fill=lambda contender: {
                "focus": f"Anak kembali bersekolah ({contender.label}).",
                "client_goals": "Cucu saya bisa sekolah lagi.",
                "worker_duties": "Kunjungan rumah dua minggu sekali.",
                "client_duties": "Nenek hadir pada pertemuan.",
                "meeting_schedule": "Selasa sore",
                "start_date": start,
                "end_date": end,
                "signed_on": start,
            },
        ),
    ]

    register_results, open_results, contract_results = race(contenders, scenes)

    # The other registrations are refused: by the unique NIK in the service, or, if the winner had
    # committed already, by the duplicate check before it (the same fact in other words).
    taken = (
        in_indonesian("A person with this NIK is already registered."),
        in_indonesian("A person with this NIK is already registered (see above)."),
    )
    # duplicate_candidates reads "same NIK" and "same birth date" in one statement (one snapshot),
    # so a loser is never shown the weaker "similar name" warning instead.
    winner = one_winner(register_results, refusal=taken)
    people = list(Person.objects.filter(nik=NIK_RIZKI))
    assert len(people) == 1
    registered = ClientSystem.objects.get(memberships__person=people[0])
    assert winner.answer.location == f"/clients/{registered.pk}/"
    assert registered.created_by_id == winner.contender.user.pk
    events = audit("client_system.register", target_type="clients.clientsystem", target_id=str(registered.pk))
    assert [e.actor_id for e in events] == [winner.contender.user.pk]
    assert len(audit("person.create", target_type="clients.person", target_id=str(people[0].pk))) == 1
    assert AuditEvent.objects.filter(action="client_system.register").count() == 1

    winner = one_winner(
        open_results, refusal=in_indonesian("This client system already has an open case in this programme.")
    )
    opened = list(Case.objects.filter(client_system=client))
    assert [(c.presenting_problem, c.opened_by_id) for c in opened] == [
        (winner.sent["presenting_problem"], winner.contender.user.pk)
    ]
    assert winner.answer.location == f"/cases/{opened[0].pk}/"
    assert PhaseTransition.objects.filter(case__client_system=client).count() == 1
    events = audit("case.open", case__client_system=client)
    assert [(e.actor_id, e.target_id) for e in events] == [(winner.contender.user.pk, str(opened[0].pk))]

    winner = one_winner(contract_results, refusal=in_indonesian(ConcurrentEditError.message))
    assert winner.answer.location == f"/cases/{case.pk}/#engagement"
    contracts = Contract.objects.filter(case=case).values_list("focus", "version")
    assert list(contracts) == [(winner.sent["focus"], 1)]
    assert [e.actor_id for e in audit("contract.create", case=case)] == [winner.contender.user.pk]
    assert audit("contract.update", case=case) == []
