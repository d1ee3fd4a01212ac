import pytest


@pytest.fixture(autouse=True)
def _english(english_ui):
    """Assertions here compare English msgids (see english_ui in the root conftest)."""


@pytest.fixture
def directory(db):
    """A generated directory of 30 services around Cileunyi, Majalaya and Sukasari (fixed seed)."""
    import random

    from dampingi.directory.demo import seed_directory

    return seed_directory(region_codes=["32.04.05", "32.04.33", "32.73.01"], rng=random.Random(7), count=30)
