import html

import pytest

from dampingi.audit.models import AuditEvent
from dampingi.testing.factories import ClientSystemFactory, make_case


def assert_clean(response):
    """The page rendered without an invalid template variable."""
    assert b"INVALID_TEMPLATE_VARIABLE" not in response.content, response.content.decode()[:2000]


def page_text(response) -> str:
    """The response body with HTML entities decoded, for matching messages."""
    return html.unescape(response.content.decode())


def row_counts():
    """A fingerprint of everything a write could change, to assert that a refusal changed nothing."""
    from dampingi.cases.models import (
        ActivityNote,
        Approval,
        Case,
        Consent,
        Contract,
        PhaseTransition,
        Stakeholder,
        Termination,
    )

    models = [ActivityNote, Approval, Case, Consent, Contract, PhaseTransition, Stakeholder, Termination]
    counts = {m.__name__: m.objects.count() for m in models}
    counts["audit_writes"] = AuditEvent.objects.exclude(action="case.view").count()
    counts["case_state"] = list(Case.objects.order_by("pk").values_list("phase", "closed_at", "version"))
    return counts


@pytest.fixture
def sari_case(sari):
    """Sari's case (team Cileunyi), in Engagement."""
    return make_case(worker=sari, client_system=ClientSystemFactory(created_by=sari, name="Putri Lestari"))


@pytest.fixture
def dedi_case(dedi):
    """Dedi's case (team Majalaya), in Engagement."""
    return make_case(worker=dedi, client_system=ClientSystemFactory(created_by=dedi, name="Bambang Hartono"))


@pytest.fixture(autouse=True)
def _english(english_ui):
    """Assertions here compare English msgids (see english_ui in the root conftest)."""
