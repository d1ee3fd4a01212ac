import pytest
from django.http import Http404

from dampingi.clients.selectors import (
    PersonProbe,
    client_system_search,
    client_systems_visible_to,
    duplicate_candidates,
    get_client_system_for_user_or_404,
    people_visible_to,
)
from dampingi.testing.clients import NIK_SITI, NO_KK_CILEUNYI, SITI_BIRTH, register_family, register_individual
from dampingi.testing.factories import ClientSystemFactory, make_case


def visible(user):
    return set(client_systems_visible_to(user))


def test_a_registration_is_seen_by_its_team_and_supervisor_only(sari, wulan, dedi, ratna, hendra, yogi):
    cs = register_individual(actor=sari)
    assert cs in visible(sari) and cs in visible(wulan) and cs in visible(ratna)
    assert cs not in visible(dedi) and cs not in visible(hendra) and cs not in visible(yogi)


def test_a_case_makes_the_client_visible_to_whoever_sees_the_case(sari, dedi, ratna, hendra):
    cs = register_individual(actor=sari)
    make_case(worker=dedi, client_system=cs)
    assert cs in visible(dedi) and cs in visible(hendra) and cs in visible(ratna)


def test_administrators_see_only_their_own_creations(sari, yogi):
    own = ClientSystemFactory(created_by=yogi)
    other = register_individual(actor=sari)
    make_case(worker=sari, client_system=other)
    assert visible(yogi) == {own}


def test_fetch_for_an_outsider_is_404(sari, dedi):
    cs = register_individual(actor=sari)
    assert get_client_system_for_user_or_404(sari, cs.pk) == cs
    with pytest.raises(Http404):
        get_client_system_for_user_or_404(dedi, cs.pk)


def test_people_are_visible_through_their_client_systems(sari, dedi):
    person = register_individual(actor=sari).memberships.get().person
    assert list(people_visible_to(sari)) == [person]
    assert list(people_visible_to(dedi)) == []


def test_search_by_name_variant_member_name_nik_and_family_card(sari):
    rizki = register_individual(actor=sari, full_name="Muhammad Rizki", sex="M", birth_date=None)
    family = register_family(actor=sari, no_kk=NO_KK_CILEUNYI)
    siti = register_individual(actor=sari, full_name="Siti Nurhaliza", nik=NIK_SITI)
    assert list(client_system_search(sari, query="moh rizky")) == [rizki]
    assert list(client_system_search(sari, query="enok")) == [family]  # a member's name
    assert list(client_system_search(sari, query=NIK_SITI)) == [siti]
    assert list(client_system_search(sari, query=NO_KK_CILEUNYI)) == [family]
    assert list(client_system_search(sari, query="siti", kind="family")) == [family]
    assert client_system_search(sari, query="...").count() == 0


def test_duplicates_same_nik_similar_name_and_family_card(sari):
    siti = register_individual(actor=sari, nik=NIK_SITI)
    family = register_family(actor=sari, no_kk=NO_KK_CILEUNYI)
    matches = duplicate_candidates(
        user=sari,
        people=[PersonProbe(ref="person", full_name="Sity Aminah", nik=NIK_SITI, birth_date=SITI_BIRTH)],
        no_kk=NO_KK_CILEUNYI,
    )
    by_reason = {(m.reason, m.person.full_name if m.person else None) for m in matches}
    # Same NIK (Siti of the individual file); similar name + same birth (Siti in the family); same card.
    assert ("nik", "Siti Aminah") in by_reason and ("name_birth", "Siti Aminah") in by_reason
    nik_match = next(m for m in matches if m.reason == "nik")
    assert nik_match.is_hard and nik_match.client_systems == [siti] and not nik_match.hidden
    kk_match = next(m for m in matches if m.reason == "no_kk")
    assert kk_match.client_systems == [family] and not kk_match.hidden


def test_duplicates_in_another_team_are_hidden(sari, dedi):
    register_individual(actor=dedi, full_name="Mohammad Rizki", sex="M", birth_date=SITI_BIRTH)
    [match] = duplicate_candidates(
        user=sari, people=[PersonProbe(ref="person", full_name="Muhamad Rizky", birth_date=SITI_BIRTH)]
    )
    assert match.reason == "name_birth" and match.hidden
    assert match.person is None and match.client_systems == []


def test_no_duplicates_for_a_different_birth_date(sari):
    register_individual(actor=sari)
    assert (
        duplicate_candidates(user=sari, people=[PersonProbe(ref="p", full_name="Siti Aminah", birth_date=None)]) == []
    )
