"""Set-up of a server process once Django has loaded (config/wsgi.py, config/asgi.py)."""

import gc

from django.urls import get_resolver


def freeze_loaded_objects() -> int:
    """Import every view (by loading the URLconf), collect once, then gc.freeze() what is loaded.

    A Django process holds some 140,000 long-lived objects (modules, classes, models, forms,
    URL patterns). Python's cycle collector walks all of them in each full collection: on the
    benchmark machine that was 100-130 ms, added to whichever request happened to trigger it,
    every few dozen requests per worker. Frozen objects are left out of every collection, so a
    full collection only walks what requests created since (about 15 ms). Returns how many
    objects were frozen.
    """
    get_resolver().url_patterns  # noqa: B018 - imports the views, forms and selectors now
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
