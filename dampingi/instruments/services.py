"""Writes of the instruments: administer PIE, administer the digital-life screening, add a flagged
screening item to the problem tree.

Each function takes the acting user, locks the case row, checks that the user may work on the case
and that the case is in a phase where instruments are taken, and records an audit event in the
same transaction. Administrations are kept as taken: a later one is a new row, never an edit.
"""

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dampingi.accounts.models import User
from dampingi.assessments.models import Problem
from dampingi.assessments.services import assessment_check_phase
from dampingi.audit.services import audit_record, snapshot
from dampingi.cases.models import Case
from dampingi.cases.permissions import lock_case_for_work
from dampingi.cases.phases import Phase
from dampingi.instruments.definitions import CURRENT, DIGITAL, PIE, definition
from dampingi.instruments.models import Administration, PieEntry, PieHealthEntry, ScreeningAnswer, ScreeningProblem

# Taken in Assessment; taken again in Evaluation to compare.
ADMINISTER_PHASES = (Phase.ASSESSMENT, Phase.EVALUATION)


def administer_check_phase(case: Case) -> None:
    if case.phase not in ADMINISTER_PHASES or not case.is_open:
        raise ValidationError(
            _("Instruments are taken in the Assessment and Evaluation phases. The case is now in %(phase)s.")
            % {"phase": case.get_phase_display()},
            code="wrong_phase",
        )


def _check_date(case: Case, administered_on: datetime.date) -> None:
    if administered_on > timezone.localdate():
        raise ValidationError({"administered_on": _("The date cannot be in the future.")}, code="future")
    opened = timezone.localdate(case.opened_at)
    if administered_on < opened:
        raise ValidationError(
            {"administered_on": _("The date cannot be before the case was opened (%(date)s).") % {"date": opened}},
            code="before_open",
        )


def _index_ok(value) -> bool:
    return isinstance(value, int) and 1 <= value <= 6


def _clean_pie_entries(pie, roles: Iterable[Mapping], environment: Iterable[Mapping]) -> list[PieEntry]:
    entries = []
    for data in roles:
        role = data["role"]
        if not all(_index_ok(data.get(k)) for k in ("severity", "duration", "coping")):
            raise ValidationError(_("Severity, duration and coping are rated from 1 to 6."), code="index_range")
        if data["problem_type"] not in pie.PROBLEM_TYPES:
            raise ValidationError(_("Choose a problem type from the list."), code="problem_type")
        entries.append(
            PieEntry(
                factor=1,
                role_group=pie.role_group_of(role),
                role=role,
                problem_type=data["problem_type"],
                severity=data["severity"],
                duration=data["duration"],
                coping=data["coping"],
                strengths=(data.get("strengths") or "").strip(),
            )
        )
    for data in environment:
        problem = data["problem"]
        if not all(_index_ok(data.get(k)) for k in ("severity", "duration")):
            raise ValidationError(_("Severity and duration are rated from 1 to 6."), code="index_range")
        entries.append(
            PieEntry(
                factor=2,
                system=pie.system_of(problem),
                problem=problem,
                detail=(data.get("detail") or "").strip(),
                severity=data["severity"],
                duration=data["duration"],
            )
        )
    return entries


def pie_administer(
    *,
    actor: User,
    case: Case,
    administered_on: datetime.date,
    role_problems: Iterable[Mapping] = (),
    environment_problems: Iterable[Mapping] = (),
    health: Iterable[Mapping] = (),
) -> Administration:
    """Record a PIE administration: Factor I role problems, Factor II environmental problems, and
    Factors III/IV health entries ({"factor": 3|4, "diagnosis": str, "client_reported": str})."""
    pie = CURRENT[PIE]
    with transaction.atomic():
        case = lock_case_for_work(actor, case)
        administer_check_phase(case)
        _check_date(case, administered_on)
        try:
            entries = _clean_pie_entries(pie, role_problems, environment_problems)
        except KeyError:
            raise ValidationError(_("Choose a role or a problem from the list."), code="unknown_key") from None
        health_entries = []
        for data in health:
            if data["factor"] not in pie.RESTRICTED_FACTORS:
                raise ValidationError(_("Health entries belong to Factor III or IV."), code="health_factor")
            diagnosis = (data.get("diagnosis") or "").strip()
            reported = (data.get("client_reported") or "").strip()
            if diagnosis or reported:
                health_entries.append(
                    PieHealthEntry(factor=data["factor"], diagnosis=diagnosis, client_reported=reported)
                )
        if not entries and not health_entries:
            raise ValidationError(_("Record at least one problem or health entry."), code="empty")
        administration = Administration.objects.create(
            case=case,
            instrument=pie.ID,
            version=pie.VERSION,
            phase=case.phase,
            administered_on=administered_on,
            administered_by=actor,
        )
        for entry in entries:
            entry.administration = administration
        for entry in health_entries:
            entry.administration = administration
        PieEntry.objects.bulk_create(entries)
        PieHealthEntry.objects.bulk_create(health_entries)
        audit_record(
            actor=actor,
            action="instrument.administer",
            target=administration,
            case=case,
            after={
                **snapshot(administration),
                "entries": [snapshot(e, fields=_PIE_AUDIT_FIELDS) for e in entries],
                # Health data stays out of the audit log: only how many entries were recorded.
                "health_entries": len(health_entries),
            },
        )
        return administration


_PIE_AUDIT_FIELDS = ["factor", "role", "problem_type", "severity", "duration", "coping", "system", "problem"]


def screening_administer(
    *,
    actor: User,
    case: Case,
    administered_on: datetime.date,
    answers: Mapping[str, tuple[int, str]],
) -> Administration:
    """Record a digital-life screening: every item of the definition rated 0-3, with notes."""
    digital = CURRENT[DIGITAL]
    with transaction.atomic():
        case = lock_case_for_work(actor, case)
        administer_check_phase(case)
        _check_date(case, administered_on)
        errors = {}
        for key in digital.ITEMS:
            if key not in answers:
                errors[key] = _("Rate this item.")
            elif not (isinstance(answers[key][0], int) and digital.RATING_MIN <= answers[key][0] <= digital.RATING_MAX):
                errors[key] = _("Rate from 0 to 3.")
        unknown = set(answers) - set(digital.ITEMS)
        if unknown:
            errors["__all__"] = _("Unknown screening items: %(items)s.") % {"items": ", ".join(sorted(unknown))}
        if errors:
            raise ValidationError(errors, code="invalid")
        administration = Administration.objects.create(
            case=case,
            instrument=digital.ID,
            version=digital.VERSION,
            phase=case.phase,
            administered_on=administered_on,
            administered_by=actor,
        )
        rows = [
            ScreeningAnswer(
                administration=administration, item=key, rating=answers[key][0], notes=answers[key][1].strip()
            )
            for key in digital.ITEMS
        ]
        ScreeningAnswer.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            action="instrument.administer",
            target=administration,
            case=case,
            after={**snapshot(administration), "answers": {r.item: [r.rating, r.notes] for r in rows}},
        )
        return administration


def screening_add_problem(*, actor: User, case: Case, administration_id: int, item: str) -> Problem:
    """Add a flagged screening item to the case's problem tree (title from the item, description from
    the notes). An item is added once per case: a second request is refused."""
    with transaction.atomic():
        case = lock_case_for_work(actor, case)
        assessment_check_phase(case)
        administration = (
            Administration.objects.select_for_update()
            .filter(pk=administration_id, case=case, instrument=DIGITAL)
            .first()
        )
        if administration is None:
            raise ValidationError(_("This screening does not belong to the case."), code="foreign")
        digital = definition(DIGITAL, administration.version)
        answer = ScreeningAnswer.objects.filter(administration=administration, item=item).first()
        if item not in digital.ITEMS or answer is None:
            raise ValidationError(_("This item is not part of the screening."), code="unknown_item")
        if answer.rating < digital.FLAG_AT:
            raise ValidationError(
                _("Only items rated considerable or severe concern are added to the problem tree."),
                code="not_flagged",
            )
        if ScreeningProblem.objects.filter(case=case, item=item).exists():
            raise ValidationError(_("This item is already in the problem tree."), code="duplicate")
        label = str(digital.ITEMS[item].label)
        description = answer.notes or _("Rated %(rating)s in the digital-life screening of %(date)s.") % {
            "rating": digital.RATINGS[answer.rating],
            "date": administration.administered_on.isoformat(),
        }
        problem = Problem.objects.create(case=case, title=label[:200], description=description[:4000])
        link = ScreeningProblem.objects.create(
            case=case, item=item, administration=administration, problem=problem, created_by=actor
        )
        audit_record(
            actor=actor,
            action="problem.create",
            target=problem,
            case=case,
            after={**snapshot(problem), "source": "instrument", "screening_link": snapshot(link)},
        )
        return problem
