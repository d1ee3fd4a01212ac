"""Goal Attainment Scaling (Kiresuk & Sherman 1968) and the small server-side line charts.

`gas_t_score` is a pure function. `LineChart` holds the geometry of an inline SVG line chart that
`plans/_line_chart.html` draws (no JavaScript, no external library); it is used for the GAS T-score
over time in the evaluation section and for the social functioning trend in the assessment section.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

GAS_LEVELS = (-2, -1, 0, 1, 2)
LEVEL_FIELDS = ("level_minus2", "level_minus1", "level_0", "level_plus1", "level_plus2")
DEFAULT_RHO = 0.3


def gas_t_score(levels: list[int], weights: list[float] | None = None, rho: float = DEFAULT_RHO) -> float:
    """T = 50 + 10·Σ(wᵢxᵢ) / sqrt((1−ρ)·Σwᵢ² + ρ·(Σwᵢ)²), with ρ the assumed correlation between goals."""
    if not levels:
        raise ValueError("At least one goal level is needed.")
    if any(isinstance(x, bool) or x not in GAS_LEVELS for x in levels):
        raise ValueError("Every level must be one of -2, -1, 0, +1, +2.")
    if weights is None:
        weights = [1.0] * len(levels)
    if len(weights) != len(levels):
        raise ValueError("Give one weight per level.")
    if any(not w > 0 for w in weights):
        raise ValueError("Every weight must be positive.")
    if not 0 <= rho < 1:
        raise ValueError("rho must be in [0, 1).")
    weighted = sum(w * x for w, x in zip(weights, levels, strict=True))
    denominator = math.sqrt((1 - rho) * sum(w * w for w in weights) + rho * sum(weights) ** 2)
    return 50 + 10 * weighted / denominator


# --- Inline SVG line charts ------------------------------------------------------------------------


@dataclass
class ChartPoint:
    x: float
    y: float
    label: str  # date label shown under the x axis
    value: str  # the value, for the point's tooltip


@dataclass
class ChartSeries:
    name: str
    css_class: str
    points: list[ChartPoint] = field(default_factory=list)

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass
class ChartTick:
    y: float
    label: str


@dataclass
class LineChart:
    """Geometry of a line chart in a fixed viewBox; coordinates are SVG user units."""

    chart_id: str
    title: str
    series: list[ChartSeries]
    x_labels: list[ChartPoint]
    y_ticks: list[ChartTick]
    reference: ChartTick | None = None
    width: int = 320
    height: int = 200
    left: int = 48
    right: int = 12
    top: int = 12
    bottom: int = 52

    @property
    def plot_left(self) -> int:
        return self.left

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def plot_top(self) -> int:
        return self.top

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom

    @property
    def label_y(self) -> int:
        return self.plot_bottom + 14


def line_chart(
    *,
    chart_id: str,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float | None]]],
    y_min: float,
    y_max: float,
    y_ticks: Sequence[float],
    reference: float | None = None,
    value_format: str = "{:.0f}",
    tick_format: str = "{:.0f}",
) -> LineChart:
    """Lay out `series` (name, css class, one value per x label; None = no point) over `x_labels`."""
    chart = LineChart(chart_id=chart_id, title=title, series=[], x_labels=[], y_ticks=[])
    span_x = chart.plot_right - chart.plot_left
    count = len(x_labels)

    def x_of(i: int) -> float:
        return chart.plot_left + span_x / 2 if count == 1 else chart.plot_left + span_x * i / (count - 1)

    def y_of(value: float) -> float:
        value = min(max(value, y_min), y_max)
        return chart.plot_bottom - (chart.plot_bottom - chart.plot_top) * (value - y_min) / (y_max - y_min)

    chart.x_labels = [ChartPoint(x=x_of(i), y=chart.label_y, label=label, value="") for i, label in enumerate(x_labels)]
    chart.y_ticks = [ChartTick(y=y_of(v), label=tick_format.format(v)) for v in y_ticks]
    if reference is not None:
        chart.reference = ChartTick(y=y_of(reference), label=tick_format.format(reference))
    for name, css_class, values in series:
        s = ChartSeries(name=name, css_class=css_class)
        for i, value in enumerate(values):
            if value is not None:
                s.points.append(
                    ChartPoint(x=x_of(i), y=y_of(value), label=x_labels[i], value=value_format.format(value))
                )
        chart.series.append(s)
    return chart
