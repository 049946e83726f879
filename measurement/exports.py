"""Sponsor dashboard tables as CSV rows, with the same suppression as on screen.

Each table is a function from the dashboard's data to a header row and its rows. A
figure hidden on screen is written as "suppressed", never as a number.
"""

from .privacy import MIN_GROUP, suppressed

HIDDEN = "suppressed"


def _hidden(hide: bool, *values):
    return [HIDDEN] + [""] * (len(values) - 1) if hide else list(values)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_row(row):
    """Text a spreadsheet would run as a formula (a story titled "=HYPERLINK(…)") is written
    with a leading apostrophe; numbers, negative ones included, stay numbers."""
    return [
        f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell
        for cell in row
    ]


def _size(learners):
    """A group's size, or only that it is too small to say."""
    return f"<{MIN_GROUP}" if suppressed(learners) else learners


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
    for row in data["proficiency"]:
        hide = row["suppressed"] or data["suppressed"]
        yield [
            row["code"],
            *_hidden(hide, row["learners"], row["baseline"], row["latest"], row["change"]),
        ]


def reviews(data):
    yield ["period_start", "period_end", "status", "generated_at"]
    for review in data["reviews"]:
        yield [review.period_start, review.period_end, review.status, review.generated_at]


def snapshot(data):
    """The latest review's headline figures, one per row."""
    yield ["figure", "value", "of"]
    snap, hide = data["snapshot"], data["suppressed"]
    if not snap:
        return
    reached = snap.get("competency_reached", 0)
    completion = snap["pathway_completion"]
    compliance = snap["feedback_window_compliance"]
    assignments = snap["assignments"]
    figures = [
        ("steps completed", completion["steps_completed"], completion["steps_total"]),
        ("median days to competency", snap["median_days_to_competency"], reached),
        ("feedback windows met", compliance["met"], compliance["met"] + compliance["missed"]),
        ("assignments submitted", assignments["completed"], ""),
        ("assignments presented", assignments["presented"], ""),
    ]
    for name, value, whole in figures:
        # A median of a handful is a person's own figure; hide it like the rest.
        few = name == "median days to competency" and suppressed(reached)
        yield [name, *_hidden(hide or few, value, whole)]


def funnel(data):
    yield ["position", "step", "learners", "completed"]
    for row in data["funnel"]:
        yield [
            row["step__position"],
            row["title"],
            *_hidden(data["suppressed"], row["learners"], row["completed"]),
        ]


def time_to_competency(data):
    yield ["reached_within", "learners"]
    hide = data["suppressed"] or data["time_to_competency_suppressed"]
    for row in data["time_to_competency"]:
        yield [row["label"], *_hidden(hide, row["learners"])]


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
        hide = row["suppressed"] or data["suppressed"]
        figures = [
            row["assessed_learners"],
            row["level"],
            row["observed_learners"],
            row["rating"],
        ]
        yield [row["code"], row["name"], *_hidden(hide, *figures)]


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
            row.get("experience_type", ""),
            row["kind"],
            _size(row["completed_n"]),
            _size(row["others_n"]),
            *_hidden(
                row["suppressed"], row["completed_change"], row["others_change"], row["effect_size"]
            ),
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

    def figures(row):
        return _hidden(
            row["suppressed"],
            row["learners"],
            row["completed"],
            row["competent"],
            row["steps_share"],
            row["compliance"],
        )

    for row in data["rows"]:
        program = row["program"]
        yield [
            program.name,
            program.status,
            *figures(row),
            row["metrics_on_target"],
            row["metrics_measured"],
            program.review_status or "",
        ]
    if data["totals"]:
        totals = data["totals"]
        yield [
            "Programs shown" if data["hidden"] else "All programs",
            "",
            *figures(totals),
            totals["metrics_on_target"],
            totals["metrics_measured"],
            "",
        ]
