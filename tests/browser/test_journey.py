"""The whole helping process in a real browser, as a new worker does it (scenario 1 of scenarios.md).

Sari registers an 11-year-old girl left with her grandmother, opens a case, engages the
grandmother as guardian, assesses, plans; Bu Ratna approves the plan; Sari intervenes,
evaluates and terminates; Bu Ratna approves the closure. Dedi, of another team, gets 404.
The journey runs in Indonesian (the default) and in English.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dampingi.cases.models import Case, Consent, PhaseTransition, Programme
from dampingi.cases.phases import Phase
from dampingi.clients.models import PPKSCategory
from dampingi.plans.models import Goal, Task
from dampingi.testing import cases, casework
from dampingi.testing.factories import CILEUNYI, KAB_BANDUNG, PASSWORD, VILLAGE_CILEUNYI_KULON, make_case
from tests.browser.helpers import (
    assert_no_horizontal_overflow,
    assert_page_clean,
    choose_region,
    current_phase,
    reveal,
    sign_in,
    sign_out,
    submit,
    submit_clean,
    translated,
)

CHILD = "Nur Aisyah"
GRANDMOTHER = "Euis Rohaeni"
REGION = ["32", KAB_BANDUNG, CILEUNYI, VILLAGE_CILEUNYI_KULON]


def eleven_years_old(today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=round(11.5 * 365.25))


# --- Steps of the journey ----------------------------------------------------------------------


def register_child(page: Page, *, today: datetime.date, check=assert_page_clean) -> int:
    """Sari registers the girl as an individual client; returns the client system's id.

    `check` runs on every page on the way (e.g. the phone-width check).
    """
    page.click("header nav a[href='/clients/']")
    check(page)
    page.click("main a[href='/clients/new/']")
    check(page)
    page.click("main a[href='/clients/new/?kind=individual']")
    assert_page_clean(page)
    check(page)
    form = page.locator("main form.register-form")
    form.locator("[name='person-full_name']").fill(CHILD)
    form.locator("[name='person-sex']").select_option("F")
    form.locator("[name='person-birth_date']").fill(eleven_years_old(today).isoformat())
    form.locator("[name='person-birth_place']").fill("Bandung")
    form.locator("[name='person-address']").fill("Kp. Cibiru Hilir RT 02 RW 05")
    choose_region(page, "person-region", REGION)
    form.locator("[name='person-notes']").fill("Tinggal dengan nenek; ibu bekerja di luar negeri (PMI).")
    neglected_child = PPKSCategory.objects.get(slug="at")
    form.locator(f"input[name='ppks'][value='{neglected_child.pk}']").check()
    form.locator("[name='description']").fill("Dilaporkan kepala desa: tidak sekolah sejak semester lalu.")
    submit_clean(form, "button[type=submit].primary")
    match = re.search(r"/clients/(\d+)/$", page.url)
    assert match, f"registration did not lead to the client page but to {page.url}"
    expect(page.locator("main h1")).to_contain_text(CHILD)
    return int(match.group(1))


def open_case(page: Page, *, client_pk: int) -> int:
    """From the client page, Sari opens a case in the child rehabilitation programme; returns its id."""
    page.click(f"main a[href='/cases/open/?client={client_pk}']")
    form = page.locator("main form[action^='/cases/open/']")
    form.locator("[name=programme]").select_option(str(Programme.objects.get(name="Rehabilitasi Sosial Anak").pk))
    form.locator("[name=presenting_problem]").fill(
        "Anak 11 tahun ditinggal bersama nenek yang sudah lanjut usia; ibu bekerja sebagai PMI, ayah tidak ada. "
        "Tidak sekolah sejak semester lalu dan tampak kurang gizi."
    )
    form.locator("[name=referral_source]").select_option("government")
    form.locator("[name=referral_source_detail]").fill("Kepala Desa Cileunyi Kulon")
    form.locator("[name=ppks]").select_option(str(PPKSCategory.objects.get(slug="at").pk))
    form.locator("[name=priority]").select_option("high")
    submit_clean(form)
    match = re.search(r"/cases/(\d+)/", page.url)
    assert match, f"opening the case led to {page.url}"
    assert current_phase(page) == Phase.ENGAGEMENT
    return int(match.group(1))


def write_contract(page: Page, case_pk: int, *, today: datetime.date, signed: bool) -> None:
    page.click(f"#contract a[href='/cases/{case_pk}/contract/']")
    form = page.locator("main form.card").first
    if not form.locator("[name=focus]").input_value():
        form.locator("[name=focus]").fill("Nur kembali bersekolah dan gizinya membaik.")
        form.locator("[name=client_goals]").fill("Cucu saya bisa sekolah lagi dan makan cukup.")
        form.locator("[name=worker_duties]").fill("Kunjungan rumah dua minggu sekali; menghubungkan dengan sekolah.")
        form.locator("[name=client_duties]").fill("Nenek hadir pada pertemuan dan mengantar Nur ke sekolah.")
        form.locator("[name=meeting_schedule]").fill("Selasa sore, dua minggu sekali")
        form.locator("[name=start_date]").fill(today.isoformat())
        form.locator("[name=end_date]").fill((today + datetime.timedelta(days=180)).isoformat())
    form.locator("[name=signed_on]").fill(today.isoformat() if signed else "")
    submit_clean(form)
    assert page.url.endswith(f"/cases/{case_pk}/#engagement")


def record_guardian_consent(page: Page, case_pk: int, *, language: str) -> None:
    page.click(f"#consent a[href='/cases/{case_pk}/consents/add/']")
    # A child cannot consent alone: the page says so, with the child's age.
    notice = translated(language, "The client is %(age)s years old: consent is given by a parent or guardian.", age=11)
    expect(page.locator("main p.warning")).to_have_text(notice)
    form = page.locator("main form.card").first
    form.locator("input[name=given_by][value=guardian]").check()
    form.locator("[name=giver_name]").fill(f"{GRANDMOTHER} (nenek, wali)")
    form.locator("input[name=method][value=paper]").check()
    expect(form.locator("[name=covers_processing]")).to_be_checked()
    form.locator("[name=covers_sharing]").check()
    form.locator("[name=scope_note]").fill("Berbagi data hanya dengan sekolah dan puskesmas.")
    submit_clean(form)
    consents = page.locator("#consent table.consents")
    expect(consents.locator("tbody tr")).to_have_count(1)
    expect(consents).to_contain_text(GRANDMOTHER)
    expect(consents).to_contain_text(f"({translated(language, Consent.GivenBy.GUARDIAN.label)})")


def add_note(page: Page, link: str, *, kind: str | None = None, task: Task | None = None, **fields: str) -> None:
    page.click(link)
    form = page.locator("main form.card").first
    if kind:
        form.locator("[name=kind]").select_option(kind)
    if task is not None:
        form.locator("[name=task]").select_option(str(task.pk))
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    submit_clean(form)


def move_forward(page: Page, case_pk: int, target: Phase, note: str = "") -> None:
    form = page.locator("#moves form.move-forward")
    expect(form.locator("input[name=target]")).to_have_value(target.value)
    if note:
        form.locator("textarea[name=reason]").fill(note)
    submit_clean(form)
    assert page.url.endswith(f"/cases/{case_pk}/#{target.value}")
    assert current_phase(page) == target


def assess(page: Page) -> None:
    section = page.locator("section#assessment")
    form = reveal(section.locator("form[action$='/assessment/save/']"))
    form.locator("[name='assessment-summary']").fill(
        "Nur (11) tinggal dengan nenek 68 tahun. Tidak sekolah sejak semester lalu; berat badan di bawah normal."
    )
    form.locator("[name='assessment-strengths']").fill("Nenek sangat peduli; wali kelas bersedia membantu.")
    form.locator("[name='assessment-resources']").fill("PKH, puskesmas Cileunyi, sekolah SDN Cibiru.")
    form.locator("[name='assessment-risks']").fill("Gizi buruk bila tidak ditangani.")
    form.locator("[name='assessment-risk_level']").select_option("medium")
    submit_clean(form)

    form = reveal(page.locator("section#assessment form[action$='/assessment/problems/add/']"))
    form.locator("[name='problem-new-title']").fill("Putus sekolah")
    form.locator("[name='problem-new-is_priority']").check()
    form.locator("[name='problem-new-causes']").fill("Tidak ada yang mengantar ke sekolah")
    form.locator("[name='problem-new-effects']").fill("Tertinggal pelajaran dan teman sebaya")
    submit_clean(form)
    problem = page.locator("section#assessment ul.problem-tree li.problem")
    expect(problem).to_have_count(1)
    expect(problem.locator("ul.factors li")).to_have_count(2)  # one cause, one effect

    form = reveal(page.locator("section#assessment form[action$='/assessment/ratings/add/']"))
    form.locator("[name='rating-basic_needs']").fill("2")
    form.locator("[name='rating-social_roles']").fill("2")
    form.locator("[name='rating-problem_solving']").fill("3")
    form.locator("[name='rating-evidence']").fill("Makan dua kali sehari; tidak sekolah; nenek mencari bantuan.")
    submit_clean(form)
    expect(page.locator("section#assessment table.ratings tbody tr")).to_have_count(1)

    submit_clean(page.locator("section#assessment form[action$='/assessment/complete/']"))
    expect(page.locator("section#assessment .badge.ok")).to_be_visible()


def plan(page: Page, case_pk: int, *, today: datetime.date) -> Task:
    form = reveal(page.locator("section#planning form[action$='/plan/goals/add/']"))
    form.locator("[name='goal-new-description']").fill("Nur kembali bersekolah")
    form.locator("[name='goal-new-indicator']").fill("Hadir di sekolah minimal 4 hari seminggu")
    form.locator("[name='goal-new-target_date']").fill((today + datetime.timedelta(days=90)).isoformat())
    form.locator("[name='goal-new-problem']").select_option(index=1)
    # Goal Attainment Scaling: the five levels are written before the plan goes for approval.
    levels = {
        "level_minus2": "Tidak bersekolah sama sekali",
        "level_minus1": "Hadir kurang dari 2 hari seminggu",
        "level_0": "Hadir 4 hari seminggu",
        "level_plus1": "Hadir setiap hari",
        "level_plus2": "Hadir setiap hari dan ikut kegiatan sekolah",
    }
    for name, text in levels.items():
        form.locator(f"[name='goal-new-{name}']").fill(text)
    submit_clean(form)
    goal = Goal.objects.get(plan__case_id=case_pk)

    form = reveal(page.locator(f"section#planning form[action$='/plan/goals/{goal.pk}/tasks/add/']"))
    prefix = f"task-new-{goal.pk}"
    form.locator(f"[name='{prefix}-description']").fill("Bertemu wali kelas untuk mendaftar kembali")
    form.locator(f"[name='{prefix}-responsible']").select_option("worker")
    form.locator(f"[name='{prefix}-due_date']").fill((today + datetime.timedelta(days=14)).isoformat())
    submit_clean(form)
    expect(page.locator(f"section#planning #goal-{goal.pk} table.tasks tbody tr")).to_have_count(1)

    submit_clean(page.locator("section#planning form[action$='/plan/submit/']"))
    expect(page.locator("section#planning .badge.plan-submitted")).to_be_visible()
    return Task.objects.get(goal=goal)


def approve(page: Page, case_pk: int, *, comment: str, section: str | None) -> None:
    """Bu Ratna finds the request on her approvals page and approves it on the case page.

    `section` is the case page's anchor the decision returns to (None: only the case page is checked).
    """
    page.click("header nav a[href='/cases/approvals/']")
    page.click(f"main a[href='/cases/{case_pk}/#approval']")
    form = page.locator("section#approval form")
    expect(form).to_have_count(1)
    form.locator("textarea[name$='-comment']").fill(comment)
    submit_clean(form, "button[name$='-decision'][value=approve]")
    if section is None:
        assert f"/cases/{case_pk}/" in page.url
    else:
        assert page.url.endswith(f"/cases/{case_pk}/#{section}")
    expect(page.locator("section#approval")).to_have_count(0)


# --- The journey -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["id", "en"])
def test_new_worker_carries_a_neglected_child_from_registration_to_closure(new_page, cast, language):
    today = timezone.localdate()
    sari, ratna, dedi = cast.sari, cast.ratna, cast.dedi
    for user in (ratna, dedi):
        user.language = language
        user.save(update_fields=["language"])
    locale = "id-ID" if language == "id" else "en-GB"

    # Sari signs in (her account is in Indonesian); in the English run she switches with the header's select.
    page = new_page(locale=locale)
    sign_in(page, "sari", PASSWORD)
    if language == "en":
        with page.expect_navigation():
            page.select_option("header select[name=language]", "en")
        sari.refresh_from_db()
        assert sari.language == "en"
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("header nav a[href='/cases/']")).to_have_text(translated(language, "Cases"))

    client_pk = register_child(page, today=today)
    expect(page.locator("html")).to_have_attribute("lang", language)
    case_pk = open_case(page, client_pk=client_pk)
    case_url = f"/cases/{case_pk}/"

    # Engagement: the contract is written (not signed yet), the grandmother consents as guardian, intake note.
    write_contract(page, case_pk, today=today, signed=False)
    record_guardian_consent(page, case_pk, language=language)
    add_note(
        page,
        f"#intake a[href='/cases/{case_pk}/notes/add/?kind=intake']",
        duration_minutes="90",
        participants=f"{GRANDMOTHER} (nenek), {CHILD}, Kepala Desa",
        narrative="Wawancara awal di rumah nenek. Nur tidak sekolah sejak semester lalu; ibunya bekerja di luar "
        "negeri dan menelepon sebulan sekali.",
    )
    expect(page.locator("#intake")).to_contain_text(GRANDMOTHER)

    # The refusal: the contract is not signed, so the case cannot leave Engagement.
    form = page.locator("#moves form.move-forward")
    form.locator("textarea[name=reason]").fill("Siap untuk asesmen")
    submit(form)
    guard = translated(
        language,
        "Before the case can leave %(phase)s it needs: %(missing)s.",
        phase=translated(language, "Engagement"),
        missing=translated(language, "a signed contract"),
    )
    expect(page.locator("#moves form.move-forward .form-errors")).to_have_text(guard)
    expect(page.locator("#moves form.move-forward textarea[name=reason]")).to_have_value("Siap untuk asesmen")
    assert current_phase(page) == Phase.ENGAGEMENT
    assert Case.objects.get(pk=case_pk).phase == Phase.ENGAGEMENT

    # The grandmother signs; now the case moves on.
    page.goto(case_url)
    write_contract(page, case_pk, today=today, signed=True)
    expect(page.locator("#contract .badge.ok")).to_be_visible()
    move_forward(page, case_pk, Phase.ASSESSMENT, note="Kontrak ditandatangani nenek.")
    expect(page.locator("section#assessment h2")).to_have_text(translated(language, "Assessment"))

    assess(page)

    # Bu Ratna signs the completed assessment off from her approvals page; then Sari moves on to Planning.
    supervisor = new_page(locale=locale)
    sign_in(supervisor, "ratna", PASSWORD)
    expect(supervisor.locator("html")).to_have_attribute("lang", language)
    approve(supervisor, case_pk, comment="Asesmen lengkap. Lanjutkan ke perencanaan.", section=None)
    expect(supervisor.locator("section#assessment .assessment-signoff")).to_contain_text(str(ratna))

    page.goto(case_url)
    expect(page.locator("section#assessment .assessment-signoff")).to_contain_text(str(ratna))
    move_forward(page, case_pk, Phase.PLANNING)
    expect(page.locator("section#planning h2")).to_have_text(translated(language, "Intervention plan"))
    task = plan(page, case_pk, today=today)
    sign_out(page)
    response = page.goto(case_url)
    assert response.ok and "/accounts/login/" in page.url  # signed out: the case file asks for a sign-in

    # Bu Ratna approves the plan from her approvals page.
    approve(supervisor, case_pk, comment="Rencana sesuai asesmen. Lanjutkan.", section="planning")
    expect(supervisor.locator("section#planning .badge.plan-approved")).to_be_visible()

    # Sari intervenes: a home visit and the task's progress.
    sign_in(page, "sari", PASSWORD)
    page.goto(case_url)
    expect(page.locator("section#planning .badge.plan-approved")).to_be_visible()
    move_forward(page, case_pk, Phase.INTERVENTION)
    add_note(
        page,
        f"header.case-head a[href='/cases/{case_pk}/notes/add/']",
        kind="home_visit",
        task=task,
        duration_minutes="60",
        participants=f"{GRANDMOTHER}, {CHILD}, wali kelas",
        narrative="Kunjungan rumah bersama wali kelas. Nur sudah terdaftar kembali dan mulai masuk hari Senin.",
    )
    assert page.url.endswith(f"{case_url}#notes")
    expect(page.locator("#notes")).to_contain_text("wali kelas")
    form = reveal(page.locator(f"section#tasks form[action$='/plan/tasks/{task.pk}/progress/']"))
    form.locator(f"[name='progress-{task.pk}-status']").select_option("done")
    form.locator(f"[name='progress-{task.pk}-progress_note']").fill("Terdaftar kembali di kelas 5.")
    submit_clean(form)
    expect(page.locator(f"section#tasks #progress-{task.pk} .badge.task-done")).to_be_visible()

    # Evaluation: the goal's result with its evidence and the grandmother's view.
    move_forward(page, case_pk, Phase.EVALUATION)
    expect(page.locator("section#evaluation h2")).to_have_text(translated(language, "Evaluation"))
    goal = task.goal
    form = page.locator("section#evaluation form[action$='/plan/evaluation/record/']")
    form.locator(f"input[name='evaluation-result_{goal.pk}'][value=achieved]").check()
    form.locator(f"[name='evaluation-evidence_{goal.pk}']").fill("Hadir 19 dari 20 hari sekolah bulan ini.")
    form.locator("[name='evaluation-client_view']").fill("Nenek: Nur sekarang rajin sekolah dan lebih ceria.")
    form.locator("[name='evaluation-summary']").fill("Tujuan tercapai; gizi dipantau puskesmas.")
    submit_clean(form)
    expect(page.locator("section#evaluation details.past-evaluation")).to_have_count(1)

    # Termination: goals achieved, follow-up in three months; the closure waits for Bu Ratna.
    form = reveal(page.locator("#moves form[action$='/terminate/']"))
    form.locator("select[name=reason]").select_option("goals_achieved")
    form.locator("textarea[name=summary]").fill("Nur bersekolah kembali; nenek tahu ke mana meminta bantuan.")
    followup = today + datetime.timedelta(days=90)
    form.locator("input[name=followup_date]").fill(followup.isoformat())
    submit_clean(form)
    assert current_phase(page) == Phase.TERMINATION
    expect(page.locator("#moves p.warning")).to_have_text(
        translated(language, "The closure waits for the supervisor's approval.")
    )

    supervisor.goto("/")
    approve(supervisor, case_pk, comment="Penutupan disetujui. Bimbingan lanjut tiga bulan.", section="termination")

    # The case is closed and its timeline lists every move, in order.
    page.goto(case_url)
    expect(page.locator("header.case-head .badge.closed")).to_be_visible()
    expect(page.locator("#moves form")).to_have_count(0)  # nothing left for the worker to do
    expect(page.locator("nav#phase li.done")).to_have_count(5)
    case = Case.objects.get(pk=case_pk)
    assert case.closed_at is not None and case.phase == Phase.TERMINATION
    page.click(f"#timeline a[href='/cases/{case_pk}/timeline/']")
    moves = page.locator("main ol.case-timeline li.tl-transition")
    expected = list(Phase)  # opened in Engagement, then forward phase by phase to Termination
    expect(moves).to_have_count(len(expected))
    labels = [re.escape(translated(language, phase.label)) for phase in expected]
    expect(moves.first).to_contain_text(f"({translated(language, Phase.ENGAGEMENT.label)})")  # "Case opened"
    for entry, label in zip(moves.all()[1:], labels[1:], strict=True):
        expect(entry).to_contain_text(re.compile(rf"→\s*{label}"))
    assert list(PhaseTransition.objects.filter(case=case).values_list("to_phase", flat=True)) == expected
    kinds = page.locator("main ol.case-timeline > li").evaluate_all("items => items.map(li => li.className)")
    for kind in ("tl-contract_signed", "tl-consent", "tl-note", "tl-approval_requested", "tl-approval_decided"):
        assert kind in kinds, f"the timeline has no {kind}: {kinds}"
    assert kinds.index("tl-termination") < len(kinds) - 1  # the closure approval comes after the termination

    # Dedi, of team Majalaya, may not know the case exists.
    outsider = new_page(locale=locale)
    sign_in(outsider, "dedi", PASSWORD)
    response = outsider.goto(case_url)
    assert response.status == 404
    expect(outsider.locator("html")).to_have_attribute("lang", language)
    expect(outsider.locator("main h1")).to_have_text(translated(language, "Not found"))
    assert CHILD not in outsider.content()


PHONE = {"width": 390, "height": 844}


def test_worker_registers_a_client_and_opens_a_case_on_a_phone(new_page, sari):
    """Sari on her Android phone: the registration form with the dependent region selects fits the screen."""
    page = new_page(**PHONE)
    sign_in(page, "sari", PASSWORD)
    assert_no_horizontal_overflow(page)
    client_pk = register_child(page, today=timezone.localdate(), check=assert_no_horizontal_overflow)
    assert_no_horizontal_overflow(page)
    page.click(f"main a[href='/cases/open/?client={client_pk}']")
    assert_no_horizontal_overflow(page)
    page.go_back()
    open_case(page, client_pk=client_pk)
    assert_no_horizontal_overflow(page)


def test_case_page_fits_a_phone(new_page, cast):
    """The case page of a case in Evaluation, every section unfolded, on a phone: nothing wider than the screen."""
    sari, ratna = cast.sari, cast.ratna
    today = timezone.localdate()
    case = make_case(worker=sari)
    cases.engage(case, sari)
    cases.add_note(case, sari, kind="intake", participants="Nenek, anak, Kepala Desa Cileunyi Kulon")
    case = cases.walk_to(case, Phase.ASSESSMENT, worker=sari, supervisor=ratna)
    problem = casework.add_problem(case, "Putus sekolah sejak semester lalu", priority=True)
    casework.add_rating(case, sari)
    stakeholder = casework.add_stakeholder(case, "Bu Guru Yanti Rahayu")
    stakeholder.phone, stakeholder.organisation = "0812-3456-7890", "SDN Cibiru 02"
    stakeholder.save()
    casework.add_plan(case, goals=2, tasks_per_goal=2, problem=problem, stakeholder=stakeholder)
    case = cases.walk_to(case, Phase.EVALUATION, worker=sari, supervisor=ratna)
    casework.add_rating(case, sari, occasion="review", rated_on=today)

    page = new_page(**PHONE)
    sign_in(page, "sari", PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    assert current_phase(page) == Phase.EVALUATION
    assert_page_clean(page)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert_no_horizontal_overflow(page)
    page.click(f"a[href='/cases/{case.pk}/timeline/']")
    assert_no_horizontal_overflow(page)
