import pytest

from dampingi.cases.models import Case
from dampingi.core.expressions import InIds
from dampingi.plans.models import Task
from dampingi.testing.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_cases(sari):
    return [make_case(worker=sari) for _ in range(3)]


def test_in_ids_keeps_exactly_the_listed_rows(three_cases):
    first, second, third = three_cases
    assert set(Case.objects.filter(InIds("pk", [first.pk, third.pk, 10**9]))) == {first, third}
    assert set(Case.objects.exclude(InIds("pk", [first.pk]))) == {second, third}


def test_in_ids_with_no_ids_matches_nothing(three_cases):
    assert not Case.objects.filter(InIds("pk", [])).exists()


def test_in_ids_follows_a_relation(three_cases):
    assert not Task.objects.filter(InIds("plan__case_id", [c.pk for c in three_cases])).exists()


def test_in_ids_takes_more_ids_than_a_statement_may_have_parameters(three_cases):
    # 40,000 ids: past SQLite's limit of 32,766 parameters in one statement, were each id its own
    # (Case.objects.filter(pk__in=many) fails there with "too many SQL variables").
    many = [*range(10**8, 10**8 + 40_000), three_cases[1].pk]
    assert list(Case.objects.filter(InIds("pk", many))) == [three_cases[1]]


def test_in_ids_refuses_anything_but_integers():
    # On PostgreSQL the ids travel as the text of an array literal: only ints may build it.
    with pytest.raises(ValueError):
        InIds("pk", ["1}, {2"])
