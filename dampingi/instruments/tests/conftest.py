import pytest

from dampingi.testing.cases import walk_to
from dampingi.testing.factories import ClientSystemFactory, make_case


@pytest.fixture(autouse=True)
def _english(english_ui):
    """Assertions here compare English msgids (see english_ui in the root conftest)."""


@pytest.fixture
def assessed_case(sari, ratna):
    """Sari's case (team Cileunyi), in Assessment."""
    case = make_case(worker=sari, client_system=ClientSystemFactory(created_by=sari, name="Putri Lestari"))
    return walk_to(case, "assessment", worker=sari, supervisor=ratna)
