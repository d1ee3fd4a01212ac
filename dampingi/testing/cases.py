"""Test and demo helpers that put a case through the helping process with the real services.

Assessment, plan and evaluation rows are written directly (their own services belong to the
assessments and plans apps); every phase move, approval and casework record goes through
dampingi.cases.services, as a worker and a supervisor would.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from dampingi.accounts.models import User
from dampingi.assessments.models import Assessment
from dampingi.cases.models import ActivityNote, Approval, Case, Consent, Contract
from dampingi.cases.phases import Phase
from dampingi.cases.services import (
    activity_note_add,
    approval_decide,
    approval_request,
    case_change_phase,
    consent_record,
    contract_create,
)
from dampingi.plans.models import Evaluation, Goal, Plan, Task
from dampingi.testing.casework import GAS_LEVELS


def sign_contract(case: Case, actor: User, **overrides) -> Contract:
    today = timezone.localdate()
    params = {
        "focus": "Anak kembali bersekolah dan gizi membaik.",
        "client_goals": "Cucu saya bisa sekolah lagi dan makan cukup.",
        "worker_duties": "Kunjungan rumah dua minggu sekali, menghubungkan dengan sekolah dan puskesmas.",
        "client_duties": "Nenek hadir pada pertemuan dan mengantar anak ke sekolah.",
        "meeting_schedule": "Selasa sore, dua minggu sekali",
        "start_date": today,
        "end_date": today + datetime.timedelta(days=180),
        "signed_on": today,
    }
    params.update(overrides)
    return contract_create(actor=actor, case_id=case.pk, **params)


def record_consent(case: Case, actor: User, **overrides) -> Consent:
    params = {
        "given_by": Consent.GivenBy.GUARDIAN,
        "giver_name": "Iyah (nenek, wali)",
        "method": Consent.Method.SIGNED_PAPER,
        "given_on": timezone.localdate(),
        "covers_processing": True,
        "covers_sharing": True,
    }
    params.update(overrides)
    return consent_record(actor=actor, case_id=case.pk, **params)


def engage(case: Case, actor: User) -> None:
    """Sign a contract and record consent unless the case already has them."""
    if not Contract.objects.filter(case=case).exists():
        sign_contract(case, actor)
    if not Consent.objects.filter(case=case, withdrawn_on__isnull=True, covers_processing=True).exists():
        record_consent(case, actor)


def add_note(case: Case, actor: User, **overrides) -> ActivityNote:
    params = {
        "kind": ActivityNote.Kind.HOME_VISIT,
        "occurred_on": timezone.localdate(),
        "duration_minutes": 60,
        "participants": "Nenek, anak",
        "narrative": "Kunjungan rumah: anak sudah mendaftar kembali di SD.",
    }
    params.update(overrides)
    return activity_note_add(actor=actor, case_id=case.pk, **params)


def complete_assessment(case: Case, actor: User) -> Assessment:
    """A completed assessment, signed off by the case's supervisor (the guard to leave Assessment needs both)."""
    now = timezone.now()
    return Assessment.objects.create(
        case=case,
        summary="Anak tidak sekolah sejak semester lalu, berat badan kurang.",
        strengths="Nenek peduli; guru kelas bersedia membantu.",
        created_by=actor,
        completed_at=now,
        signed_off_by=case.supervisor,
        signed_off_at=now,
    )


def submitted_plan(case: Case, actor: User) -> Approval:
    """A plan with one goal and one task, sent for approval: returns the pending approval."""
    with transaction.atomic():
        plan, _created = Plan.objects.get_or_create(case=case)
        if not plan.goals.exists():
            goal = Goal.objects.create(
                plan=plan, description="Anak kembali sekolah", indicator="Hadir 90% sebulan", **GAS_LEVELS
            )
            Task.objects.create(
                plan=plan,
                goal=goal,
                description="Bertemu wali kelas",
                responsible="worker",
                due_date=timezone.localdate() + datetime.timedelta(days=14),
            )
        plan.status = Plan.Status.SUBMITTED
        plan.save(update_fields=["status"])
        return approval_request(actor=actor, case=case, kind=Approval.Kind.PLAN)


def approve_plan(case: Case, worker: User, supervisor: User) -> Approval:
    approval = submitted_plan(case, worker)
    return approval_decide(actor=supervisor, approval_id=approval.pk, approve=True)


def record_evaluation(case: Case, actor: User) -> Evaluation:
    return Evaluation.objects.create(
        case=case,
        client_view="Nenek merasa cucunya lebih ceria dan rajin sekolah.",
        summary="Tujuan sekolah tercapai; gizi membaik.",
        evaluated_on=timezone.localdate(),
        evaluated_by=actor,
    )


def walk_to(case: Case, target: str, *, worker: User, supervisor: User) -> Case:
    """Move an open case forward phase by phase until it is in `target`, meeting each guard on the way."""
    case.refresh_from_db()
    steps = {
        Phase.ENGAGEMENT: lambda: engage(case, worker),
        Phase.ASSESSMENT: lambda: complete_assessment(case, worker),
        Phase.PLANNING: lambda: approve_plan(case, worker, supervisor),
        Phase.INTERVENTION: lambda: add_note(case, worker),
    }
    order = [Phase.ENGAGEMENT, Phase.ASSESSMENT, Phase.PLANNING, Phase.INTERVENTION, Phase.EVALUATION]
    while case.phase != target:
        here = Phase(case.phase)
        if here not in steps:
            raise ValueError(f"cannot walk forward from {here} to {target}")
        steps[here]()
        nxt = order[order.index(here) + 1]
        case = case_change_phase(actor=worker, case_id=case.pk, target=nxt, expected_phase=here)
    return case
