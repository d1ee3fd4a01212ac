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
def english_ui(request):
    """Run a test in English: its assertions read the English msgids, whatever the Indonesian says.

    App test packages that assert on wording use it autouse (their conftest.py). The cast's
    accounts are switched too, since the middleware activates each user's own language.
    """
    from django.utils import translation

    from dampingi.accounts.models import User

    if "cast" in request.fixturenames:
        cast = request.getfixturevalue("cast")
        User.objects.update(language="en")
        for member in vars(cast).values():  # the objects tests hold, too
            if isinstance(member, User):
                member.language = "en"
    with translation.override("en"):
        yield


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


# --- Every template is rendered by the suite -------------------------------------------
# When the whole suite runs, the session fails if a project template was never rendered by
# any test: a template nobody renders is a template nobody checked.

_rendered_templates: set[str] = set()


def _project_templates() -> set[str]:
    from pathlib import Path

    root = Path(__file__).resolve().parent
    found: set[str] = set()
    for base in [root / "templates", *root.glob("dampingi/*/templates")]:
        for path in base.rglob("*.html"):
            found.add(str(path.relative_to(base)))
    return found


def _keep_the_run_inside_one_local_day() -> None:
    """Tests compare dates with "today" in Asia/Jakarta; a run that crosses local midnight would
    see "tomorrow" become "today" halfway. Late in the local evening, move the clock forward to
    06:00 of the next local day (forward only, so cookies the browser tests get stay valid)."""
    import datetime
    import zoneinfo

    import time_machine

    tz = zoneinfo.ZoneInfo("Asia/Jakarta")
    now = datetime.datetime.now(tz)
    if now.hour >= 20:
        morning = (now + datetime.timedelta(days=1)).replace(hour=6, minute=0, second=0, microsecond=0)
        time_machine.travel(morning, tick=True).start()


def pytest_configure(config):
    from django.test.signals import template_rendered

    _keep_the_run_inside_one_local_day()

    def _remember(sender, template, context, **kwargs):
        if template.name:
            _rendered_templates.add(template.name)

    template_rendered.connect(_remember, weak=False)


# Templates only ever rendered by Django itself in production paths the tests cannot reach
# (the server error page is plain HTML without template logic).
TEMPLATES_EXEMPT_FROM_RENDER_CHECK = {"500.html"}


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    whole_suite = not config.args or config.args == list(config.getini("testpaths"))
    if exitstatus != 0 or not whole_suite or config.getoption("-k") or config.getoption("-m"):
        return
    missing = sorted(_project_templates() - _rendered_templates - TEMPLATES_EXEMPT_FROM_RENDER_CHECK)
    if missing:
        print("\nTemplates no test rendered:\n  " + "\n  ".join(missing))
        session.exitstatus = 1
