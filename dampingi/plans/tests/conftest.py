import pytest
from django.utils import translation

from dampingi.accounts.models import User


@pytest.fixture(autouse=True)
def english_ui(cast):
    """These tests read the English msgids; Indonesian (the default) must not break them once translated.

    The language chosen per user is tested in the accounts app.
    """
    User.objects.filter(pk__in=[cast.sari.pk, cast.dedi.pk, cast.ratna.pk, cast.hendra.pk, cast.yogi.pk]).update(
        language="en"
    )
    with translation.override("en"):
        yield
