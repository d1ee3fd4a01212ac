import pytest
from django.core.exceptions import ValidationError

from dampingi.audit.models import AuditEvent
from dampingi.cases.models import PhaseTransition
from dampingi.testing.factories import ClientSystemFactory, make_case


def test_opening_a_case_starts_engagement_and_is_audited(sari):
    case = make_case(worker=sari)
    assert case.phase == "engagement"
    assert PhaseTransition.objects.filter(case=case, to_phase="engagement", kind="open").count() == 1
    assert AuditEvent.objects.filter(case=case, action="case.open", actor=sari).count() == 1


def test_second_open_case_in_the_same_programme_is_refused(sari):
    client = ClientSystemFactory(created_by=sari)
    make_case(worker=sari, client_system=client)
    with pytest.raises(ValidationError):
        make_case(worker=sari, client_system=client)
