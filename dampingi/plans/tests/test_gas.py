import pytest

from dampingi.plans.gas import gas_t_score, line_chart


@pytest.mark.parametrize(
    ("levels", "weights", "expected"),
    [
        ([1, 1, 0], [3, 2, 1], 61.02),
        ([1, 1, 1], None, 63.69),
        ([-2, -2, -2], None, 22.61),
        ([2, 2, 2], None, 77.39),
        ([0, 0, 0], None, 50.00),
    ],
)
def test_t_score_matches_the_kiresuk_sherman_test_vectors(levels, weights, expected):
    assert round(gas_t_score(levels, weights), 2) == expected


def test_t_score_uses_rho_0_3_by_default_and_accepts_another():
    assert gas_t_score([1, 1, 1]) == gas_t_score([1, 1, 1], rho=0.3)
    # With rho = 0 and one goal, a level of +1 is one standard deviation: T = 60.
    assert round(gas_t_score([1], rho=0), 2) == 60.00


@pytest.mark.parametrize(
    ("levels", "weights"),
    [
        ([], None),
        ([3, 0], None),
        ([-3], None),
        ([1, 0], [1, 0]),
        ([1, 0], [1, -2]),
        ([1, 0], [1]),
    ],
)
def test_t_score_refuses_levels_outside_the_scale_non_positive_weights_and_empty_input(levels, weights):
    with pytest.raises(ValueError):
        gas_t_score(levels, weights)


def test_line_chart_places_points_inside_the_plot_and_skips_missing_values():
    chart = line_chart(
        chart_id="c",
        title="t",
        x_labels=["a", "b", "c"],
        series=[("one", "series-1", [1, 3, 5]), ("two", "series-2", [None, 2, 4])],
        y_min=1,
        y_max=5,
        y_ticks=[1, 3, 5],
        reference=3,
    )
    one, two = chart.series
    assert [p.x for p in one.points] == [chart.plot_left, (chart.plot_left + chart.plot_right) / 2, chart.plot_right]
    assert one.points[0].y == chart.plot_bottom and one.points[-1].y == chart.plot_top
    assert chart.reference.y == one.points[1].y
    assert len(two.points) == 2 and two.points[0].label == "b"
    assert one.polyline.count(",") == 3
