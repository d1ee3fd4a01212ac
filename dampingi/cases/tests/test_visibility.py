"""Who sees which case: the matrix behind every page, search and export."""

import pytest
from django.http import Http404

from dampingi.accounts.models import Role
from dampingi.cases.permissions import (
    can_approve_for_case,
    can_work_on_case,
    cases_visible_to,
    get_case_for_user_or_404,
)
from dampingi.testing.factories import TeamFactory, UserFactory, make_case


@pytest.fixture
def cases(cast):
    return {"cileunyi": make_case(worker=cast.sari), "majalaya": make_case(worker=cast.dedi)}


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("sari", {"cileunyi"}),
        ("dedi", {"majalaya"}),
        ("ratna", {"cileunyi", "majalaya"}),
        ("hendra", {"cileunyi", "majalaya"}),
        ("yogi", set()),
    ],
)
def test_each_persona_sees_exactly_their_cases(cast, cases, persona, sees):
    user = getattr(cast, persona)
    visible = set(cases_visible_to(user).values_list("pk", flat=True))
    assert visible == {cases[name].pk for name in sees}


def test_worker_sees_a_teammates_case(cast, cases):
    teammate = UserFactory(username="rina", role=Role.WORKER, team=cast.cileunyi)
    assert cases["cileunyi"] in cases_visible_to(teammate)


def test_manager_of_another_regency_sees_nothing(cast, cases):
    other = UserFactory(username="manager-kota", role=Role.MANAGER, region_id="32.73")
    assert not cases_visible_to(other).exists()


def test_supervisor_of_another_team_sees_nothing(cast, cases):
    other = UserFactory(username="spv2", role=Role.SUPERVISOR)
    TeamFactory(name="Tim Kota", region_id="32.73", supervisor=other)
    assert not cases_visible_to(other).exists()


def test_worker_of_other_team_gets_404(cast, cases):
    with pytest.raises(Http404):
        get_case_for_user_or_404(cast.dedi, cases["cileunyi"].pk)


def test_inactive_user_sees_nothing(cast, cases):
    cast.sari.is_active = False
    assert not cases_visible_to(cast.sari).exists()


def test_only_workers_of_the_team_and_its_supervisor_work_on_a_case(cast, cases):
    case = cases["cileunyi"]
    assert can_work_on_case(cast.sari, case)
    assert not can_work_on_case(cast.dedi, case)
    assert can_work_on_case(cast.ratna, case)
    assert not can_work_on_case(cast.hendra, case)
    assert not can_work_on_case(cast.yogi, case)
    assert can_approve_for_case(cast.ratna, case)
    assert not can_approve_for_case(cast.sari, case)
