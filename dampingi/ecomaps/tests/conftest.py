import pytest

from dampingi.testing.factories import ClientSystemFactory, make_case


@pytest.fixture(autouse=True)
def _english(english_ui):
    """Assertions here compare English msgids (see english_ui in the root conftest)."""


@pytest.fixture
def case(sari):
    """Sari's case (team Cileunyi) of an individual client, Putri Lestari, just opened."""
    return make_case(worker=sari, client_system=ClientSystemFactory(created_by=sari, name="Putri Lestari"))
