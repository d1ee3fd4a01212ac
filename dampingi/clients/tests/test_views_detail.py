import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dampingi.audit.models import AuditEvent
from dampingi.cases.models import Programme
from dampingi.clients.models import PPKSCategory
from dampingi.clients.tests.conftest import assert_clean
from dampingi.testing.clients import NO_KK_CILEUNYI, register_family
from dampingi.testing.factories import ClientSystemFactory, make_case


def url(cs):
    return f"/clients/{cs.pk}/"


@pytest.fixture
def family(sari):
    cs = register_family(actor=sari, no_kk=NO_KK_CILEUNYI)
    cs.ppks.set(PPKSCategory.objects.filter(slug__in=["kbsp", "odha"]))
    return cs


@pytest.mark.parametrize(
    ("who", "status"),
    [("sari", 200), ("wulan", 200), ("ratna", 200), ("dedi", 404), ("hendra", 404), ("yogi", 404)],
)
def test_who_may_open_a_client_file(client, request, family, who, status):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(url(family))
    assert response.status_code == status
    views = AuditEvent.objects.filter(action="client.view", actor=user, target_id=str(family.pk))
    assert views.count() == (1 if status == 200 else 0)
    if status == 200:
        assert_clean(response)


def test_a_case_in_their_region_lets_the_manager_read_but_not_edit(client, sari, hendra, family):
    make_case(worker=sari, client_system=family)
    client.force_login(hendra)
    response = client.get(url(family))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/clients/{family.pk}/edit/" not in html and "/cases/open/" not in html
    assert AuditEvent.objects.filter(action="client.view", actor=hendra).count() == 1


def test_administrator_sees_only_their_own_creations(client, yogi):
    own = ClientSystemFactory(created_by=yogi)
    client.force_login(yogi)
    assert client.get(url(own)).status_code == 200


def test_client_file_shows_facts_members_head_ppks_and_cases(client, sari, dedi, family):
    visible_case = make_case(worker=sari, client_system=family)
    other_programme = Programme.objects.exclude(pk=visible_case.programme_id).first()
    hidden_case = make_case(worker=dedi, client_system=family, programme=other_programme)
    client.force_login(sari)
    response = client.get(url(family))
    html = response.content.decode()
    assert "Keluarga Enok Suhaenah" in html and NO_KK_CILEUNYI in html
    assert "Cileunyi Kulon, Cileunyi, Kabupaten Bandung, Jawa Barat" in html
    head_row = html[html.index('<tr class="head">') :]
    assert head_row.index("Enok Suhaenah") < head_row.index("head of household") < head_row.index("Siti Aminah")
    assert "grandchild" in html
    ppks = PPKSCategory.objects.get(slug="kbsp")
    assert ppks.label in html or ppks.name_en in html
    assert 'class="badge ppks sensitive"' in html  # shown in the file, marked
    assert visible_case.reference in html and "Engagement" in html
    assert hidden_case.reference not in html
    assert f'href="/cases/open/?client={family.pk}"' in html
    assert f'href="/clients/{family.pk}/edit/"' in html


def test_detail_runs_a_fixed_number_of_queries(client, sari, django_assert_num_queries):
    small = register_family(actor=sari)
    members = [{"full_name": f"Anggota {i}", "sex": "F", "relationship": "child"} for i in range(8)]
    members[0]["relationship"] = "head"
    large = register_family(actor=sari, members=members)
    client.force_login(sari)
    client.get(url(small))  # warm up the session
    with CaptureQueriesContext(connection) as few:
        client.get(url(small))
    with CaptureQueriesContext(connection) as many:
        client.get(url(large))
    assert len(few.captured_queries) == len(many.captured_queries)
