import datetime

from django.urls import reverse

from dampingi.accounts.models import Role
from dampingi.cases.phases import Phase
from dampingi.clients.models import PPKSCategory
from dampingi.regions.models import Region
from dampingi.reports.tests import helpers
from dampingi.testing.factories import ClientSystemFactory, UserFactory, make_case

HOME = "/"


def _cases(worker, n, *, slug="at", village=None, closed=False):
    ppks = PPKSCategory.objects.get(slug=slug)
    made = []
    for _ in range(n):
        client_system = ClientSystemFactory(created_by=worker, **({"region_id": village} if village else {}))
        case = make_case(worker=worker, client_system=client_system, ppks=ppks)
        if closed:
            helpers.in_phase(case, Phase.TERMINATION, closed=True)
        made.append(case)
    return made


def _majalaya_village():
    return Region.objects.filter(parent_id="32.04.33", level=Region.Level.VILLAGE).order_by("code").first().code


def test_manager_sees_counts_by_phase_ppks_and_district_without_personal_data(client, sari, dedi, hendra):
    cases = _cases(sari, 6) + _cases(dedi, 5, slug="lut", village=_majalaya_village())
    cases += _cases(sari, 2, slug="lut", closed=True)
    client.force_login(hendra)
    response = client.get(HOME)
    helpers.assert_clean(response)
    body = response.content.decode()
    for case in cases:
        assert case.client_system.name not in body
        assert case.reference not in body
    assert [c.display for c in response.context["totals"]] == ["11", "<5"]
    ppks = {row.key: [c.display for c in row.cells] for row in response.context["by_ppks"].rows}
    at, lut = PPKSCategory.objects.get(slug="at"), PPKSCategory.objects.get(slug="lut")
    assert ppks[str(at.pk)] == ["6", "0"]
    assert ppks[str(lut.pk)] == ["5", "<5"]
    districts = {row.label: [c.display for c in row.cells] for row in response.context["by_district"].rows}
    assert districts == {"Cileunyi": ["6", "<5"], "Majalaya": ["5", "0"]}
    phases = {row.key: [c.display for c in row.cells] for row in response.context["by_phase"].rows}
    assert phases[Phase.ENGAGEMENT] == ["11", "0"]
    assert phases[Phase.TERMINATION] == ["0", "<5"]
    assert "Anak Terlantar" in body and "Cileunyi" in body


def test_counts_from_one_to_four_show_as_less_than_five(client, sari, hendra):
    _cases(sari, 3)
    client.force_login(hendra)
    response = client.get(HOME)
    assert [c.display for c in response.context["totals"]] == ["<5", "0"]
    body = response.content.decode()
    assert "&lt;5" in body
    assert ">3<" not in body


def test_a_sensitive_category_below_the_threshold_is_never_listed(client, sari, hendra):
    _cases(sari, 6)
    _cases(sari, 2, slug="km")
    client.force_login(hendra)
    response = client.get(HOME)
    body = response.content.decode()
    assert "Kelompok Minoritas" not in body
    labels = [row.label for row in response.context["by_ppks"].rows]
    assert "Kelompok Minoritas" not in labels
    # The one hidden category cannot be worked out from the total either: another cell is hidden too.
    assert response.context["by_ppks"].secondary


def test_a_sensitive_category_at_or_above_the_threshold_is_listed(client, sari, hendra):
    _cases(sari, 5, slug="odha")
    client.force_login(hendra)
    labels = [row.label for row in client.get(HOME).context["by_ppks"].rows]
    assert "Orang dengan HIV/AIDS" in labels


def test_manager_of_another_region_sees_nothing_of_kabupaten_bandung(client, sari):
    kota = UserFactory(username="rudi", role=Role.MANAGER, region_id="32.73")
    _cases(sari, 7)
    client.force_login(kota)
    response = client.get(HOME)
    assert [c.display for c in response.context["totals"]] == ["0", "0"]
    assert response.context["by_ppks"].empty


def test_manager_without_region_is_told_so(client):
    nobody = UserFactory(username="manajer", role=Role.MANAGER)
    client.force_login(nobody)
    response = client.get(HOME)
    helpers.assert_clean(response)
    assert response.context["region"] is None
    assert 'class="warning"' in response.content.decode()


def test_period_filter_counts_cases_opened_in_whole_months(client, sari, hendra):
    today = helpers.today()
    old = _cases(sari, 6)
    for case in old:
        helpers.opened(case, days=400)
    _cases(sari, 5)
    client.force_login(hendra)
    start = today.replace(day=15)
    response = client.get(HOME, {"start": start.isoformat(), "end": today.isoformat()})
    assert response.context["period_start"] == today.replace(day=1)
    assert response.context["period_end"].month == today.month
    assert response.context["period_end"] >= today
    assert [c.display for c in response.context["totals"]] == ["5", "0"]


def test_period_ending_before_it_starts_is_refused_next_to_the_field(client, hendra):
    client.force_login(hendra)
    response = client.get(HOME, {"start": "2025-06-01", "end": "2025-01-01"})
    helpers.assert_clean(response)
    assert response.status_code == 200
    assert "end" in response.context["form"].errors
    assert response.context["period_start"] is None


def test_htmx_request_gets_only_the_figures_fragment(client, sari, hendra):
    _cases(sari, 5)
    client.force_login(hendra)
    response = client.get(HOME, {"start": "2020-01-01"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.strip().startswith('<div id="manager-figures"')
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_manager_home_runs_a_fixed_number_of_queries(client, sari, dedi, hendra, django_assert_num_queries):
    _cases(sari, 3)
    client.force_login(hendra)
    expected = helpers.count_queries(client, HOME)
    _cases(sari, 10, slug="lut")
    _cases(dedi, 10, slug="fm", village=_majalaya_village(), closed=True)
    with django_assert_num_queries(expected):
        response = client.get(HOME)
    assert [c.display for c in response.context["totals"]] == ["13", "10"]
    with django_assert_num_queries(expected):
        client.get(HOME, {"start": (helpers.today() - datetime.timedelta(days=40)).isoformat()})


def test_the_home_link_still_works_for_the_manager(client, hendra):
    client.force_login(hendra)
    assert client.get(reverse("reports:home")).status_code == 200
