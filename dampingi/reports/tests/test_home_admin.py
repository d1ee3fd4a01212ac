from django.urls import reverse

from dampingi.accounts.models import Role
from dampingi.reports.tests import helpers
from dampingi.testing.factories import UserFactory, make_case

HOME = "/"


def test_administrator_sees_admin_links_and_accounts_by_role_but_no_case_data(client, sari, dedi, ratna, yogi):
    case = make_case(worker=sari)
    UserFactory(username="lepas", role=Role.WORKER, is_active=False)
    client.force_login(yogi)
    response = client.get(HOME)
    helpers.assert_clean(response)
    body = response.content.decode()
    assert reverse("admin:accounts_user_changelist") in body
    assert reverse("admin:accounts_team_changelist") in body
    assert reverse("admin:audit_auditevent_changelist") in body
    assert reverse("admin:regions_region_changelist") in body
    counts = {row["role"]: (row["active"], row["inactive"]) for row in response.context["users_by_role"]}
    assert counts[Role.WORKER] == (2, 1)
    assert counts[Role.SUPERVISOR] == (1, 0)
    assert counts[Role.MANAGER] == (1, 0)
    assert counts[Role.ADMINISTRATOR] == (1, 0)
    assert case.reference not in body
    assert case.client_system.name not in body
    assert "phases" not in response.context


def test_admin_home_runs_a_fixed_number_of_queries(client, yogi, django_assert_num_queries):
    client.force_login(yogi)
    expected = helpers.count_queries(client, HOME)
    for i in range(30):
        UserFactory(username=f"pekerja{i}", role=Role.WORKER if i % 2 else Role.SUPERVISOR)
    with django_assert_num_queries(expected):
        client.get(HOME)
