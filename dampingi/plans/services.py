"""Writes to plans: goals, tasks, submission for approval, evaluation of goals."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dampingi.accounts.models import User
from dampingi.audit.services import audit_record, snapshot
from dampingi.cases.models import Approval, Case
from dampingi.plans.models import Plan


def plan_get_or_create(*, actor: User, case: Case) -> Plan:
    plan, created = Plan.objects.get_or_create(case=case)
    if created:
        audit_record(actor=actor, action="plan.create", target=plan, case=case, after=snapshot(plan))
    return plan


def plan_submit(*, actor: User, case: Case) -> Plan:
    """The worker sends the plan to the supervisor. Needs at least one goal, each with a task."""
    from dampingi.cases.services import approval_request

    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(case=case)
        goals = list(plan.goals.prefetch_related("tasks"))
        if not goals:
            raise ValidationError(_("Add at least one goal before sending the plan for approval."), code="no_goals")
        without_tasks = [g.description for g in goals if not g.tasks.all()]
        if without_tasks:
            raise ValidationError(
                _("Every goal needs at least one task. Missing for: %(goals)s.") % {"goals": "; ".join(without_tasks)},
                code="goal_without_task",
            )
        if plan.status in (Plan.Status.SUBMITTED, Plan.Status.APPROVED):
            raise ValidationError(_("The plan is already with the supervisor or approved."), code="already_submitted")
        before = snapshot(plan)
        plan.status = Plan.Status.SUBMITTED
        plan.version += 1
        plan.save(update_fields=["status", "version", "updated_at"])
        audit_record(actor=actor, action="plan.submit", target=plan, case=case, before=before, after=snapshot(plan))
        approval_request(actor=actor, case=case, kind=Approval.Kind.PLAN)
    return plan


def plan_record_decision(*, actor: User, case: Case, approved: bool, comment: str) -> Plan:
    """Called by approval_decide inside its transaction."""
    plan = Plan.objects.select_for_update().get(case=case)
    before = snapshot(plan)
    plan.status = Plan.Status.APPROVED if approved else Plan.Status.RETURNED
    plan.supervisor_comment = comment
    plan.version += 1
    plan.save(update_fields=["status", "supervisor_comment", "version", "updated_at"])
    audit_record(actor=actor, action="plan.decision", target=plan, case=case, before=before, after=snapshot(plan))
    return plan


def plan_reopen_for_revision(*, actor: User, case: Case) -> Plan | None:
    """Another cycle back to Planning: the plan becomes a draft and needs approval again."""
    plan = Plan.objects.select_for_update().filter(case=case).first()
    if plan is None:
        return None
    before = snapshot(plan)
    plan.status = Plan.Status.DRAFT
    plan.version += 1
    plan.save(update_fields=["status", "version", "updated_at"])
    audit_record(actor=actor, action="plan.revise", target=plan, case=case, before=before, after=snapshot(plan))
    return plan
