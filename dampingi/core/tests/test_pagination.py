import pytest
from django.core.paginator import Paginator

from dampingi.core.pagination import IdsThenRows


class Row:
    def __init__(self, pk):
        self.pk = pk


def test_pages_come_in_the_order_of_the_ids_and_read_only_their_rows():
    asked = []

    def rows(page):
        asked.append(list(page))
        return [Row(pk) for pk in reversed(page)]  # the database may return them in any order

    paginator = Paginator(IdsThenRows([30, 10, 20, 50, 40], rows), 2)
    assert paginator.count == 5 and paginator.num_pages == 3
    assert [r.pk for r in paginator.get_page(2).object_list] == [20, 50]
    assert asked == [[20, 50]]


def test_a_row_deleted_since_the_ids_were_read_is_left_out():
    paginator = Paginator(IdsThenRows([1, 2, 3], lambda page: [Row(pk) for pk in page if pk != 2]), 10)
    assert [r.pk for r in paginator.get_page(1).object_list] == [1, 3]


def test_no_ids_reads_no_rows():
    def rows(page):
        raise AssertionError("no query for an empty result")

    assert list(Paginator(IdsThenRows([], rows), 10).get_page(1).object_list) == []


def test_only_plain_slices():
    with pytest.raises(TypeError):
        IdsThenRows([1], list)[0]
