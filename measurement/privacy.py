"""Sponsors see aggregates only: a figure computed from too few learners is withheld.

This module holds the threshold, how a withheld figure is marked (None in its place and a
`suppressed` flag beside it) and a review's figures as sponsors may read them. The readers
of each table (overview.py, dashboard.py, experiences.py) say which group a figure rests
on and ask `suppressed`/`withhold`; templates and CSV writers show what they are given and
decide nothing.
"""

from programs.models import Enrolment

# Below this many learners a figure could identify a person.
MIN_GROUP = 5


def suppressed(learners: int | None) -> bool:
    return learners is not None and learners < MIN_GROUP


def group_size(learners: int) -> int | None:
    """A group's size, or None when it is too small to say (shown as "fewer than 5")."""
    return None if suppressed(learners) else learners


def withhold(hidden: bool, **figures) -> dict:
    """The figures, or None in place of each when `hidden`, with `suppressed` saying so."""
    return {
        **{name: None if hidden else value for name, value in figures.items()},
        "suppressed": hidden,
    }


def snapshot_learners(snapshot: dict) -> int:
    """How many learners a review's figures were computed from: those not withdrawn then."""
    counts = snapshot.get("enrolments", {})
    return sum(n for status, n in counts.items() if status != Enrolment.Status.WITHDRAWN)


def review_figures(snapshot: dict, *, program_hidden: bool = False) -> dict:
    """A review's headline figures as a sponsor may read them, on the dashboard, on the
    review's own page and in the CSV alike.

    Everything is withheld when the review counted fewer than MIN_GROUP learners; the
    median time to competency also when fewer than MIN_GROUP reached it (a median of a
    handful is a person's own figure); a competency's proficiency change when fewer than
    MIN_GROUP learners were assessed in it. Figures with no data stay None, not hidden.
    `program_hidden` hides them all too: the program is now too small to show, and its
    latest review beside today's figures would tell who left. The outcome metrics are never
    withheld: a review rolls up the program's own values, not any learner's.
    """
    hidden = program_hidden or suppressed(snapshot_learners(snapshot))
    completion = snapshot.get("pathway_completion") or {}
    compliance = snapshot.get("feedback_window_compliance") or {}
    assignments = snapshot.get("assignments") or {}
    reached = snapshot.get("competency_reached", 0)
    return {
        "suppressed": hidden,
        "pathway_completion": withhold(
            hidden,
            share=completion.get("share"),
            completed=completion.get("steps_completed"),
            total=completion.get("steps_total"),
        ),
        "median_days_to_competency": withhold(
            hidden or (reached > 0 and suppressed(reached)),
            days=snapshot.get("median_days_to_competency"),
            learners=reached,
        ),
        "feedback_window_compliance": withhold(
            hidden,
            share=compliance.get("share"),
            met=compliance.get("met"),
            windows=compliance.get("met", 0) + compliance.get("missed", 0),
        ),
        "assignments": withhold(
            hidden,
            submitted=assignments.get("completed", 0),
            presented=assignments.get("presented", 0),
        ),
        "proficiency": [
            {
                "code": code,
                **withhold(
                    hidden or suppressed(row["learners"]),
                    learners=row["learners"],
                    baseline=row["baseline"],
                    latest=row["latest"],
                    change=row["change"],
                ),
            }
            for code, row in (snapshot.get("proficiency_change") or {}).items()
        ],
        "outcome_metrics": snapshot.get("outcome_metrics") or [],
    }
