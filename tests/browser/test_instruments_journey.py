"""The professional instruments in a real browser: Sari assesses a family, plans with GAS, evaluates, prints.

The Saepudin household (grandmother, parents, two children: three generations) is caught in illegal
online loans. The case is set up through the services up to Assessment; then, in Indonesian (the
default UI), Sari takes the PIE and the digital-life screening, turns the flagged item into a problem
of the problem tree, draws the eco-map (prefilled from the stakeholders) and the genogram (prefilled
from the household, a late grandfather added). Sign-off, plan and approval go through the services;
in Evaluation she records the GAS follow-ups in the browser, sees the T-score chart, draws a second
eco-map version and compares it with the first, and prints the case summary (HTML and PDF).

Screenshots go to DAMPINGI_SCREENSHOTS when it is set (else a temporary folder):

    DAMPINGI_SCREENSHOTS=docs/screenshots .venv/bin/pytest -q tests/browser/test_instruments_journey.py
"""

import datetime
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from dampingi.assessments import services as assessment_services
from dampingi.assessments.models import Problem
from dampingi.cases.models import Approval, Case, Programme, Stakeholder
from dampingi.cases.phases import Phase
from dampingi.cases.services import approval_decide, case_change_phase, case_open, stakeholder_add
from dampingi.clients.models import ClientSystem, PPKSCategory, Sex
from dampingi.ecomaps.models import EcoMap
from dampingi.genograms.models import Genogram
from dampingi.instruments.models import Administration
from dampingi.plans import services as plan_services
from dampingi.plans.models import Goal, GoalScore
from dampingi.testing import cases
from dampingi.testing.clients import register_family
from dampingi.testing.factories import PASSWORD
from tests.browser.helpers import (
    assert_no_horizontal_overflow,
    assert_page_clean,
    current_phase,
    reveal,
    sign_in,
    submit_clean,
)

HEAD = "Asep Saepudin"
SPOUSE = "Rina Marlina"
DAUGHTER = "Siti Nurhaliza"
SON = "Dimas Saputra"
GRANDMOTHER = "Enok Suhaenah"
GRANDFATHER = "Dadang Suryana"  # Enok's late husband: not in the household, added in the genogram editor

SCHOOL = "SDN Cibiru 02 (Bu Yanti Rahayu)"
HEALTH_CENTRE = "Puskesmas Cileunyi (Bidan Euis)"
MOSQUE = "Majelis Taklim Al-Ikhlas (Pak Ujang)"
UNCLE = "Dede Kurnia"
LENDER = "Aplikasi pinjaman online ilegal"
LEGAL_AID = "LBH Bandung"

PHONE = {"width": 360, "height": 740}


# --- Screenshots -------------------------------------------------------------------------------


@pytest.fixture
def shoot(tmp_path) -> Callable[[Page, str], Path]:
    """`shoot(page, name)`: a full-page PNG of what the user sees, in DAMPINGI_SCREENSHOTS (else tmp_path)."""
    folder = Path(os.environ["DAMPINGI_SCREENSHOTS"]) if os.environ.get("DAMPINGI_SCREENSHOTS") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)

    def _shoot(page: Page, name: str) -> Path:
        expect(page.locator("html")).to_have_attribute("lang", "id")
        assert_page_clean(page)
        page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
        path = folder / name
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0
        return path

    return _shoot


# --- Setup through the services (fast; not the point of this journey) --------------------------


def saepudin_family(sari) -> ClientSystem:
    """Three generations under one roof: Asep's mother, Asep and Rina, their two children."""
    members = [
        (HEAD, Sex.MALE, datetime.date(1981, 4, 17), "head"),
        (SPOUSE, Sex.FEMALE, datetime.date(1985, 9, 2), "spouse"),
        (DAUGHTER, Sex.FEMALE, datetime.date(2012, 1, 5), "child"),
        (SON, Sex.MALE, datetime.date(2017, 6, 21), "child"),
        (GRANDMOTHER, Sex.FEMALE, datetime.date(1951, 7, 2), "parent"),
    ]
    return register_family(
        actor=sari,
        members=[
            {"full_name": name, "sex": sex, "birth_date": born, "relationship": relationship}
            for name, sex, born, relationship in members
        ],
    )


def family_case_in_assessment(sari, ratna) -> Case:
    """A case opened a month ago (so that GAS baselines can be dated before today), walked to Assessment,
    with the people around the family as stakeholders."""
    family = saepudin_family(sari)
    case = case_open(
        actor=sari,
        client_system=family,
        programme=Programme.objects.order_by("name").first(),
        presenting_problem="Keluarga terjerat pinjaman online ilegal; penagih mengancam lewat telepon dan media "
        "sosial. Siti sering tidak masuk sekolah; Pak Asep dan Bu Rina sering bertengkar.",
        referral_source="government",
        referral_source_detail="Kepala Desa Cileunyi Kulon",
        ppks=PPKSCategory.objects.get(slug="kbsp"),
        priority="high",
        assigned_worker=sari,
        supervisor=sari.team.supervisor,
        team=sari.team,
        opened_at=timezone.now() - datetime.timedelta(days=30),
    )
    case = cases.walk_to(case, Phase.ASSESSMENT, worker=sari, supervisor=ratna)
    stakeholders = [
        (Stakeholder.Kind.COMMUNITY, "Bu Yanti Rahayu", "wali kelas Siti", "SDN Cibiru 02"),
        (Stakeholder.Kind.GOVERNMENT, "Bidan Euis", "bidan desa", "Puskesmas Cileunyi"),
        (Stakeholder.Kind.COMMUNITY, "Pak Ujang", "ketua pengajian", "Majelis Taklim Al-Ikhlas"),
        (Stakeholder.Kind.FAMILY, UNCLE, "adik Pak Asep, tinggal di Jakarta", ""),
    ]
    for kind, name, role, organisation in stakeholders:
        stakeholder_add(actor=sari, case_id=case.pk, kind=kind, name=name, role=role, organisation=organisation)
    return case


def sign_off_and_approve_plan(case: Case, sari, ratna, *, problem: Problem) -> list[Goal]:
    """The assessment completed and signed off, a plan of two GAS goals approved; baselines two weeks ago;
    the case walked on to Evaluation. Returns the goals."""
    today = timezone.localdate()
    assessment_services.assessment_save(
        actor=sari,
        case=case,
        summary="Pak Asep meminjam di beberapa aplikasi pinjaman online ilegal; penagih mengancam keluarga.",
        strengths="Keluarga tetap tinggal bersama; nenek mengasuh anak-anak; wali kelas peduli.",
        resources="LBH Bandung, puskesmas, pengajian.",
        risks="Ancaman penagih; Siti putus sekolah.",
        risk_level="medium",
        expected_version=None,
    )
    assessment_services.rating_add(
        actor=sari,
        case=case,
        occasion="intake",
        rated_on=today,
        basic_needs=2,
        social_roles=2,
        problem_solving=3,
        evidence="Makan dua kali sehari; Siti tidak masuk sekolah 6 hari bulan ini.",
    )
    assessment_services.assessment_complete(actor=sari, case=case)
    pending = Approval.objects.get(case=case, kind=Approval.Kind.ASSESSMENT, status=Approval.Status.PENDING)
    approval_decide(actor=ratna, approval_id=pending.pk, approve=True, comment="Asesmen lengkap.")
    case = case_change_phase(actor=sari, case_id=case.pk, target=Phase.PLANNING, expected_phase=Phase.ASSESSMENT)

    goals = [
        plan_services.goal_add(
            actor=sari,
            case=case,
            description="Utang pinjaman online ditangani dengan bantuan hukum",
            indicator="Penagihan ilegal berhenti; cicilan disepakati",
            target_date=today + datetime.timedelta(days=90),
            problem=problem,
            levels=[
                "Ancaman penagih bertambah",
                "Ancaman berlanjut, belum ada pendampingan hukum",
                "Didampingi LBH; penagihan ilegal berhenti",
                "Cicilan resmi disepakati",
                "Utang lunas atau dihapus",
            ],
        ),
        plan_services.goal_add(
            actor=sari,
            case=case,
            description="Siti kembali rutin bersekolah",
            indicator="Hadir minimal 4 hari seminggu",
            target_date=today + datetime.timedelta(days=90),
            levels=[
                "Tidak bersekolah",
                "Hadir kurang dari 2 hari seminggu",
                "Hadir 4 hari seminggu",
                "Hadir setiap hari",
                "Hadir setiap hari dan ikut ekstrakurikuler",
            ],
        ),
    ]
    for goal in goals:
        plan_services.task_add(
            actor=sari,
            case=case,
            goal_id=goal.pk,
            description=f"Langkah pertama: {goal.description.lower()}",
            responsible="worker",
            due_date=today + datetime.timedelta(days=14),
        )
    plan_services.plan_send_for_approval(actor=sari, case=case)
    pending = Approval.objects.get(case=case, kind=Approval.Kind.PLAN, status=Approval.Status.PENDING)
    approval_decide(actor=ratna, approval_id=pending.pk, approve=True, comment="Rencana disetujui.")
    case = case_change_phase(actor=sari, case_id=case.pk, target=Phase.INTERVENTION, expected_phase=Phase.PLANNING)

    baseline_day = today - datetime.timedelta(days=14)
    for goal, level in zip(goals, (-1, -2), strict=True):
        plan_services.goal_score_record(
            actor=sari, case=case, goal_id=goal.pk, kind=GoalScore.Kind.BASELINE, level=level, scored_on=baseline_day
        )
    cases.walk_to(case, Phase.EVALUATION, worker=sari, supervisor=ratna)
    return goals


# --- Steps in the browser ----------------------------------------------------------------------


def open_instrument(page: Page, case_pk: int, path: str) -> None:
    """From the case page, open the Instruments part (details#tools) and follow the instrument's link."""
    page.goto(f"/cases/{case_pk}/")
    assert_page_clean(page)
    link = page.locator(f"details#tools #instruments a[href='/cases/{case_pk}/instruments/{path}']")
    reveal(link)
    with page.expect_navigation():
        link.click()
    assert_page_clean(page)


def take_pie(page: Page, case_pk: int) -> None:
    open_instrument(page, case_pk, "pie/new/")
    form = page.locator(f"main form[action='/cases/{case_pk}/instruments/pie/new/']")
    # Factor I: Pak Asep as parent, responsibility problem; Factor II: income.
    form.locator("[name='role-0-role']").select_option("parent")
    form.locator("[name='role-0-problem_type']").select_option("responsibility")
    form.locator("[name='role-0-severity']").fill("4")
    form.locator("[name='role-0-duration']").fill("3")
    form.locator("[name='role-0-coping']").fill("4")
    form.locator("[name='role-0-strengths']").fill("Mau mencari jalan keluar; didukung ibunya.")
    form.locator("[name='env-0-problem']").select_option("insufficient_income")
    form.locator("[name='env-0-detail']").fill("Penghasilan ojek daring tidak cukup untuk cicilan.")
    form.locator("[name='env-0-severity']").fill("4")
    form.locator("[name='env-0-duration']").fill("2")
    submit_clean(form, "button[type=submit].primary")
    assert re.search(rf"/cases/{case_pk}/instruments/\d+/$", page.url), page.url
    expect(page.locator("main table.pie-ranked tbody tr")).to_have_count(2)


def take_screening(page: Page, case_pk: int, *, flagged: str) -> None:
    open_instrument(page, case_pk, "digital/new/")
    form = page.locator(f"main form[action='/cases/{case_pk}/instruments/digital/new/']")
    radios = form.locator("input[type=radio][name^='rating_']")
    keys = sorted(set(radios.evaluate_all("els => els.map(e => e.name.slice('rating_'.length))")))
    assert flagged in keys, keys
    for key in keys:
        rating = "3" if key == flagged else ("1" if key == "access_literacy" else "0")
        form.locator(f"input[name='rating_{key}'][value='{rating}']").check()
    notes = "Pinjaman di 4 aplikasi ilegal; penagih menyebar foto KTP ke kontak."
    form.locator(f"[name='notes_{flagged}']").fill(notes)
    submit_clean(form, "button[type=submit].primary")
    assert re.search(rf"/cases/{case_pk}/instruments/\d+/$", page.url), page.url
    expect(page.locator("main table.screening-profile tbody tr.flagged")).to_have_count(1)


def flagged_item_to_problem_tree(page: Page, case_pk: int, *, item: str) -> Problem:
    """The one action on the screening's page: the flagged item becomes a problem of the tree."""
    row = page.locator("main table.screening-profile tbody tr.flagged")
    form = row.locator(f"form[action$='/items/{item}/problem/']")
    submit_clean(form)
    assert re.search(rf"/cases/{case_pk}/instruments/\d+/$", page.url), page.url
    expect(row.locator("form")).to_have_count(0)
    expect(row.locator(".badge.ok")).to_be_visible()
    problem = Problem.objects.get(case_id=case_pk)
    assert problem.title, "the problem from the screening has no title"
    return problem


def add_factor(page: Page, case_pk: int, problem: Problem, *, kind: str, text: str) -> None:
    """A cause or an effect of the problem, from the problem tree in the assessment section."""
    action = f"/cases/{case_pk}/assessment/problems/{problem.pk}/factors/add/"
    form = page.locator(f"section#assessment form[action='{action}']")
    reveal(form)
    form.locator(f"input[name='factor-{problem.pk}-kind'][value='{kind}']").check()
    form.locator(f"[name='factor-{problem.pk}-text']").fill(text)
    submit_clean(form)
    factors = page.locator(f"section#assessment li#problem-{problem.pk} ul.factors li")
    expect(factors.filter(has_text=text)).to_have_count(1)


def open_problem_tree(page: Page, case_pk: int, *, problem: Problem) -> None:
    page.goto(f"/cases/{case_pk}/")
    add_factor(page, case_pk, problem, kind="cause", text="Penghasilan ojek daring tidak menentu")
    add_factor(page, case_pk, problem, kind="effect", text="Penagih mengancam dan mempermalukan keluarga")
    link = page.locator(f"section#assessment a[href='/cases/{case_pk}/assessment/tree/']")
    reveal(link)
    with page.expect_navigation():
        link.click()
    assert_page_clean(page)
    svg = page.locator("main svg.problem-tree-svg")
    expect(svg).to_be_visible()
    nodes = svg.locator("g.node.problem")
    expect(nodes).to_have_count(1)
    expect(nodes.locator("title")).to_have_text(problem.title)
    expect(svg.locator("g.node.cause")).to_have_count(1)
    expect(svg.locator("g.node.effect")).to_have_count(1)
    expect(svg.locator("g.edges path.edge")).to_have_count(2)


def row_prefix(form: Locator, prefix: str, field: str, value: str) -> str:
    """`<prefix>-<i>` of the formset row whose `field` has `value` (rows are found by content, not position)."""
    pairs = form.locator(f"[name^='{prefix}-'][name$='-{field}']").evaluate_all(
        "els => els.map(e => [e.name, e.value])"
    )
    for name, current in pairs:
        if current == value:
            return name[: -len(f"-{field}")]
    raise AssertionError(f"no {prefix} row with {field}={value!r}: {pairs}")


def empty_row_prefix(form: Locator, prefix: str, field: str) -> str:
    return row_prefix(form, prefix, field, "")


def draw_first_ecomap(page: Page, case_pk: int) -> None:
    page.goto(f"/cases/{case_pk}/")
    link = page.locator(f"details#tools #ecomaps a[href='/cases/{case_pk}/ecomaps/new/']")
    reveal(link)
    with page.expect_navigation():
        link.click()
    assert_page_clean(page)
    form = page.locator(f"main form[action='/cases/{case_pk}/ecomaps/new/']")
    # Prefilled from the four stakeholders (a family's household is the centre circle), plus empty rows.
    for name in (SCHOOL, HEALTH_CENTRE, MOSQUE, UNCLE):
        row_prefix(form, "systems", "name", name)
    school, mosque, uncle = (row_prefix(form, "systems", "name", n) for n in (SCHOOL, MOSQUE, UNCLE))
    form.locator(f"[name='{school}-strength']").select_option("strong")
    form.locator(f"[name='{school}-flow']").select_option("to_client")
    form.locator(f"[name='{mosque}-flow']").select_option("both")
    form.locator(f"[name='{uncle}-strength']").select_option("tenuous")
    lender = empty_row_prefix(form, "systems", "name")
    form.locator(f"[name='{lender}-name']").fill(LENDER)
    form.locator(f"[name='{lender}-category']").select_option("online")
    form.locator(f"[name='{lender}-strength']").select_option("strong")
    form.locator(f"[name='{lender}-stressful']").check()
    form.locator(f"[name='{lender}-flow']").select_option("from_client")
    form.locator("[name=note]").fill("Sumber daya ada (sekolah, pengajian); utang pinjol menyedot energi keluarga.")

    # "Add rows" re-renders what was typed, with more empty rows, and saves nothing.
    rows_before = form.locator("fieldset.ecomap-system-row").count()
    submit_clean(form, "button[name=more]")
    assert page.url.endswith(f"/cases/{case_pk}/ecomaps/new/")
    assert not EcoMap.objects.filter(case_id=case_pk).exists()
    expect(form.locator("fieldset.ecomap-system-row")).to_have_count(rows_before + 3)
    lender = row_prefix(form, "systems", "name", LENDER)
    expect(form.locator(f"[name='{lender}-stressful']")).to_be_checked()
    expect(form.locator(f"[name='{lender}-category']")).to_have_value("online")
    expect(form.locator(f"[name='{lender}-flow']")).to_have_value("from_client")
    school, uncle = (row_prefix(form, "systems", "name", n) for n in (SCHOOL, UNCLE))
    expect(form.locator(f"[name='{school}-strength']")).to_have_value("strong")
    expect(form.locator(f"[name='{uncle}-strength']")).to_have_value("tenuous")
    expect(form.locator("[name=note]")).to_have_value(re.compile("utang pinjol"))

    submit_clean(form, "button[type=submit].primary")
    assert page.url.endswith(f"/cases/{case_pk}/ecomaps/1/"), page.url
    svg = page.locator("main svg.ecomap-svg")
    expect(svg).to_be_visible()
    expect(svg.locator("g.centre circle")).to_have_count(1)
    expect(svg.locator("g.systems circle")).to_have_count(5)
    expect(svg.locator("g.links g.link line")).to_have_count(5)
    expect(svg.locator("g.links g.link.strong")).to_have_count(2)
    expect(svg.locator("g.links g.link.tenuous line[stroke-dasharray]")).to_have_count(1)
    expect(svg.locator("g.links g.link.stressful path.stress")).to_have_count(1)
    expect(svg.locator("g.links polygon.arrow")).not_to_have_count(0)


def draw_genogram(page: Page, case_pk: int) -> None:
    page.goto(f"/cases/{case_pk}/")
    link = page.locator(f"details#tools #genograms a[href='/cases/{case_pk}/genograms/new/']")
    reveal(link)
    with page.expect_navigation():
        link.click()
    assert_page_clean(page)
    form = page.locator(f"main form[action='/cases/{case_pk}/genograms/new/']")
    # Prefilled from the household: five people, Asep's parents' union and his marriage.
    for name in (HEAD, SPOUSE, DAUGHTER, SON, GRANDMOTHER):
        row_prefix(form, "people", "name", name)
    key = {}
    for name in (HEAD, SPOUSE, GRANDMOTHER):
        key[name] = form.locator(f"[name='{row_prefix(form, 'people', 'name', name)}-key']").input_value()
    expect(form.locator(f"[name='{row_prefix(form, 'people', 'name', HEAD)}-is_index']")).to_be_checked()

    # Enok's late husband, then "add rows" so that he can be chosen as her partner.
    grandfather = empty_row_prefix(form, "people", "name")
    key[GRANDFATHER] = form.locator(f"[name='{grandfather}-key']").input_value()
    form.locator(f"[name='{grandfather}-name']").fill(GRANDFATHER)
    form.locator(f"[name='{grandfather}-gender']").select_option("male")
    form.locator(f"[name='{grandfather}-birth_year']").fill("1947")
    form.locator(f"[name='{grandfather}-death_year']").fill("2016")
    form.locator(f"[name='{grandfather}-deceased']").check()
    submit_clean(form, "button[name=more][value=people]")
    assert not Genogram.objects.filter(case_id=case_pk).exists()
    grandfather = row_prefix(form, "people", "name", GRANDFATHER)
    expect(form.locator(f"[name='{grandfather}-death_year']")).to_have_value("2016")
    expect(form.locator(f"[name='{grandfather}-deceased']")).to_be_checked()

    grandparents = row_prefix(form, "unions", "partner_a", key[GRANDMOTHER])
    form.locator(f"[name='{grandparents}-partner_b']").select_option(key[GRANDFATHER])
    relation = empty_row_prefix(form, "relations", "person_a")
    form.locator(f"[name='{relation}-person_a']").select_option(key[HEAD])
    form.locator(f"[name='{relation}-kind']").select_option("conflict")
    form.locator(f"[name='{relation}-person_b']").select_option(key[SPOUSE])
    form.locator(f"[name='{relation}-note']").fill("Sering bertengkar soal utang")
    submit_clean(form, "button[type=submit].primary")
    assert page.url.endswith(f"/cases/{case_pk}/genograms/1/"), page.url

    svg = page.locator("main svg.genogram-svg")
    expect(svg).to_be_visible()
    expect(svg.locator("g.people g.person")).to_have_count(6)
    index = svg.locator("g.people g.person.index")
    expect(index).to_have_count(1)
    expect(index.locator("path.outline")).to_have_count(1)
    expect(index.locator("path.index-outline")).to_have_count(1)  # the double outline
    expect(index.locator("title")).to_contain_text(HEAD)
    expect(svg.locator("g.unions g.union path.union")).to_have_count(2)
    expect(svg.locator("g.people g.person.deceased path.death")).to_have_count(1)
    expect(svg.locator("g.relations g.relation.conflict")).to_have_count(1)
    generations = svg.locator("g.people g.person").evaluate_all("els => new Set(els.map(e => e.dataset.y)).size")
    assert generations == 3, f"the genogram shows {generations} generations, not three"


def record_follow_up(page: Page, case_pk: int, goal: Goal, *, level: int, note: str) -> None:
    form = page.locator(f"section#evaluation form[action='/cases/{case_pk}/plan/scores/add/']")
    reveal(form)
    form.locator("[name='score-goal']").select_option(str(goal.pk))
    form.locator("[name='score-kind']").select_option(GoalScore.Kind.FOLLOW_UP)
    form.locator("[name='score-level']").select_option(str(level))
    expect(form.locator("[name='score-scored_on']")).to_have_value(timezone.localdate().isoformat())
    form.locator("[name='score-note']").fill(note)
    submit_clean(form)
    assert page.url.endswith(f"/cases/{case_pk}/#evaluation"), page.url


def evaluate_with_gas(page: Page, case_pk: int, goals: list[Goal]) -> None:
    page.goto(f"/cases/{case_pk}/")
    assert current_phase(page) == Phase.EVALUATION
    gas = page.locator("section#evaluation #gas")
    expect(gas.locator("svg.chart")).to_be_visible()  # the baselines alone make one point
    expect(gas.locator("svg.chart g.series circle.point")).to_have_count(1)

    record_follow_up(page, case_pk, goals[0], level=1, note="Didampingi LBH; cicilan resmi disepakati.")
    record_follow_up(page, case_pk, goals[1], level=0, note="Hadir 4 hari seminggu selama sebulan.")
    assert GoalScore.objects.filter(goal__in=goals, kind=GoalScore.Kind.FOLLOW_UP).count() == 2

    gas = page.locator("section#evaluation #gas")
    chart = gas.locator("svg.chart")
    expect(chart).to_be_visible()
    expect(chart.locator("g.series circle.point")).to_have_count(2)  # baseline day and today
    expect(chart.locator("g.series polyline.line")).to_have_count(1)
    expect(gas.locator("table.gas-t-scores tbody tr")).to_have_count(2)
    expect(gas.locator("table.gas-attainment tbody tr")).to_have_count(2)

    form = page.locator(f"section#evaluation form[action='/cases/{case_pk}/plan/evaluation/record/']")
    reveal(form)
    form.locator(f"input[name='evaluation-result_{goals[0].pk}'][value=partly]").check()
    form.locator(f"[name='evaluation-evidence_{goals[0].pk}']").fill("Cicilan resmi berjalan; penagihan berhenti.")
    form.locator(f"input[name='evaluation-result_{goals[1].pk}'][value=achieved]").check()
    form.locator(f"[name='evaluation-evidence_{goals[1].pk}']").fill("Hadir 17 dari 20 hari sekolah bulan ini.")
    form.locator("[name='evaluation-client_view']").fill("Bu Rina: rumah lebih tenang, tidak ada telepon ancaman.")
    form.locator("[name='evaluation-summary']").fill("Utang ditangani LBH; Siti kembali sekolah.")
    submit_clean(form)
    expect(page.locator("section#evaluation details.past-evaluation")).to_have_count(1)


def draw_second_ecomap_and_compare(page: Page, case_pk: int) -> None:
    page.goto(f"/cases/{case_pk}/ecomaps/1/")
    with page.expect_navigation():
        page.click(f"main a[href='/cases/{case_pk}/ecomaps/new/']")
    assert_page_clean(page)
    form = page.locator(f"main form[action='/cases/{case_pk}/ecomaps/new/']")
    # Prefilled from version 1: the lender is now a tenuous, calm link; legal aid is new and strong.
    lender = row_prefix(form, "systems", "name", LENDER)
    expect(form.locator(f"[name='{lender}-stressful']")).to_be_checked()
    form.locator(f"[name='{lender}-strength']").select_option("tenuous")
    form.locator(f"[name='{lender}-stressful']").uncheck()
    legal = empty_row_prefix(form, "systems", "name")
    form.locator(f"[name='{legal}-name']").fill(LEGAL_AID)
    form.locator(f"[name='{legal}-category']").select_option("legal")
    form.locator(f"[name='{legal}-strength']").select_option("strong")
    form.locator(f"[name='{legal}-flow']").select_option("to_client")
    submit_clean(form, "button[type=submit].primary")
    assert page.url.endswith(f"/cases/{case_pk}/ecomaps/2/"), page.url
    svg = page.locator("main svg.ecomap-svg")
    expect(svg.locator("g.systems circle")).to_have_count(6)
    expect(svg.locator("g.links g.link.stressful")).to_have_count(0)

    with page.expect_navigation():
        page.click(f"main a[href='/cases/{case_pk}/ecomaps/compare/']")
    assert_page_clean(page)
    expect(page.locator("main .ecomap-compare svg.ecomap-svg")).to_have_count(2)
    differences = page.locator("main table.ecomap-differences tbody")
    expect(differences.locator("tr.added")).to_have_count(1)
    expect(differences.locator("tr.added")).to_contain_text(LEGAL_AID)
    expect(differences.locator("tr.changed")).to_have_count(2)  # the lender's strength and stress
    expect(differences.locator("tr.removed")).to_have_count(0)


def check_drawings_fit_a_phone(phone: Page, case_pk: int) -> None:
    """The eco-map and genogram pages at 360 px: a wide drawing may scroll in its own box, the page may not."""
    for url in (
        f"/cases/{case_pk}/ecomaps/new/",
        f"/cases/{case_pk}/ecomaps/1/",
        f"/cases/{case_pk}/ecomaps/compare/",
        f"/cases/{case_pk}/genograms/new/",
        f"/cases/{case_pk}/genograms/1/",
    ):
        phone.goto(url)
        assert_page_clean(phone)
        assert_no_horizontal_overflow(phone)


def summary_urls(case_pk: int) -> tuple[str, str]:
    try:
        return reverse("summaries:html", args=[case_pk]), reverse("summaries:pdf", args=[case_pk])
    except NoReverseMatch as exc:
        pytest.fail(
            "The printable case summary is not there yet: the URL names summaries:html and summaries:pdf "
            f"(dampingi/summaries/urls.py) do not resolve ({exc})."
        )


def print_summary(page: Page, case_pk: int, shoot) -> None:
    html_url, pdf_url = summary_urls(case_pk)
    response = page.goto(html_url)
    assert response is not None and response.ok, f"{html_url} answered {response and response.status}"
    assert_page_clean(page)
    expect(page.locator("svg.ecomap-svg").first).to_be_visible()
    expect(page.locator("svg.genogram-svg").first).to_be_visible()
    expect(page.locator("body")).to_contain_text(HEAD)
    shoot(page, "case-summary.png")

    pdf = page.request.get(pdf_url, timeout=120_000)
    assert pdf.ok, f"{pdf_url} answered {pdf.status}"
    assert pdf.headers["content-type"].startswith("application/pdf"), pdf.headers["content-type"]
    assert pdf.body().startswith(b"%PDF"), pdf.body()[:40]


# --- The journey -------------------------------------------------------------------------------


def test_worker_assesses_a_family_with_the_instruments_plans_with_gas_evaluates_and_prints(new_page, cast, shoot):
    sari, ratna = cast.sari, cast.ratna
    case = family_case_in_assessment(sari, ratna)
    case_pk = case.pk

    page = new_page()
    sign_in(page, "sari", PASSWORD)
    page.goto(f"/cases/{case_pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    assert current_phase(page) == Phase.ASSESSMENT

    # Assessment: PIE, the digital-life screening, its flagged item into the problem tree.
    take_pie(page, case_pk)
    shoot(page, "instrument-pie.png")
    take_screening(page, case_pk, flagged="harm_lending")
    problem = flagged_item_to_problem_tree(page, case_pk, item="harm_lending")
    shoot(page, "instrument-digital-screening.png")
    open_problem_tree(page, case_pk, problem=problem)
    shoot(page, "instrument-problem-tree.png")
    page.goto(f"/cases/{case_pk}/")
    expect(page.locator("details#tools #instruments table.instrument-list tbody tr")).to_have_count(2)
    assert Administration.objects.filter(case_id=case_pk).count() == 2

    # The eco-map from the stakeholders, the genogram from the household.
    draw_first_ecomap(page, case_pk)
    shoot(page, "instrument-ecomap.png")
    draw_genogram(page, case_pk)
    shoot(page, "instrument-genogram.png")

    # Sign-off, plan and its approval, GAS baselines: through the services. Then Evaluation.
    goals = sign_off_and_approve_plan(case, sari, ratna, problem=problem)
    evaluate_with_gas(page, case_pk, goals)
    page.goto(f"/cases/{case_pk}/plan/evaluation/")
    expect(page.locator("main #gas svg.chart")).to_be_visible()
    shoot(page, "instrument-gas.png")

    # At the end: a second eco-map, compared with the one at intake.
    draw_second_ecomap_and_compare(page, case_pk)
    shoot(page, "instrument-ecomap-compare.png")

    phone = new_page(**PHONE)
    sign_in(phone, "sari", PASSWORD)
    check_drawings_fit_a_phone(phone, case_pk)

    # Print: the case summary with both drawings, and its PDF.
    print_summary(page, case_pk, shoot)
