"""Writes of the summaries app: the record that someone took a copy of a case file."""

from django.db import transaction

from dampingi.accounts.models import User
from dampingi.audit.services import audit_record
from dampingi.cases.models import Case

HTML = "html"
PDF = "pdf"
ACTIONS = {HTML: "summaries.printed", PDF: "summaries.pdf"}


def summary_record_disclosure(
    *, actor: User, case: Case, output_format: str, language: str, restricted_included: bool
) -> None:
    """Audit a printed (HTML) or downloaded (PDF) case summary: who took a copy, when, in which format.

    A summary is a disclosure of the case file, so it is recorded besides the "case viewed" event.
    `case` is one the actor may read (the view fetched it with get_case_for_user_or_404).
    """
    if output_format not in ACTIONS:
        raise ValueError(f"Unknown summary format: {output_format}")
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=ACTIONS[output_format],
            target=case,
            case=case,
            after={"format": output_format, "language": language, "restricted_included": restricted_included},
        )
