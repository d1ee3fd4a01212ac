"""Writes to the assessment of a case: the assessment text, the problem tree, social functioning.

Each function takes the acting user, locks the case row, checks that the user may work on the case
and that the case is in a phase that allows the write, and records an audit event in the same
transaction. Edits of existing records use optimistic locking (dampingi.core.concurrency).
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dampingi.accounts.models import User
from dampingi.assessments.models import Assessment, Problem, ProblemFactor, SocialFunctioningRating
from dampingi.audit.services import audit_record, snapshot
from dampingi.cases.models import Approval, Case
from dampingi.cases.permissions import lock_case_for_work
from dampingi.cases.phases import Phase
from dampingi.core.concurrency import ConcurrentEditError, save_versioned

ASSESSMENT_FIELDS = ["summary", "strengths", "resources", "risks", "risk_level"]
# Ratings are taken when the worker assesses and again when the work is evaluated (review, termination).
RATING_PHASES = (Phase.ASSESSMENT, Phase.EVALUATION)


class PhaseClosedError(ValidationError):
    """The case is not in a phase that allows this write; the record stays readable."""


def assessment_check_phase(case: Case) -> None:
    if case.phase != Phase.ASSESSMENT or not case.is_open:
        raise PhaseClosedError(
            _(
                "The assessment can be changed only while the case is in the Assessment phase. "
                "The case is now in %(phase)s; the assessment stays readable."
            )
            % {"phase": case.get_phase_display()},
            code="wrong_phase",
        )


def rating_check_phase(case: Case) -> None:
    if case.phase not in RATING_PHASES or not case.is_open:
        raise PhaseClosedError(
            _("Social functioning is rated in the Assessment and Evaluation phases. The case is now in %(phase)s.")
            % {"phase": case.get_phase_display()},
            code="wrong_phase",
        )


def _latest_assessment(case: Case) -> Assessment | None:
    return Assessment.objects.select_for_update().filter(case=case).order_by("-created_at", "-id").first()


def _case_problem(case: Case, problem_id: int) -> Problem:
    try:
        return Problem.objects.select_for_update().get(pk=problem_id, case=case)
    except Problem.DoesNotExist:
        raise ValidationError(_("This problem does not belong to the case."), code="foreign_problem") from None


def _problem_snapshot(problem: Problem) -> dict:
    data = snapshot(problem)
    data["linked"] = sorted(problem.linked.values_list("pk", flat=True))
    return data


def _check_links(case: Case, problem: Problem | None, leads_to: Iterable[Problem]) -> list[Problem]:
    leads_to = list(leads_to)
    if any(p.case_id != case.pk for p in leads_to):
        raise ValidationError(
            {"leads_to": _("A problem can only lead to problems of the same case.")}, code="foreign_problem"
        )
    if problem is not None and any(p.pk == problem.pk for p in leads_to):
        raise ValidationError({"leads_to": _("A problem cannot lead to itself.")}, code="self_link")
    return leads_to


def assessment_missing(*, assessment: Assessment | None, problem_count: int, rating_count: int) -> list[str]:
    """What an assessment still needs before it can be completed (empty when it can be)."""
    missing = []
    if assessment is None or not assessment.summary.strip():
        missing.append(str(_("a summary of the situation")))
    if assessment is None or not assessment.strengths.strip():
        missing.append(str(_("the strengths of the client system")))
    if problem_count < 1:
        missing.append(str(_("at least one problem")))
    if rating_count < 1:
        missing.append(str(_("at least one social functioning rating")))
    return missing


def assessment_save(
    *,
    actor: User,
    case: Case,
    summary: str,
    strengths: str,
    resources: str = "",
    risks: str = "",
    risk_level: str,
    expected_version: int | None,
) -> Assessment:
    """Create the assessment of this cycle, or update it (the user's `expected_version` must be current).

    A completed assessment is not changed: the worker starts a new one (assessment_start_new).
    """
    with transaction.atomic():
        case = lock_case_for_work(actor, case)
        assessment_check_phase(case)
        current = _latest_assessment(case)
        values = {
            "summary": summary.strip(),
            "strengths": strengths.strip(),
            "resources": resources.strip(),
            "risks": risks.strip(),
            "risk_level": risk_level,
        }
        if current is not None and current.completed_at is not None:
            raise ValidationError(
                _(
                    "This assessment was completed. Start a new assessment to revise it; "
                    "the completed one stays in the history."
                ),
                code="completed",
            )
        if current is None:
            if expected_version is not None:
                raise ConcurrentEditError
            assessment = Assessment.objects.create(case=case, created_by=actor, **values)
            audit_record(
                actor=actor, action="assessment.create", target=assessment, case=case, after=snapshot(assessment)
            )
            return assessment
        if expected_version is None:
            # Someone else started the assessment after this user opened the empty form.
            raise ConcurrentEditError
        before = snapshot(current)
        for name, value in values.items():
            setattr(current, name, value)
        save_versioned(current, expected_version=expected_version, fields=ASSESSMENT_FIELDS)
        audit_record(
            actor=actor, action="assessment.update", target=current, case=case, before=before, after=snapshot(current)
        )
        return current


def assessment_complete(*, actor: User, case: Case, expected_version: int | None = None) -> Assessment:
    """Mark the assessment of this cycle complete and ask the supervisor to sign it off.

    Needs a summary and strengths, at least one problem and at least one social functioning rating.
    The guard to leave Assessment looks for a completed assessment that the supervisor signed off
    (approval kind "assessment", decided in dampingi.cases.services.approval_decide).
    """
    from dampingi.cases.services import approval_request

    with transaction.atomic():
        case = lock_case_for_work(actor, case)
        assessment_check_phase(case)
        assessment = _latest_assessment(case)
        if assessment is not None and assessment.completed_at is not None:
            raise ValidationError(_("This assessment is already complete."), code="already_complete")
        missing = assessment_missing(
            assessment=assessment,
            problem_count=Problem.objects.filter(case=case).count(),
            rating_count=SocialFunctioningRating.objects.filter(case=case).count(),
        )
        if missing:
            raise ValidationError(
                _("The assessment cannot be completed yet. It still needs: %(missing)s.")
                % {"missing": ", ".join(missing)},
                code="incomplete",
            )
        assert assessment is not None  # missing would name the summary otherwise
        before = snapshot(assessment)
        assessment.completed_at = timezone.now()
        assessment.signed_off_by = None
        assessment.signed_off_at = None
        save_versioned(
            assessment,
            expected_version=assessment.version if expected_version is None else expected_version,
            fields=["completed_at", "signed_off_by", "signed_off_at"],
        )
        audit_record(
            actor=actor,
            action="assessment.complete",
            target=assessment,
            case=case,
            before=before,
            after=snapshot(assessment),
        )
        approval_request(actor=actor, case=case, kind=Approval.Kind.ASSESSMENT)
        return assessment


def assessment_record_signoff(*, actor: User, case: Case, approved: bool, comment: str) -> Assessment:
    """Store the supervisor's decision on the completed assessment of this cycle.

    Called by dampingi.cases.services.approval_decide inside its transaction, after it has checked
    that `actor` may approve for the (locked) case. Approval signs the assessment off; a return clears
    its completion so the worker revises it and completes it again (which asks for a new sign-off).
    """
    assessment = _latest_assessment(case)
    if assessment is None or assessment.completed_at is None or assessment.signed_off_at is not None:
        raise ValidationError(_("There is no completed assessment waiting for sign-off."), code="nothing_to_sign_off")
    before = snapshot(assessment)
    if approved:
        assessment.signed_off_by = actor
        assessment.signed_off_at = timezone.now()
    else:
        assessment.signed_off_by = None
        assessment.signed_off_at = None
        assessment.completed_at = None
    assessment.signoff_comment = comment
    save_versioned(
        assessment,
        expected_version=assessment.version,
        fields=["signed_off_by", "signed_off_at", "signoff_comment", "completed_at"],
    )
    audit_record(
        actor=actor,
        action="assessment.signoff" if approved else "assessment.return",
        target=assessment,
        case=case,
        before=before,
        after=snapshot(assessment),
    )
    return assessment


def assessment_start_new(*, actor: User, case: Case) -> Assessment:
    """Start the assessment of a new cycle (after Evaluation went back to Assessment).

    The new assessment starts from the text of the previous one, which stays unchanged as history.
    """
    with transaction.atomic():
        case = lock_case_for_work(actor, case)
        assessment_check_phase(case)
        previous = _latest_assessment(case)
        if previous is None:
            raise ValidationError(_("There is no assessment yet: write the first one below."), code="no_assessment")
        if previous.completed_at is None:
            raise ValidationError(_("An assessment is already in progress; continue that one."), code="in_progress")
        if previous.completed_at >= case.phase_changed_at:
            raise ValidationError(
                _("The assessment of this cycle is complete: move the case on to Planning."), code="same_cycle"
            )
        assessment = Assessment.objects.create(
            case=case, created_by=actor, **{name: getattr(previous, name) for name in ASSESSMENT_FIELDS}
        )
        audit_record(
            actor=actor,
            action="assessment.start_new",
            target=assessment,
            case=case,
            after={**snapshot(assessment), "previous_id": previous.pk},
        )
        return assessment


def problem_add(
    *,
    actor: User,
    case: Case,
    title: str,
    description: str = "",
    is_priority: bool = False,
    causes: Iterable[str] = (),
    effects: Iterable[str] = (),
    leads_to: Iterable[Problem] = (),
) -> Problem:
    """Add a problem to the problem tree, with its causes and effects and the problems it leads to."""
    with transaction.atomic():
        case = lock_case_for_work(actor, case)
        assessment_check_phase(case)
        leads_to = _check_links(case, None, leads_to)
        problem = Problem.objects.create(
            case=case, title=title.strip(), description=description.strip(), is_priority=is_priority
        )
        factors = [
            ProblemFactor(problem=problem, kind=ProblemFactor.Kind.CAUSE, text=t.strip()) for t in causes if t.strip()
        ]
        factors += [
            ProblemFactor(problem=problem, kind=ProblemFactor.Kind.EFFECT, text=t.strip()) for t in effects if t.strip()
        ]
        ProblemFactor.objects.bulk_create(factors)
        problem.linked.set(leads_to)
        audit_record(
            actor=actor,
            action="problem.create",
            target=problem,
            case=case,
            after={**_problem_snapshot(problem), "factors": [[f.kind, f.text] for f in factors]},
        )
        return problem


def problem_update(
    *,
    actor: User,
    case: Case,
    problem_id: int,
    expected_version: int,
    title: str,
    description: str = "",
    is_priority: bool = False,
    leads_to: Iterable[Problem] = (),
) -> Problem:
    with transaction.atomic():
        case = lock_case_for_work(actor, case)
        assessment_check_phase(case)
        problem = _case_problem(case, problem_id)
        leads_to = _check_links(case, problem, leads_to)
        before = _problem_snapshot(problem)
        problem.title = title.strip()
        problem.description = description.strip()
        problem.is_priority = is_priority
        save_versioned(problem, expected_version=expected_version, fields=["title", "description", "is_priority"])
        problem.linked.set(leads_to)
        audit_record(
            actor=actor,
            action="problem.update",
            target=problem,
            case=case,
            before=before,
            after=_problem_snapshot(problem),
        )
        return problem


def problem_delete(*, actor: User, case: Case, problem_id: int, expected_version: int) -> None:
    """Remove a problem entered by mistake. A problem that a goal of the plan addresses stays."""
    with transaction.atomic():
        case = lock_case_for_work(actor, case)
        assessment_check_phase(case)
        problem = _case_problem(case, problem_id)
        if problem.version != expected_version:
            raise ConcurrentEditError
        if problem.goals.exists():
            raise ValidationError(
                _("A goal of the plan addresses this problem, so it cannot be removed."), code="problem_has_goals"
            )
        before = {**_problem_snapshot(problem), "factors": [[f.kind, f.text] for f in problem.factors.all()]}
        problem.delete()
        audit_record(actor=actor, action="problem.delete", target=Problem(pk=problem_id), case=case, before=before)


def factor_add(*, actor: User, case: Case, problem_id: int, kind: str, text: str) -> ProblemFactor:
    """Add a cause or an effect to a problem."""
    with transaction.atomic():
        case = lock_case_for_work(actor, case)
        assessment_check_phase(case)
        problem = _case_problem(case, problem_id)
        factor = ProblemFactor.objects.create(problem=problem, kind=kind, text=text.strip())
        audit_record(actor=actor, action="problem_factor.create", target=factor, case=case, after=snapshot(factor))
        return factor


def factor_delete(*, actor: User, case: Case, factor_id: int) -> None:
    with transaction.atomic():
        case = lock_case_for_work(actor, case)
        assessment_check_phase(case)
        factor = ProblemFactor.objects.select_for_update().filter(pk=factor_id, problem__case=case).first()
        if factor is None:
            raise ValidationError(_("This cause or effect was already removed."), code="gone")
        before = snapshot(factor)
        factor.delete()
        audit_record(
            actor=actor, action="problem_factor.delete", target=ProblemFactor(pk=factor_id), case=case, before=before
        )


def rating_add(
    *,
    actor: User,
    case: Case,
    occasion: str,
    rated_on: datetime.date,
    basic_needs: int,
    social_roles: int,
    problem_solving: int,
    evidence: str,
) -> SocialFunctioningRating:
    """Record social functioning on the three dimensions (1–5) with the evidence for the scores."""
    with transaction.atomic():
        case = lock_case_for_work(actor, case)
        rating_check_phase(case)
        errors = {}
        if rated_on > timezone.localdate():
            errors["rated_on"] = _("The date cannot be in the future.")
        elif rated_on < timezone.localdate(case.opened_at):
            errors["rated_on"] = _("The date cannot be before the case was opened (%(date)s).") % {
                "date": timezone.localdate(case.opened_at).isoformat()
            }
        for name, value in (
            ("basic_needs", basic_needs),
            ("social_roles", social_roles),
            ("problem_solving", problem_solving),
        ):
            if not 1 <= value <= 5:
                errors[name] = _("Rate from 1 to 5.")
        if errors:
            raise ValidationError(errors, code="invalid")
        rating = SocialFunctioningRating.objects.create(
            case=case,
            occasion=occasion,
            rated_on=rated_on,
            basic_needs=basic_needs,
            social_roles=social_roles,
            problem_solving=problem_solving,
            evidence=evidence.strip(),
            rated_by=actor,
        )
        audit_record(actor=actor, action="functioning_rating.create", target=rating, case=case, after=snapshot(rating))
        return rating
