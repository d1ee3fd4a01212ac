"""Who sees which referral, and which pages: partners of two organisations, workers of two teams,
the supervisor and the manager. Outsiders get 404; readers who may not act get 403; a denial
changes nothing (no referral, no event, no audit)."""

import pytest
from django.urls import reverse

from dampingi.cases.permissions import cases_visible_to
from dampingi.clients.selectors import client_systems_visible_to
from dampingi.referrals.selectors import referrals_visible_to
from dampingi.referrals.tests.conftest import counts, new_referral
from dampingi.testing.casework import assert_clean

PERSONAS = ["sari", "dedi", "ratna", "hendra", "puskesmas_staff", "lbh_staff"]


@pytest.fixture
def people(request, sari, dedi, ratna, hendra, puskesmas_staff, lbh_staff):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@pytest.fixture
def world(referred_case, gizi_service, legal_service, sari, dedi):
    """Sari's draft and sent referral to the puskesmas; Dedi's sent referral to the LBH."""
    from dampingi.testing.cases import record_consent
    from dampingi.testing.factories import make_case

    dedi_case = make_case(worker=dedi)
    record_consent(dedi_case, dedi)
    return {
        "draft": new_referral(referred_case, gizi_service, sari),
        "sent": new_referral(referred_case, gizi_service, sari, send=True),
        "dedi_sent": new_referral(dedi_case, legal_service, dedi, send=True),
    }


VISIBLE = {
    "sari": {"draft", "sent"},
    "dedi": {"dedi_sent"},
    "ratna": {"draft", "sent", "dedi_sent"},
    "hendra": {"draft", "sent", "dedi_sent"},
    "puskesmas_staff": {"sent"},
    "lbh_staff": {"dedi_sent"},
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_exactly_its_referrals(persona, people, world):
    seen = set(referrals_visible_to(people[persona]).values_list("pk", flat=True))
    assert seen == {world[name].pk for name in VISIBLE[persona]}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_referral_page_answers_200_to_those_who_see_it_and_404_to_the_others(persona, client, people, world):
    client.force_login(people[persona])
    for name, referral in world.items():
        response = client.get(reverse("referrals:detail", args=[referral.pk]))
        expected = 200 if name in VISIBLE[persona] else 404
        assert response.status_code == expected, (persona, name)
        if expected == 200:
            assert_clean(response)
            partner = persona.endswith("_staff")
            template = "referrals/partner_detail.html" if partner else "referrals/detail.html"
            assert template in [t.name for t in response.templates]
        response = client.get(reverse("referrals:letter", args=[referral.pk]))
        assert response.status_code == expected, (persona, name, "letter")


@pytest.mark.parametrize("persona", ["puskesmas_staff", "lbh_staff"])
def test_partners_see_no_case_and_no_client(persona, client, people, world, referred_case):
    partner = people[persona]
    assert not cases_visible_to(partner).exists()
    assert not client_systems_visible_to(partner).exists()
    client.force_login(partner)
    assert client.get(reverse("cases:detail", args=[referred_case.pk])).status_code == 404
    assert client.get(reverse("clients:detail", args=[referred_case.client_system_id])).status_code == 404
    assert client.get(reverse("referrals:new", args=[referred_case.pk])).status_code == 404
    assert client.get(reverse("cases:list")).context["page_obj"].paginator.count == 0


def _post_move(client, referral, target, status, **extra):
    data = {
        "move": target,
        f"m-{target}-target": target,
        f"m-{target}-expected_status": status,
        f"m-{target}-reason": extra.get("reason", "Alasan"),
        f"m-{target}-outcome": extra.get("outcome", ""),
    }
    return client.post(reverse("referrals:move", args=[referral.pk]), data)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("sari", 403), ("dedi", 404), ("ratna", 403), ("hendra", 403), ("puskesmas_staff", 302), ("lbh_staff", 404)],
)
def test_only_the_receiving_organisation_may_accept(persona, expected, client, people, world):
    referral = world["sent"]
    client.force_login(people[persona])
    before = counts()
    response = _post_move(client, referral, "accepted", "requested")
    assert response.status_code == expected
    referral.refresh_from_db()
    if expected == 302:
        assert referral.status == "accepted"
    else:
        assert referral.status == "requested"
        assert counts() == before


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("sari", 302), ("dedi", 404), ("ratna", 302), ("hendra", 403), ("puskesmas_staff", 403), ("lbh_staff", 404)],
)
def test_only_the_referring_side_may_cancel(persona, expected, client, people, world):
    referral = world["sent"]
    client.force_login(people[persona])
    before = counts()
    response = _post_move(client, referral, "cancelled", "requested")
    assert response.status_code == expected
    referral.refresh_from_db()
    if expected == 302:
        assert referral.status == "cancelled"
    else:
        assert referral.status == "requested"
        assert counts() == before


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("sari", 200), ("dedi", 404), ("ratna", 200), ("hendra", 403), ("puskesmas_staff", 404), ("lbh_staff", 404)],
)
def test_the_refer_page(persona, expected, client, people, world, referred_case):
    client.force_login(people[persona])
    assert client.get(reverse("referrals:new", args=[referred_case.pk])).status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("sari", 200), ("dedi", 404), ("ratna", 200), ("hendra", 403), ("puskesmas_staff", 404), ("lbh_staff", 404)],
)
def test_the_draft_edit_page(persona, expected, client, people, world):
    client.force_login(people[persona])
    assert client.get(reverse("referrals:edit", args=[world["draft"].pk])).status_code == expected


@pytest.mark.parametrize("persona", ["sari", "dedi", "ratna", "hendra"])
def test_the_inbox_is_only_for_partners(persona, client, people, world):
    client.force_login(people[persona])
    assert client.get(reverse("referrals:inbox")).status_code == 404


def test_each_partner_inbox_lists_only_its_organisation(client, people, world):
    client.force_login(people["puskesmas_staff"])
    response = client.get(reverse("referrals:inbox"))
    assert_clean(response)
    assert [r.pk for r in response.context["page_obj"]] == [world["sent"].pk]
    client.force_login(people["lbh_staff"])
    response = client.get(reverse("referrals:inbox"))
    assert [r.pk for r in response.context["page_obj"]] == [world["dedi_sent"].pk]


def test_a_partner_user_not_linked_to_an_organisation_sees_nothing(client, cast, world):
    from dampingi.accounts.models import Role
    from dampingi.testing.factories import UserFactory

    loose = UserFactory(username="lepas", role=Role.PARTNER, language="en")
    assert not referrals_visible_to(loose).exists()
    client.force_login(loose)
    response = client.get(reverse("referrals:inbox"))
    assert "Your account is not linked to an organisation yet" in response.content.decode()
    assert client.get(reverse("referrals:detail", args=[world["sent"].pk])).status_code == 404


def test_a_partner_reading_a_referral_is_audited(client, people, world):
    from dampingi.audit.models import AuditEvent

    client.force_login(people["puskesmas_staff"])
    client.get(reverse("referrals:detail", args=[world["sent"].pk]))
    event = AuditEvent.objects.get(action="referral.view")
    assert event.actor == people["puskesmas_staff"] and event.target_id == str(world["sent"].pk)
