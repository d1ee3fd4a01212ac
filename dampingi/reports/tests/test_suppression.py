import datetime

from dampingi.reports.selectors import month_bounds, suppress_table


def _display(table):
    return {row.key: [c.display for c in row.cells] for row in table.rows}, [c.display for c in table.totals]


def test_counts_from_one_to_four_are_shown_as_less_than_five_and_zero_stays_zero():
    table = suppress_table([("a", "A", False, [1, 0]), ("b", "B", False, [4, 12]), ("c", "C", False, [9, 7])], [14, 19])
    rows, totals = _display(table)
    assert rows["a"] == ["<5", "0"]
    assert rows["b"][0] == "<5"
    assert totals == ["14", "19"]


def test_a_single_small_cell_gets_a_second_cell_hidden_so_it_cannot_be_derived_from_the_total():
    table = suppress_table([("a", "A", False, [2]), ("b", "B", False, [30]), ("c", "C", False, [9])], [41])
    rows, totals = _display(table)
    assert rows == {"a": ["<5"], "b": ["30"], "c": ["*"]}
    assert totals == ["41"]
    assert table.secondary


def test_two_small_cells_need_no_secondary_suppression():
    table = suppress_table([("a", "A", False, [2]), ("b", "B", False, [3]), ("c", "C", False, [9])], [14])
    rows, _totals = _display(table)
    assert rows == {"a": ["<5"], "b": ["<5"], "c": ["9"]}
    assert not table.secondary


def test_sensitive_row_with_a_small_count_is_left_out_and_another_cell_hidden():
    table = suppress_table(
        [("km", "Minority", True, [3, 6]), ("fm", "Poor", False, [20, 6]), ("at", "Child", False, [8, 5])], [31, 17]
    )
    rows, totals = _display(table)
    assert "km" not in rows
    assert rows["at"] == ["*", "*"]  # each column hides its smallest other cell
    assert rows["fm"] == ["20", "6"]
    assert totals == ["31", "17"]


def test_sensitive_row_at_or_over_the_threshold_is_listed_with_its_zeroes():
    rows, _totals = _display(suppress_table([("odha", "HIV", True, [5, 0]), ("fm", "Poor", False, [7, 0])], [12, 0]))
    assert rows == {"odha": ["5", "0"], "fm": ["7", "0"]}


def test_when_no_other_cell_can_be_hidden_the_total_is_hidden():
    rows, totals = _display(suppress_table([("a", "A", False, [3]), ("b", "B", False, [0])], [3]))
    assert rows == {"a": ["<5"], "b": ["0"]}
    assert totals == ["<5"]
    _rows, totals = _display(suppress_table([("a", "A", False, [3]), ("km", "M", True, [0])], [13]))
    assert totals == ["*"]


def test_a_small_total_is_shown_as_less_than_five():
    assert _display(suppress_table([], [2, 0]))[1] == ["<5", "0"]


def test_periods_are_whole_months():
    assert month_bounds(datetime.date(2025, 2, 14), datetime.date(2025, 2, 3)) == (
        datetime.date(2025, 2, 1),
        datetime.date(2025, 2, 28),
    )
    assert month_bounds(datetime.date(2024, 12, 31), datetime.date(2024, 12, 31)) == (
        datetime.date(2024, 12, 1),
        datetime.date(2024, 12, 31),
    )
    assert month_bounds(None, datetime.date(2024, 2, 2)) == (None, datetime.date(2024, 2, 29))
    assert month_bounds(None, None) == (None, None)
