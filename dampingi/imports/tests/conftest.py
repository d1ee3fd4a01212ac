import pytest


@pytest.fixture(autouse=True)
def _english(english_ui):
    """Assertions here compare English msgids (see english_ui in the root conftest)."""


@pytest.fixture(autouse=True)
def _inbox(settings, tmp_path):
    """Uploaded files go to a temporary directory."""
    settings.DAMPINGI_IMPORTS_INBOX = tmp_path / "imports-inbox"
