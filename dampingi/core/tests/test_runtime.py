"""The server processes' set-up after Django has loaded (dampingi.core.runtime)."""

import gc
import importlib
import sys

import pytest

from dampingi.core.runtime import freeze_loaded_objects


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the test run keeps the collector as it was


def test_freezing_moves_the_loaded_objects_out_of_the_collectors_reach(unfrozen):
    assert gc.get_freeze_count() == 0
    frozen = freeze_loaded_objects()
    assert frozen == gc.get_freeze_count() > 10_000  # Django, the apps and every view module
    assert len(gc.get_objects()) < frozen  # what a full collection still walks


@pytest.mark.parametrize("entry_point", ["config.wsgi", "config.asgi"])
def test_the_server_entry_points_freeze_what_they_loaded(entry_point, monkeypatch):
    calls = []
    monkeypatch.setattr("dampingi.core.runtime.freeze_loaded_objects", lambda: calls.append(entry_point))
    loaded = sys.modules.get(entry_point)
    importlib.reload(loaded) if loaded else importlib.import_module(entry_point)
    assert calls == [entry_point]
