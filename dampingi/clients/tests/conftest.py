import pytest

from dampingi.accounts.models import Role
from dampingi.testing.factories import UserFactory


def assert_clean(response) -> None:
    """No template variable failed to resolve (test settings render them visibly)."""
    assert b"INVALID_TEMPLATE_VARIABLE" not in response.content, response.content.decode()


@pytest.fixture(autouse=True)
def _english(english_ui):
    """Assertions here compare English msgids (see english_ui in the root conftest)."""


@pytest.fixture
def wulan(cast):
    """A second social worker in Sari's team (Tim Cileunyi)."""
    return UserFactory(
        username="wulan", first_name="Wulan", last_name="Sari", role=Role.WORKER, team=cast.cileunyi, language="en"
    )
