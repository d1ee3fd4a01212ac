"""Screenshots of the main pages, in Indonesian, on the demo data (docs/screenshots/ for the README).

    DAMPINGI_SCREENSHOTS=docs/screenshots .venv/bin/pytest -q tests/browser/test_screenshots.py

(`make screenshots`). Without DAMPINGI_SCREENSHOTS the PNGs go to a temporary folder, so an
ordinary test run checks that every page renders but does not rewrite docs/.

The data comes from the demo generator (manage.py seed_demo) with its own accounts (sari, ratna,
hendra, ... with the demo password), so this module does not use the persona cast.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from playwright.sync_api import Page, expect

from dampingi.accounts.models import User
from dampingi.cases.models import Case
from dampingi.cases.phases import MoveKind, Phase
from dampingi.demo.accounts import DEMO_PASSWORD
from tests.browser.helpers import assert_page_clean, choose_region, sign_in

# As many client systems as `make run` seeds, so the pictures show what a local trial shows (with
# fewer, the manager's figures are mostly suppressed as "<5" and Sari has no case in Engagement).
DEMO_CLIENTS = 300
DEMO_SEED = 2026
WIDTH = 1280


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    folder = Path(os.environ["DAMPINGI_SCREENSHOTS"]) if os.environ.get("DAMPINGI_SCREENSHOTS") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def demo_data(monkeypatch, transactional_db):
    """The demo population (deterministic for the seed); seed_demo runs only on a local trial."""
    monkeypatch.setenv("DAMPINGI_LOCAL_TRIAL", "1")
    call_command("seed_demo", clients=DEMO_CLIENTS, seed=DEMO_SEED, verbosity=0)


def sari_case_in(phase: Phase, sari: User) -> Case:
    """One of Sari's cases in the phase: open, on its first pass through the process (not reopened, no
    second cycle), with the fullest file."""
    going_back = Q(transitions__kind__in=[MoveKind.REOPEN, MoveKind.CYCLE])
    case = (
        Case.objects.filter(assigned_worker=sari, phase=phase)
        .annotate(notes=Count("activity_notes", distinct=True), back=Count("transitions", filter=going_back))
        .order_by(F("closed_at").desc(nulls_first=True), "back", "-notes", "pk")
        .first()
    )
    if case is None:
        pytest.fail(f"seed_demo --clients {DEMO_CLIENTS} --seed {DEMO_SEED} gave Sari no case in {phase.value}")
    return case


def shoot(page: Page, folder: Path, name: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "id")
    assert_page_clean(page)
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    page.screenshot(path=str(folder / name), full_page=True)


def test_screenshots_of_the_main_pages_in_indonesian(new_page, demo_data, screenshot_dir):
    sari = User.objects.get(username="sari")
    assert sari.language == "id"

    # Sari, social worker: her caseload, the registration form, one case in each phase.
    page = new_page(width=WIDTH, height=900, locale="id-ID")
    sign_in(page, "sari", DEMO_PASSWORD)
    shoot(page, screenshot_dir, "worker-caseload.png")

    page.goto("/clients/new/?kind=individual")
    form = page.locator("main form.register-form")
    form.locator("[name='person-full_name']").fill("Nur Aisyah")
    form.locator("[name='person-sex']").select_option("F")
    form.locator("[name='person-birth_place']").fill("Bandung")
    form.locator("[name='person-address']").fill("Kp. Cibiru Hilir RT 02 RW 05")
    choose_region(page, "person-region", ["32", "32.04", "32.04.05"])
    shoot(page, screenshot_dir, "client-registration.png")

    for phase in Phase:
        case = sari_case_in(phase, sari)
        page.goto(f"/cases/{case.pk}/")
        expect(page.locator(f"nav#phase li[aria-current=step] a[href='#{phase.value}']")).to_be_attached()
        shoot(page, screenshot_dir, f"case-{phase.value}.png")

    # Bu Ratna, supervisor: what waits for her decision.
    supervisor = new_page(width=WIDTH, height=900, locale="id-ID")
    sign_in(supervisor, "ratna", DEMO_PASSWORD)
    supervisor.goto("/cases/approvals/")
    expect(supervisor.locator("main table.approval-list tbody tr").first).to_be_visible()
    shoot(supervisor, screenshot_dir, "supervisor-approvals.png")

    # Pak Hendra, manager: the regency's figures.
    manager = new_page(width=WIDTH, height=900, locale="id-ID")
    sign_in(manager, "hendra", DEMO_PASSWORD)
    shoot(manager, screenshot_dir, "manager-dashboard.png")

    expected = {"worker-caseload.png", "client-registration.png", "supervisor-approvals.png", "manager-dashboard.png"}
    expected |= {f"case-{phase.value}.png" for phase in Phase}
    assert expected <= {path.name for path in screenshot_dir.glob("*.png")}
