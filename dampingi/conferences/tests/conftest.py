import pytest


@pytest.fixture(autouse=True)
def _english(english_ui):
    """Assertions here compare English msgids (see english_ui in the root conftest)."""
