import datetime

import pytest
from django.utils import timezone

from dampingi.bench.loader import load_in_place, make_generator

SEED = 7
CLIENTS = 50


@pytest.fixture(autouse=True)
def _english(english_ui):
    """Assertions here compare English msgids (see english_ui in the root conftest)."""


def fixed_clock():
    today = timezone.localdate()
    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9, 0)))
    return today, now


@pytest.fixture
def population(db):
    """A tiny benchmark population on the test database (COPY on PostgreSQL, executemany on SQLite)."""
    today, now = fixed_clock()
    generator = make_generator(clients=CLIENTS, seed=SEED, today=today, now=now)
    load_in_place(generator, chunk_size=20)
    return generator
