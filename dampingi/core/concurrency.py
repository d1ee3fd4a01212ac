"""Optimistic locking: a save succeeds only if nobody saved the record since it was read."""

from typing import Any

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class ConcurrentEditError(Exception):
    """Someone else saved this record after the user opened it."""

    message = _(
        "Someone else saved this record while you were editing it. Your changes were not saved: "
        "reload the page to see their version, then enter your changes again (your text is kept below)."
    )


def save_versioned(instance: models.Model, *, expected_version: int, fields: list[str]) -> None:
    """Write `fields` of `instance` only if its stored version is still `expected_version`.

    Raises ConcurrentEditError otherwise. On success `instance.version` is the new version.
    """
    model = type(instance)
    values: dict[str, Any] = {f: getattr(instance, model._meta.get_field(f).attname) for f in fields}
    for f in fields:
        field = model._meta.get_field(f)
        if getattr(field, "auto_now", False):
            values[f] = field.pre_save(instance, add=False)
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **{model._meta.get_field(k).attname: v for k, v in values.items()}
    )
    if updated != 1:
        raise ConcurrentEditError
    instance.version = expected_version + 1
