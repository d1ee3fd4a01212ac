import copy

import pytest

CONTEXT_PROCESSOR = "dampingi.notifications.context_processors.unread_count"


@pytest.fixture(autouse=True)
def _english(english_ui):
    """Assertions here compare English msgids (see english_ui in the root conftest)."""


@pytest.fixture(autouse=True)
def _unread_count_in_templates(settings):
    """The settings as the lead wires them: the nav badge's context processor is on."""
    templates = copy.deepcopy(settings.TEMPLATES)
    processors = templates[0]["OPTIONS"]["context_processors"]
    if CONTEXT_PROCESSOR not in processors:
        processors.append(CONTEXT_PROCESSOR)
    settings.TEMPLATES = templates


@pytest.fixture
def emails(settings):
    settings.DAMPINGI_SITE_URL = "https://dampingi.example.go.id"


@pytest.fixture
def case(sari, ratna):
    """Sari's case in team Cileunyi; Ratna is its supervisor."""
    from dampingi.testing.factories import ClientSystemFactory, make_case

    return make_case(worker=sari, client_system=ClientSystemFactory(created_by=sari, name="Putri Lestari"))
