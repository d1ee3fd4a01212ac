import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dampingi.clients.models import ClientSystem, PPKSCategory
from dampingi.clients.tests.conftest import assert_clean
from dampingi.testing.clients import NIK_SITI, NO_KK_CILEUNYI, register_family, register_individual
from dampingi.testing.factories import ClientSystemFactory, make_case

URL = "/clients/"


def names(response):
    return [cs.name for cs in response.context["clients"]]


def test_list_renders_with_the_register_button_for_workers(client, sari):
    register_individual(actor=sari)
    client.force_login(sari)
    response = client.get(URL)
    assert response.status_code == 200
    assert_clean(response)
    assert names(response) == ["Siti Aminah"]
    assert 'href="/clients/new/"' in response.content.decode()


def test_empty_list_renders(client, sari):
    client.force_login(sari)
    response = client.get(URL, {"q": "nobody"})
    assert response.status_code == 200
    assert_clean(response)
    assert "No client system matches this search." in response.content.decode()


def test_each_user_lists_only_what_they_may_see(client, sari, wulan, dedi, ratna, hendra, yogi):
    register_individual(actor=sari)
    with_case = register_individual(actor=sari, full_name="Ujang Rahmat", sex="M")
    make_case(worker=sari, client_system=with_case)
    own_import = ClientSystemFactory(created_by=yogi, name="Impor Yogi")
    expected = {
        sari: ["Siti Aminah", "Ujang Rahmat"],
        wulan: ["Siti Aminah", "Ujang Rahmat"],
        ratna: ["Siti Aminah", "Ujang Rahmat"],
        dedi: [],
        hendra: ["Ujang Rahmat"],
        yogi: [own_import.name],
    }
    for user, visible in expected.items():
        client.force_login(user)
        response = client.get(URL)
        assert response.status_code == 200
        assert names(response) == visible, user.username
    client.force_login(hendra)
    assert 'href="/clients/new/"' not in client.get(URL).content.decode()


def test_search_by_spelling_variant_nik_family_card_and_kind(client, sari):
    rizki = register_individual(actor=sari, full_name="Muhammad Rizki", sex="M", birth_date=None)
    register_individual(actor=sari, nik=NIK_SITI)
    register_family(actor=sari, no_kk=NO_KK_CILEUNYI)
    client.force_login(sari)
    assert names(client.get(URL, {"q": "Moh. Rizky"})) == [rizki.name]
    assert names(client.get(URL, {"q": NIK_SITI})) == ["Siti Aminah"]
    assert names(client.get(URL, {"q": "3204 0512 0310 0007"})) == ["Keluarga Enok Suhaenah"]
    assert names(client.get(URL, {"q": "siti", "kind": "family"})) == ["Keluarga Enok Suhaenah"]


def test_htmx_search_returns_only_the_results(client, sari):
    register_individual(actor=sari)
    client.force_login(sari)
    response = client.get(URL, {"q": "siti"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="client-results"') and "<html" not in html
    assert "Siti Aminah" in html
    assert "HX-Request" in response["Vary"]


def test_sensitive_ppks_never_appear_in_the_list(client, sari):
    cs = register_individual(actor=sari, full_name="Klien Rahasia")
    cs.ppks.set(PPKSCategory.objects.filter(slug__in=["odha", "at"]))
    client.force_login(sari)
    html = client.get(URL).content.decode()
    assert "Anak Terlantar" in html or "Neglected child" in html
    odha = PPKSCategory.objects.get(slug="odha")
    assert odha.name_id not in html and odha.name_en not in html


def test_pagination_keeps_the_search(client, sari, settings):
    settings.DAMPINGI_PAGE_SIZE = 2
    for i in range(3):
        ClientSystemFactory(created_by=sari, name=f"Siti {i}")
    client.force_login(sari)
    response = client.get(URL, {"q": "siti"})
    assert_clean(response)
    assert names(response) == ["Siti 0", "Siti 1"]
    assert "?q=siti&amp;page=2" in response.content.decode()
    assert names(client.get(URL, {"q": "siti", "page": 2})) == ["Siti 2"]


def make_clients(n, creator):
    ppks = list(PPKSCategory.objects.filter(slug__in=["at", "fm"]))
    for i in range(n):
        cs = ClientSystemFactory(created_by=creator, name=f"Klien {i:02d}")
        cs.ppks.set(ppks)


@pytest.mark.parametrize("who", ["sari", "ratna", "hendra"])
def test_list_runs_a_fixed_number_of_queries(client, request, sari, who):
    user = request.getfixturevalue(who)
    client.force_login(user)

    def run(n):
        make_clients(n, sari)
        if who == "hendra":
            for cs in ClientSystem.objects.filter(cases__isnull=True):
                make_case(worker=sari, client_system=cs)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["clients"])

    few, shown_few = run(3)
    many, shown_many = run(27)
    assert (shown_few, shown_many) == (3, 25)
    assert few == many


def test_list_query_count_is_pinned(client, sari, django_assert_num_queries):
    client.force_login(sari)
    make_clients(3, sari)
    with django_assert_num_queries(6):  # session, user, matching ids, the page's rows, PPKS prefetch, unread count
        client.get(URL)
    make_clients(27, sari)
    with django_assert_num_queries(6):
        client.get(URL)
