import pytest
from django.urls import reverse

from dampingi.audit.models import AuditEvent
from dampingi.cases.models import Case, Programme
from dampingi.cases.tests.conftest import assert_clean, row_counts
from dampingi.clients.models import PPKSCategory
from dampingi.testing.factories import ClientSystemFactory, UserFactory, make_case


def url(client_system):
    return reverse("cases:open") + f"?client={client_system.pk}"


def form_data(worker, supervisor, **overrides):
    data = {
        "programme": Programme.objects.order_by("name").first().pk,
        "presenting_problem": "Anak ditinggal ibu bekerja di luar negeri.",
        "referral_source": "government",
        "referral_source_detail": "Kepala Desa Cileunyi Kulon",
        "ppks": PPKSCategory.objects.get(slug="at").pk,
        "priority": "high",
        "assigned_worker": worker.pk,
        "supervisor": supervisor.pk,
    }
    data.update(overrides)
    return data


def test_worker_opens_a_case_for_a_client_of_her_team(client, sari, ratna):
    client_system = ClientSystemFactory(created_by=sari)
    client.force_login(sari)
    response = client.get(url(client_system))
    assert response.status_code == 200
    assert_clean(response)
    form = response.context["form"]
    assert form.initial["assigned_worker"] == sari.pk
    assert form.initial["supervisor"] == ratna.pk
    response = client.post(url(client_system), form_data(sari, ratna))
    case = Case.objects.get(client_system=client_system)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert (case.team, case.assigned_worker, case.supervisor, case.phase) == (sari.team, sari, ratna, "engagement")
    assert AuditEvent.objects.filter(case=case, action="case.open", actor=sari).exists()


def test_second_open_case_in_the_programme_is_shown_on_the_programme_field(client, sari, ratna):
    client_system = ClientSystemFactory(created_by=sari)
    make_case(worker=sari, client_system=client_system)
    client.force_login(sari)
    before = row_counts()
    response = client.post(url(client_system), form_data(sari, ratna, presenting_problem="Masalah baru"))
    assert response.status_code == 200
    assert_clean(response)
    assert "already has an open case in this programme" in " ".join(response.context["form"].errors["programme"])
    assert "Masalah baru" in response.content.decode()
    assert row_counts() == before
    # Another programme is fine.
    other = Programme.objects.order_by("name")[1]
    assert client.post(url(client_system), form_data(sari, ratna, programme=other.pk)).status_code == 302


def test_worker_may_assign_only_workers_of_her_team(client, sari, dedi, ratna):
    client_system = ClientSystemFactory(created_by=sari)
    client.force_login(sari)
    before = row_counts()
    response = client.post(url(client_system), form_data(dedi, ratna))
    assert "assigned_worker" in response.context["form"].errors
    assert row_counts() == before


def test_supervisor_assigns_workers_of_her_teams(client, sari, dedi, ratna):
    client_system = ClientSystemFactory(created_by=dedi)
    client.force_login(ratna)
    response = client.get(url(client_system))
    choices = set(response.context["form"].fields["assigned_worker"].queryset)
    assert choices == {sari, dedi}
    assert client.post(url(client_system), form_data(dedi, ratna)).status_code == 302
    assert Case.objects.get(client_system=client_system).team == dedi.team


@pytest.mark.parametrize("persona", ["dedi", "hendra", "yogi"])
def test_others_cannot_open_a_case_for_the_client(client, request, sari, ratna, persona):
    client_system = ClientSystemFactory(created_by=sari)
    client.force_login(request.getfixturevalue(persona))
    before = row_counts()
    assert client.get(url(client_system)).status_code == 404
    assert client.post(url(client_system), form_data(sari, ratna)).status_code == 404
    assert row_counts() == before


def test_missing_or_bad_client_parameter_is_404(client, sari):
    client.force_login(sari)
    assert client.get(reverse("cases:open")).status_code == 404
    assert client.get(reverse("cases:open") + "?client=abc").status_code == 404


def test_required_fields_and_lengths_are_checked(client, sari, ratna):
    client_system = ClientSystemFactory(created_by=sari)
    client.force_login(sari)
    response = client.post(url(client_system), form_data(sari, ratna, presenting_problem="", referral_source="x" * 40))
    errors = response.context["form"].errors
    assert "presenting_problem" in errors and "referral_source" in errors


def test_inactive_worker_is_not_offered(client, sari, cast):
    gone = UserFactory(username="mantan", role="worker", team=cast.cileunyi, is_active=False)
    client_system = ClientSystemFactory(created_by=sari)
    client.force_login(sari)
    assert gone not in client.get(url(client_system)).context["form"].fields["assigned_worker"].queryset


def test_the_case_file_language_is_chosen_when_opening_and_defaults_to_indonesian(client, sari, ratna):
    english, indonesian = ClientSystemFactory(created_by=sari), ClientSystemFactory(created_by=sari)
    client.force_login(sari)

    client.post(url(english), form_data(sari, ratna, language="en"))
    client.post(url(indonesian), form_data(sari, ratna))

    assert Case.objects.get(client_system=english).language == "en"
    assert Case.objects.get(client_system=indonesian).language == "id"
