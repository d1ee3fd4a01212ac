"""The closed referral loop in a real browser: from the service directory to the outcome.

Sari looks up the service directory, refers her client from the case page to the puskesmas's
nutrition service (a second service without capacity cannot be chosen), sharing only the basic
identity on the case's consent. Bu Wulan, staff of Puskesmas Cileunyi, answers from her referrals
inbox: she sees only what was shared, accepts, starts and completes the service with an outcome.
Sari sees the loop closed on her case page, on the referral and in her notifications; the
referral letter prints. The partner may not open the case file (404).

Screenshots go to DAMPINGI_SCREENSHOTS when set (docs/screenshots/ for the README), else to a
temporary folder:

    DAMPINGI_SCREENSHOTS=docs/screenshots .venv/bin/pytest -q tests/browser/test_referral_journey.py
"""

import datetime
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import formats, timezone, translation
from playwright.sync_api import Page, expect

from dampingi.accounts.models import Role, User
from dampingi.cases.models import Case, Consent
from dampingi.cases.phases import Phase
from dampingi.directory.models import Attribute, Organization, Service, ServiceArea, TaxonomyTerm
from dampingi.directory.taxonomy_data import load_reference_taxonomy, ref_id
from dampingi.notifications.models import Notification
from dampingi.referrals.models import PartnerStaff, Referral
from dampingi.testing import cases
from dampingi.testing.factories import CILEUNYI, PASSWORD, ClientSystemFactory, UserFactory, make_case
from tests.browser.helpers import assert_no_horizontal_overflow, assert_page_clean, sign_in, submit, submit_clean

CLIENT = "Putri Lestari"
NIK = "3204054203140001"
PHONE_NUMBER = "081234567890"
ADDRESS = "Jl. Cibiru Hilir No. 7"
REASON = "Berat badan kurang sejak tiga bulan; perlu pemeriksaan dan pendampingan gizi."
OUTCOME = "Diperiksa dokter; mendapat PMT balita selama 90 hari dan jadwal kontrol bulanan."
HEALTH = "sector.health"
WIDTH, HEIGHT = 1280, 900
PHONE = {"width": 360, "height": 740}


@dataclass
class Setting:
    case: Case
    consent: Consent
    gizi: Service  # Puskesmas Cileunyi's service, with capacity
    full: Service  # another organisation's service, without capacity
    partner: User


def health_service(organization: Organization, name: str, **fields) -> Service:
    """An active health service of the organisation, serving the district of Cileunyi."""
    service = Service.objects.create(organization=organization, name=name, status=Service.Status.ACTIVE, **fields)
    Attribute.objects.create(link_id=service.pk, link_entity="service", taxonomy_term_id=ref_id(HEALTH))
    ServiceArea.objects.create(
        service=service, name="Kecamatan Cileunyi", extent=CILEUNYI, extent_type="kemendagri", region_id=CILEUNYI
    )
    return service


def set_up(cast) -> Setting:
    """Sari's case in Intervention (with a consent that covers sharing), two partner services, one partner user."""
    if not TaxonomyTerm.objects.filter(code=HEALTH).exists():  # a live-server test flushes the migrations' data
        from django.apps import apps

        load_reference_taxonomy(apps)
    sari, ratna = cast.sari, cast.ratna
    client_system = ClientSystemFactory(created_by=sari, name=CLIENT)
    person = client_system.members.get()
    person.nik, person.phone, person.address = NIK, PHONE_NUMBER, ADDRESS
    person.save()
    case = make_case(worker=sari, client_system=client_system)
    case = cases.walk_to(case, Phase.INTERVENTION, worker=sari, supervisor=ratna)
    consent = Consent.objects.get(case=case, covers_sharing=True, withdrawn_on__isnull=True)

    today = timezone.localdate()
    puskesmas = Organization.objects.create(name="Puskesmas Cileunyi", description="Pusat kesehatan masyarakat")
    gizi = health_service(
        puskesmas,
        "Layanan gizi anak",
        capacity=Service.Capacity.CAPACITY,
        last_verified_on=today - datetime.timedelta(days=20),
    )
    klinik = Organization.objects.create(name="Klinik Pratama Cibiru", description="Klinik swasta")
    full = health_service(
        klinik,
        "Konseling gizi keluarga",
        capacity=Service.Capacity.NO_CAPACITY,
        last_verified_on=today - datetime.timedelta(days=3),
    )
    lbh = Organization.objects.create(name="LBH Bandung", description="Lembaga bantuan hukum")
    Service.objects.create(organization=lbh, name="Pendampingan hukum anak", capacity=Service.Capacity.CAPACITY)

    partner = UserFactory(
        username="wulan", first_name="Wulan", last_name="Rahmawati", role=Role.PARTNER, email="wulan@puskesmas.test"
    )
    PartnerStaff.objects.create(user=partner, organization=puskesmas)
    return Setting(case=case, consent=consent, gizi=gizi, full=full, partner=partner)


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    folder = Path(os.environ["DAMPINGI_SCREENSHOTS"]) if os.environ.get("DAMPINGI_SCREENSHOTS") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def short_date(day: datetime.date) -> str:
    """A date as the Indonesian pages show it in tables."""
    with translation.override("id"):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


def referral_form_url(setting: Setting) -> str:
    return f"/referrals/cases/{setting.case.pk}/new/?service={setting.gizi.pk}"


# --- Steps of the journey ----------------------------------------------------------------------


def look_up_the_directory(page: Page, setting: Setting, shoot) -> None:
    """From the main menu, Sari searches the directory for health services named "gizi"."""
    page.click("header nav a[href='/directory/']")
    assert_page_clean(page)
    form = page.locator("main form.directory-search")
    form.locator("[name=q]").fill("gizi")
    form.locator("select[name=need]").select_option(HEALTH)
    submit_clean(form)
    rows = page.locator("main table.directory-list tbody tr")
    expect(rows).to_have_count(2)  # the legal-aid service is not a health service
    gizi = rows.filter(has=page.locator(f"a[href='/directory/services/{setting.gizi.pk}/']"))
    full = rows.filter(has=page.locator(f"a[href='/directory/services/{setting.full.pk}/']"))
    expect(gizi.locator(".badge.capacity-capacity")).to_be_visible()
    expect(full.locator(".badge.capacity-no_capacity")).to_be_visible()
    expect(gizi.locator("td").nth(4)).to_contain_text(short_date(setting.gizi.last_verified_on))  # last verified
    expect(full.locator("td").nth(4)).to_contain_text(short_date(setting.full.last_verified_on))
    shoot(page, "directory.png")
    # The service's own page opens from the list.
    page.click(f"main a[href='/directory/services/{setting.gizi.pk}/']")
    assert_page_clean(page)
    expect(page.locator("main")).to_contain_text("Puskesmas Cileunyi")


def refer(page: Page, setting: Setting, shoot) -> Referral:
    """From the case page: search the service, fill the referral with the least data, send it."""
    case_pk = setting.case.pk
    page.goto(f"/cases/{case_pk}/")
    page.click(f"section#referrals a[href='/referrals/cases/{case_pk}/new/']")
    assert_page_clean(page)
    form = page.locator("main form.search-form")
    form.locator("[name=q]").fill("gizi")
    form.locator("select[name=need]").select_option(HEALTH)
    form.locator("[name=region]").fill(CILEUNYI)
    submit_clean(form)
    results = page.locator("main table.service-results tbody tr")
    expect(results).to_have_count(2)
    # The service without capacity is marked and cannot be chosen; the one with capacity can.
    full = results.filter(has_text=setting.full.name)
    expect(full.locator(".badge.high")).to_be_visible()
    expect(page.locator(f"main a[href='?service={setting.full.pk}']")).to_have_count(0)
    gizi = results.filter(has=page.locator(f"a[href='?service={setting.gizi.pk}']"))
    expect(gizi.locator(".badge.ok")).to_be_visible()
    expect(gizi).to_contain_text(short_date(setting.gizi.last_verified_on))
    gizi.locator(f"a[href='?service={setting.gizi.pk}']").click()
    page.wait_for_url(re.compile(rf"service={setting.gizi.pk}"))
    assert_page_clean(page)

    form = page.locator("main form.referral-form")
    expect(form.locator("input[type=hidden][name=service]")).to_have_value(str(setting.gizi.pk))
    form.locator("[name=reason]").fill(REASON)
    form.locator("select[name=urgency]").select_option("urgent")
    answer_by = timezone.localdate() + datetime.timedelta(days=5)
    form.locator("[name=answer_by]").fill(answer_by.isoformat())
    # The default is the minimum: the basic identity (required, cannot be unticked), nothing else.
    expect(form.locator("#id_shared_identity-basic")).to_be_checked()
    expect(form.locator("#id_shared_identity-basic")).to_be_disabled()
    for section in ("nik", "contact", "disability", "presenting-problem", "assessment-summary", "plan-goals", "notes"):
        expect(form.locator(f"#id_shared_{section}")).not_to_be_checked()
    form.locator("input[name=consent_basis][value=case]").check()
    form.locator("select[name=consent]").select_option(str(setting.consent.pk))
    shoot(page, "referral-form.png")
    submit_clean(form, "button[name=action][value=send]")

    match = re.search(r"/referrals/(\d+)/$", page.url)
    assert match, f"sending the referral led to {page.url}"
    referral = Referral.objects.get(pk=int(match.group(1)))
    assert (referral.status, referral.service_id, referral.case_id) == ("requested", setting.gizi.pk, case_pk)
    assert referral.shared_sections == ["identity-basic"]
    assert referral.consent_id == setting.consent.pk
    assert (referral.urgency, referral.answer_by, referral.reason) == ("urgent", answer_by, REASON)
    expect(page.locator("main header.referral-head .badge.status-requested")).to_be_visible()
    expect(page.locator("main")).to_contain_text(REASON)
    shoot(page, "referral-sent.png")

    # The case page lists it, waiting for an answer.
    page.click(f"main a[href='/cases/{case_pk}/']")
    row = page.locator(f"section#referrals tbody tr:has(a[href='/referrals/{referral.pk}/'])")
    expect(row.locator(".badge.status-requested")).to_be_visible()
    return referral


def answer(partner: Page, setting: Setting, referral: Referral, shoot) -> None:
    """The partner signs in to the inbox, reads only the shared data, accepts, starts and completes."""
    sign_in(partner, setting.partner.username, PASSWORD)
    expect(partner).to_have_url(re.compile(r"/referrals/inbox/$"))  # the home page sends partners here
    assert_page_clean(partner)
    row = partner.locator(f"main table.referral-inbox tbody tr:has(a[href='/referrals/{referral.pk}/'])")
    expect(row.locator(".badge.status-requested")).to_be_visible()
    shoot(partner, "partner-inbox.png")

    row.locator(f"a[href='/referrals/{referral.pk}/']").click()
    partner.wait_for_url(re.compile(rf"/referrals/{referral.pk}/$"))
    assert_page_clean(partner)
    shared = partner.locator("main dl.shared-view")
    expect(shared).to_contain_text(REASON)
    expect(shared).to_contain_text(CLIENT)  # the basic identity is shared
    content = partner.content()
    for private in (NIK, PHONE_NUMBER, ADDRESS, setting.case.presenting_problem):
        assert private not in content, f"the partner sees {private!r}, which was not shared"
    shoot(partner, "partner-referral.png")

    submit_clean(partner.locator("main form.move-accept"))
    expect(partner.locator("main header.referral-head .badge.status-accepted")).to_be_visible()
    submit_clean(partner.locator("main form.move-start"))
    expect(partner.locator("main header.referral-head .badge.status-in-progress")).to_be_visible()
    form = partner.locator("main form.move-complete")
    form.locator("textarea[name='m-completed-outcome']").fill(OUTCOME)
    submit_clean(form)
    expect(partner.locator("main header.referral-head .badge.status-completed")).to_be_visible()
    expect(partner.locator("main header.referral-head")).to_contain_text(OUTCOME)
    expect(partner.locator("main form.referral-move")).to_have_count(0)  # nothing left to do

    # The partner may not know the case file exists.
    response = partner.goto(f"/cases/{setting.case.pk}/")
    assert response.status == 404
    assert NIK not in partner.content()


def see_the_loop_closed(page: Page, setting: Setting, referral: Referral, shoot) -> None:
    case_pk = setting.case.pk
    page.goto(f"/cases/{case_pk}/")
    assert_page_clean(page)
    row = page.locator(f"section#referrals tbody tr:has(a[href='/referrals/{referral.pk}/'])")
    expect(row.locator(".badge.status-completed")).to_be_visible()
    expect(row).to_contain_text(OUTCOME.split(";")[0])  # the list shows the outcome's first words

    row.locator(f"a[href='/referrals/{referral.pk}/']").click()
    page.wait_for_url(re.compile(rf"/referrals/{referral.pk}/$"))
    head = page.locator("main header.referral-head")
    expect(head.locator(".badge.status-completed")).to_be_visible()
    expect(head).to_contain_text(OUTCOME)
    shoot(page, "referral-closed.png")

    # Her notifications tell her of each answer (accepted, then completed), newest first.
    page.click("header nav a[href='/notifications/']")
    assert_page_clean(page)
    answers = list(
        Notification.objects.filter(recipient=setting.case.assigned_worker, kind="referral_answered").order_by(
            "-created_at", "-id"
        )
    )
    assert [n.url for n in answers] == [f"/referrals/{referral.pk}/"] * 2
    assert referral.reference in answers[0].title
    for notification in answers:
        expect(page.locator(f"#notification-{notification.pk}")).to_contain_text(referral.reference)
    expect(page.locator(f"#notification-{answers[0].pk}")).to_contain_text("Puskesmas Cileunyi")
    submit(page.locator(f"form[action='/notifications/{answers[0].pk}/open/']"))
    expect(page).to_have_url(re.compile(rf"/referrals/{referral.pk}/$"))


def print_the_letter(page: Page, referral: Referral) -> None:
    response = page.goto(f"/referrals/{referral.pk}/letter/")
    assert response.status == 200
    expect(page.locator("main.letter")).to_contain_text("Puskesmas Cileunyi")
    expect(page.locator("main.letter")).to_contain_text(referral.reference)
    expect(page.locator("main.letter")).to_contain_text(CLIENT)
    assert NIK not in page.content()


# --- The journeys ------------------------------------------------------------------------------


def test_worker_refers_and_the_partner_closes_the_loop(new_page, cast, screenshot_dir):
    setting = set_up(cast)

    def shoot(page: Page, name: str) -> None:
        expect(page.locator("html")).to_have_attribute("lang", "id")
        assert_page_clean(page)
        page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
        page.screenshot(path=str(screenshot_dir / name), full_page=True)

    page = new_page(width=WIDTH, height=HEIGHT)
    sign_in(page, "sari", PASSWORD)
    look_up_the_directory(page, setting, shoot)
    referral = refer(page, setting, shoot)

    partner = new_page(width=WIDTH, height=HEIGHT)
    answer(partner, setting, referral, shoot)
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("completed", OUTCOME)
    assert referral.closed_at is not None

    see_the_loop_closed(page, setting, referral, shoot)
    print_the_letter(page, referral)
    print_the_letter(partner, referral)

    names = {"directory.png", "referral-form.png", "referral-sent.png", "partner-inbox.png", "partner-referral.png"}
    assert names | {"referral-closed.png"} <= {path.name for path in screenshot_dir.glob("*.png")}


def test_partner_inbox_and_referral_form_fit_a_phone(new_page, cast):
    """On a 360 px phone: the worker's referral form and the partner's inbox, nothing wider than the screen."""
    from dampingi.referrals.services import referral_create

    setting = set_up(cast)
    referral_create(
        actor=cast.sari,
        case=setting.case,
        service=setting.gizi,
        reason=REASON,
        urgency="urgent",
        answer_by=timezone.localdate() + datetime.timedelta(days=5),
        consent_id=setting.consent.pk,
        send=True,
    )

    page = new_page(**PHONE)
    sign_in(page, "sari", PASSWORD)
    page.goto(referral_form_url(setting))
    assert_page_clean(page)
    expect(page.locator("main form.referral-form")).to_be_visible()
    assert_no_horizontal_overflow(page)

    partner = new_page(**PHONE)
    sign_in(partner, setting.partner.username, PASSWORD)
    expect(partner).to_have_url(re.compile(r"/referrals/inbox/$"))
    expect(partner.locator("main table.referral-inbox tbody tr")).to_have_count(1)
    assert_no_horizontal_overflow(partner)
