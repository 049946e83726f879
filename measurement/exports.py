"""Sponsor dashboard tables as CSV rows, from the same data the page shows.

Each table is a function from the dashboard's data to a header row and its rows. What is
withheld was decided by measurement.privacy before it got here: a row marked suppressed is
written as "suppressed", never as a number.
"""

from talentdev.core.csv_sql import FORMULA_STARTS

from .privacy import MIN_GROUP

HIDDEN = "suppressed"
# A group too small to say how small.
FEW = f"<{MIN_GROUP}"


def _cells(row, *names):
    """The named figures of a row, or "suppressed" in their place when it is withheld."""
    if row["suppressed"]:
        return [HIDDEN] + [""] * (len(names) - 1)
    return [row[name] for name in names]


def safe_row(row):
    """Text a spreadsheet would run as a formula (a story titled "=HYPERLINK(…)") is written
    with a leading apostrophe; numbers, negative ones included, stay numbers."""
    return [
        f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell
        for cell in row
    ]


def metrics(data):
    yield ["metric", "unit", "direction", "month", "value", "baseline", "target"]
    for item in data["metrics"]:
        metric = item["metric"]
        for label, value in item["series"]:
            yield [
                metric.name,
                metric.unit,
                metric.direction,
                label,
                value,
                metric.baseline,
                metric.target,
            ]


def proficiency(data):
    yield ["competency", "learners", "baseline", "latest", "change"]
    for row in data["latest_figures"]["proficiency"] if data["latest_figures"] else []:
        yield [row["code"], *_cells(row, "learners", "baseline", "latest", "change")]


def reviews(data):
    yield ["first_day", "last_day", "status", "generated_at"]
    for review in data["reviews"]:
        yield [review.period_start, review.last_day, review.status, review.generated_at]


def snapshot(data):
    """The latest review's headline figures, one per row."""
    yield ["figure", "value", "of"]
    figures = data["latest_figures"]
    if not figures:
        return
    rows = [
        ("steps completed", figures["pathway_completion"], "completed", "total"),
        ("median days to competency", figures["median_days_to_competency"], "days", "learners"),
        ("feedback windows met", figures["feedback_window_compliance"], "met", "windows"),
    ]
    for name, row, value, whole in rows:
        yield [name, *_cells(row, value, whole)]
    assignments = figures["assignments"]
    yield ["assignments submitted", *_cells(assignments, "submitted"), ""]
    yield ["assignments presented", *_cells(assignments, "presented"), ""]


def funnel(data):
    yield ["position", "step", "learners", "completed"]
    for row in data["funnel"]:
        yield [row["position"], row["title"], *_cells(row, "learners", "completed")]


def time_to_competency(data):
    yield ["reached_within", "learners"]
    for row in data["time_to_competency"]["rows"]:
        yield [row["label"], *_cells(row, "learners")]


def knows_and_does(data):
    yield [
        "competency",
        "name",
        "assessed_learners",
        "assessed_level",
        "observed_learners",
        "observed_rating",
    ]
    for row in data["knows_and_does"]:
        figures = _cells(row, "assessed_learners", "level", "observed_learners", "rating")
        yield [row["code"], row["name"], *figures]


def experiences(data):
    yield [
        "metric",
        "type",
        "experience",
        "completed_n",
        "others_n",
        "completed_mean_change",
        "others_mean_change",
        "effect_size_d",
    ]
    for row in data["experiences"]:
        yield [
            row["metric"].name,
            row["experience_type"],
            row["kind"],
            FEW if row["completed_size"] is None else row["completed_size"],
            FEW if row["others_size"] is None else row["others_size"],
            *_cells(row, "completed_change", "others_change", "effect_size"),
        ]


def stories(data):
    yield ["title", "result", "story", "metric"]
    for story in data["stories"]:
        yield [story.title, story.result, story.story, story.metric.name if story.metric else ""]


def roi(data):
    """Costs by category, then each benefit, then the totals; each with how it was reached."""
    report = data["roi"]
    yield ["section", "item", "amount", "currency", "how"]
    for row in report.costs:
        yield ["cost", row.label, row.total, report.currency, f"{row.lines} ledger lines"]
    for benefit in report.benefits:
        yield [
            "benefit",
            benefit.metric.name,
            "" if benefit.value is None else benefit.value,
            report.currency,
            " | ".join(benefit.steps) or benefit.missing,
        ]
    yield ["total", "costs", report.total_cost, report.currency, report.how.get("costs", "")]
    yield [
        "total",
        "benefits",
        report.total_benefit,
        report.currency,
        report.how.get("benefits", ""),
    ]
    yield ["total", "net benefit", report.net_benefit, report.currency, "benefits - costs"]
    for name, value, how in (
        ("benefit-cost ratio", report.bcr, "bcr"),
        ("ROI %", report.roi_percent, "roi"),
    ):
        yield ["total", name, "" if value is None else value, "", report.how.get(how, "")]


DASHBOARD_TABLES = {
    "metrics": metrics,
    "proficiency": proficiency,
    "reviews": reviews,
    "snapshot": snapshot,
    "funnel": funnel,
    "time_to_competency": time_to_competency,
    "knows_and_does": knows_and_does,
    "experiences": experiences,
    "stories": stories,
    "roi": roi,
}


def overview(data):
    """The sponsor overview: a row per program, then the totals."""
    yield [
        "program",
        "status",
        "learners",
        "completed",
        "reached_competency",
        "steps_completed_share",
        "feedback_windows_met_share",
        "metrics_on_target",
        "metrics_measured",
        "latest_review",
    ]
    figures = ("learners", "completed", "competent", "steps_share", "compliance")
    for row in data["rows"]:
        program = row["program"]
        yield [
            program.name,
            program.status,
            *_cells(row, *figures),
            row["metrics_on_target"],
            row["metrics_measured"],
            program.review_status or "",
        ]
    if data["totals"]:
        totals = data["totals"]
        yield [
            "Programs shown" if data["hidden"] else "All programs",
            "",
            *_cells(totals, *figures),
            totals["metrics_on_target"],
            totals["metrics_measured"],
            "",
        ]
