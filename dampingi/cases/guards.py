"""What must be on file before a case may leave a phase. Each guard returns the missing items."""

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from dampingi.cases.models import Case
from dampingi.cases.phases import Phase


def engagement_ready(case: Case) -> list[str]:
    missing = []
    contract = getattr(case, "contract", None)
    if contract is None or contract.signed_on is None:
        missing.append(str(_("a signed contract")))
    if not any(c.is_active for c in case.consents.all()):
        missing.append(str(_("recorded consent to data processing")))
    return missing


def assessment_ready(case: Case) -> list[str]:
    from dampingi.assessments.models import Assessment

    # The latest assessment counts: after a cycle back, the new one must be completed too.
    latest = Assessment.objects.filter(case=case).order_by("-created_at", "-id").first()
    if latest is None or latest.completed_at is None or latest.signed_off_at is None:
        return [str(_("an assessment signed off by the supervisor"))]
    return []


def planning_ready(case: Case) -> list[str]:
    from dampingi.plans.models import Plan

    if not Plan.objects.filter(case=case, status=Plan.Status.APPROVED).exists():
        return [str(_("a plan approved by the supervisor"))]
    return []


def intervention_ready(case: Case) -> list[str]:
    if not case.activity_notes.filter(phase=Phase.INTERVENTION).exists():
        return [str(_("at least one intervention activity note"))]
    return []


def evaluation_ready(case: Case) -> list[str]:
    from dampingi.plans.models import Evaluation

    if not Evaluation.objects.filter(case=case, evaluated_on__gte=case.phase_changed_at.date()).exists():
        return [str(_("an evaluation of the goals with the client's view"))]
    return []


# Guards for the ordinary forward move out of each phase. Termination with a reason,
# cycles back and reopening are allowed from any state the transition table permits.
FORWARD_GUARDS: dict[Phase, Callable[[Case], list[str]]] = {
    Phase.ENGAGEMENT: engagement_ready,
    Phase.ASSESSMENT: assessment_ready,
    Phase.PLANNING: planning_ready,
    Phase.INTERVENTION: intervention_ready,
    Phase.EVALUATION: evaluation_ready,
}
