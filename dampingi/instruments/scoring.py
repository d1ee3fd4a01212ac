"""Pure computations on recorded instruments: PIE ranking, screening profile, comparisons. No queries."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from dampingi.instruments.definitions import DIGITAL, definition
from dampingi.instruments.models import Administration, PieEntry, ScreeningAnswer

# --- PIE -----------------------------------------------------------------------------------------


@dataclass
class PieRow:
    entry: PieEntry
    factor: int
    label: str
    kind: str
    severity: int
    severity_label: str
    duration: int
    duration_label: str
    coping: int | None = None
    coping_label: str = ""
    note: str = ""


def pie_row(entry: PieEntry, version: str) -> PieRow:
    pie = definition("pie", version)
    if entry.factor == 1:
        label = pie.role_label(entry.role)
        kind = str(pie.PROBLEM_TYPES.get(entry.problem_type, entry.problem_type))
        note = entry.strengths
    else:
        label = pie.system_problem_label(entry.problem)
        system = pie.SYSTEMS.get(entry.system)
        kind = str(system[0]) if system else entry.system
        note = entry.detail
    return PieRow(
        entry=entry,
        factor=entry.factor,
        label=label,
        kind=kind,
        severity=entry.severity,
        severity_label=str(pie.SEVERITY[entry.severity]),
        duration=entry.duration,
        duration_label=str(pie.DURATION[entry.duration]),
        coping=entry.coping,
        coping_label=str(pie.COPING[entry.coping]) if entry.coping else "",
        note=note,
    )


def pie_ranked(entries: list[PieEntry], version: str) -> list[PieRow]:
    """Factor I and II problems, most severe first, then the most recent (higher duration index)."""
    rows = [pie_row(e, version) for e in entries]
    return sorted(rows, key=lambda r: (-r.severity, -r.duration, r.factor, r.entry.pk or 0))


def pie_key(entry: PieEntry) -> tuple:
    """What makes two entries of two administrations 'the same problem' for a comparison."""
    if entry.factor == 1:
        return (1, entry.role, entry.problem_type)
    return (2, entry.problem, entry.detail.strip().lower())


# --- Digital-life screening ------------------------------------------------------------------------


@dataclass
class ItemScore:
    key: str
    label: str
    rating: int
    rating_label: str
    notes: str
    flagged: bool


@dataclass
class AreaScore:
    key: str
    label: str
    score: int
    flagged: bool
    items: list[ItemScore] = field(default_factory=list)

    @property
    def single(self) -> bool:
        return len(self.items) == 1


@dataclass
class Profile:
    areas: list[AreaScore]
    total: int
    max_total: int
    flagged: list[ItemScore]


def screening_profile(answers: list[ScreeningAnswer], version: str) -> Profile:
    """Per-area score (the item's rating, or the highest rating of the area's items), total, flagged items."""
    digital = definition(DIGITAL, version)
    by_item = {a.item: a for a in answers}
    areas = []
    for area in digital.AREAS:
        items = []
        for item in area.items:
            answer = by_item.get(item.key)
            rating = answer.rating if answer is not None else 0
            items.append(
                ItemScore(
                    key=item.key,
                    label=str(item.label),
                    rating=rating,
                    rating_label=str(digital.RATINGS[rating]),
                    notes=answer.notes if answer is not None else "",
                    flagged=rating >= digital.FLAG_AT,
                )
            )
        score = max(i.rating for i in items)
        areas.append(AreaScore(area.key, str(area.label), score, score >= digital.FLAG_AT, items))
    return Profile(
        areas=areas,
        total=sum(a.score for a in areas),
        max_total=digital.RATING_MAX * len(digital.AREAS),
        flagged=[i for a in areas for i in a.items if i.flagged],
    )


# --- Comparison of two administrations -------------------------------------------------------------


@dataclass
class ComparisonRow:
    label: str
    detail: str
    old: int | None
    new: int | None
    old_label: str = ""
    new_label: str = ""

    @property
    def change(self) -> int | None:
        if self.old is None or self.new is None:
            return None
        return self.new - self.old

    @property
    def change_text(self) -> str:
        if self.old is None:
            return _("new")
        if self.new is None:
            return _("no longer recorded")
        change = self.change
        return f"{change:+d}" if change else "0"


def compare_screenings(old: Administration, new: Administration) -> list[ComparisonRow]:
    old_profile = screening_profile(list(old.answers.all()), old.version)
    new_profile = screening_profile(list(new.answers.all()), new.version)
    old_items = {i.key: i for a in old_profile.areas for i in a.items}
    rows = []
    for area in new_profile.areas:
        for item in area.items:
            before = old_items.get(item.key)
            rows.append(
                ComparisonRow(
                    label=item.label,
                    detail="" if area.single else area.label,
                    old=before.rating if before else None,
                    new=item.rating,
                    old_label=before.rating_label if before else "",
                    new_label=item.rating_label,
                )
            )
    return rows


def compare_pie(old: Administration, new: Administration) -> list[ComparisonRow]:
    """Severity of each Factor I/II problem in both administrations (matched by role and type, or problem)."""
    old_rows = {pie_key(r.entry): r for r in pie_ranked(list(old.pie_entries.all()), old.version)}
    rows = []
    seen = set()
    for row in pie_ranked(list(new.pie_entries.all()), new.version):
        key = pie_key(row.entry)
        seen.add(key)
        before = old_rows.get(key)
        rows.append(
            ComparisonRow(
                label=row.label,
                detail=row.kind,
                old=before.severity if before else None,
                new=row.severity,
                old_label=before.severity_label if before else "",
                new_label=row.severity_label,
            )
        )
    for key, before in old_rows.items():
        if key not in seen:
            rows.append(
                ComparisonRow(
                    label=before.label,
                    detail=before.kind,
                    old=before.severity,
                    new=None,
                    old_label=before.severity_label,
                )
            )
    return rows
