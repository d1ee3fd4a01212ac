import pytest
from django.utils import translation

from dampingi.accounts.models import Role, User
from dampingi.testing.factories import UserFactory


def assert_clean(response) -> None:
    """No template variable failed to resolve (test settings render them visibly)."""
    assert b"INVALID_TEMPLATE_VARIABLE" not in response.content, response.content.decode()


@pytest.fixture(autouse=True)
def english(request):
    """Assertions compare English msgids: use English whatever the translations say."""
    if "cast" in request.fixturenames:
        request.getfixturevalue("cast")
        User.objects.update(language="en")
    with translation.override("en"):
        yield


@pytest.fixture
def wulan(cast):
    """A second social worker in Sari's team (Tim Cileunyi)."""
    return UserFactory(
        username="wulan", first_name="Wulan", last_name="Sari", role=Role.WORKER, team=cast.cileunyi, language="en"
    )
