"""Server-rendered SVG line charts: coordinates computed here, drawn by a template."""

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 600, 220, 32


@dataclass(frozen=True)
class Chart:
    points: str  # "x,y x,y …" for <polyline>
    dots: list[tuple[float, float, str, float]]  # x, y, label, value
    baseline_y: float
    target_y: float
    width: int = WIDTH
    height: int = HEIGHT


def line_chart(series: list[tuple[str, float]], *, baseline: float, target: float) -> Chart | None:
    """Scale a series of (label, value) between its extremes, baseline and target included."""
    if not series:
        return None
    values = [value for _, value in series] + [baseline, target]
    low, high = min(values), max(values)
    span = (high - low) or 1.0

    def y(value):
        return round(HEIGHT - PAD - (value - low) / span * (HEIGHT - 2 * PAD), 1)

    step = (WIDTH - 2 * PAD) / max(len(series) - 1, 1)
    dots = [
        (round(PAD + i * step, 1), y(value), label, value)
        for i, (label, value) in enumerate(series)
    ]
    return Chart(
        points=" ".join(f"{x},{yy}" for x, yy, _, _ in dots),
        dots=dots,
        baseline_y=y(baseline),
        target_y=y(target),
    )
