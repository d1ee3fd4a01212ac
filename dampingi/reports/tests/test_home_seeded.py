"""The dashboards with the demo population (manage.py seed_demo) for every role."""

import pytest
from django.core.management import call_command

from dampingi.accounts.models import User
from dampingi.reports.tests import helpers

ROLES = ["sari", "dedi", "ratna", "hendra", "yogi"]


@pytest.fixture
def seed(monkeypatch):
    monkeypatch.setenv("DAMPINGI_LOCAL_TRIAL", "1")

    def run(clients):
        call_command("seed_demo", "--clients", str(clients), "--seed", "42", verbosity=0)

    return run


@pytest.mark.parametrize("username", ROLES)
def test_every_dashboard_renders_with_the_demo_data(client, seed, username):
    seed(60)
    user = User.objects.get(username=username)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    helpers.assert_clean(response)
    body = response.content.decode()
    if username == "sari":
        assert "Keluarga Dadang Hermawan" in body  # a scenario case in Intervention
        assert response.context["overdue_tasks"].total >= 1
        assert response.context["followups_due"].total >= 1  # the neglected child's follow-up
        assert response.context["my_pending_approvals"].total >= 1  # Mak Siti's plan
    if username == "ratna":
        assert response.context["pending_approvals"].total >= 1
        assert len(response.context["workers"]) >= 2
    if username == "hendra":
        assert "Keluarga Dadang Hermawan" not in body
        assert "Muhammad Rizki Firmansyah" not in body


@pytest.mark.parametrize("username", ROLES)
def test_dashboards_run_the_same_queries_for_a_small_and_a_larger_population(
    client, seed, username, django_assert_num_queries
):
    seed(20)
    client.force_login(User.objects.get(username=username))
    expected = helpers.count_queries(client, "/")
    seed(80)
    with django_assert_num_queries(expected):
        client.get("/")
