"""The shared cast of the test suite (see docs/architecture.md, "Tests").

Sari and Dedi are workers of two teams of Dinas Sosial Kabupaten Bandung; Bu Ratna
supervises both; Pak Hendra manages the regency; Yogi administers the install.
"""

import pytest

from dampingi.testing import factories


@pytest.fixture(autouse=True)
def reference_data(db):
    """A small region subtree, the PPKS list and the programmes, loaded the way production loads them."""
    factories.load_test_reference_data()


@pytest.fixture
def cast(db):
    return factories.Cast.create()


@pytest.fixture
def sari(cast):
    return cast.sari


@pytest.fixture
def dedi(cast):
    return cast.dedi


@pytest.fixture
def ratna(cast):
    return cast.ratna


@pytest.fixture
def hendra(cast):
    return cast.hendra


@pytest.fixture
def yogi(cast):
    return cast.yogi
