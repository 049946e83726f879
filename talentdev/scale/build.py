"""Building the generated company: the refusals, the optional reset, the parts in order, and
what was built."""

import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from coaching.models import (
    CoachingSession,
    Feedback,
    FeedbackWindow,
    KeptCalibrationRow,
    Observation,
    Reflection,
)
from measurement.models import (
    Assessment,
    BenefitEstimate,
    CostItem,
    Measurement,
    OutcomeMetric,
    ProgramFigures,
    SponsorReview,
)
from measurement.refresh import refresh_program_figures
from measurement.rollups import sponsor_reviews_roll_up
from measurement.services import values_recounted
from objectives.models import (
    BehaviouralIndicator,
    Competency,
    CompetencyFramework,
    LearningObjective,
    PerformanceObjective,
    ProficiencyLevel,
    ProficiencyScale,
)
from people.models import JobRole, OrgUnit, User
from programs.models import (
    Cohort,
    Enrolment,
    Pathway,
    Program,
    ProgressEvent,
    Step,
    StepProgress,
    StepSignOff,
)

from .company import USER_FIELDS, build_company
from .design import build_programs
from .histories import build_histories
from .measures import build_measurements
from .writer import Writer

PEOPLE, ENROLMENTS = 51_000, 79_000
HANDFUL = 5  # people a database may already hold (say, an admin) for a build to go ahead
PRODUCT_APPS = ("people", "objectives", "programs", "coaching", "measurement")
# Apps whose records point at people and go with them: the API's clients, and the OAuth
# server's clients and tokens and the account app's addresses behind them.
POINTING_AT_PEOPLE = ("api", "allauth_idp_oidc", "account")
TS = ("created_at", "updated_at")

# Every table written, parents before children, with the fields each row gives in order
# (a model with a public id gets its `uuid` from the writer).
TABLES = (
    (JobRole, ("id", "code", "title", "description", *TS)),
    (OrgUnit, ("id", "name", "code", "parent", *TS)),
    (User, USER_FIELDS),
    (User.user_permissions.through, ("id", "user", "permission")),
    (CompetencyFramework, ("id", "name", "version", "status", "description", "published_at", *TS)),
    (ProficiencyScale, ("id", "framework", "name", *TS)),
    (ProficiencyLevel, ("id", "scale", "rank", "name", "description", *TS)),
    (
        Competency,
        ("id", "framework", "parent", "code", "name", "description", "strategic_rationale")
        + ("scale", *TS),
    ),
    (BehaviouralIndicator, ("id", "competency", "level", "description", *TS)),
    (
        Program,
        ("id", "name", "slug", "business_goal", "description", "owner", "framework", "starts_on")
        + ("ends_on", "status", "cost", "currency", "competency_needs_objectives")
        + ("competency_min_rank", *TS),
    ),
    (Program.sponsors.through, ("id", "program", "user")),
    (
        LearningObjective,
        ("id", "program", "competency", "statement", "bloom_level", "assessment_method", *TS),
    ),
    (
        PerformanceObjective,
        ("id", "program", "statement", "action", "condition", "measure", "measure_unit")
        + ("target_comparator", "target_value", "time_window", "time_window_anchor")
        + ("review_date", "evidence_method", "feedback_window", *TS),
    ),
    (
        PerformanceObjective.learning_objectives.through,
        ("id", "performanceobjective", "learningobjective"),
    ),
    (Pathway, ("id", "program", "version", "status", "published_at", "change_note", *TS)),
    (
        Step,
        ("id", "pathway", "position", "kind", "title", "description", "difficulty")
        + ("expected_duration", "gate_min_observations", "gate_min_rating")
        + ("gate_min_observers", "gate_within_days", "completed_by", "assessment_min_rank")
        + ("with_previous", "skippable", "due_days", "due_from", *TS),
    ),
    (Step.learning_objectives.through, ("id", "step", "learningobjective")),
    (Step.performance_objectives.through, ("id", "step", "performanceobjective")),
    (Cohort, ("id", "program", "name", "starts_on", "ends_on", *TS)),
    (
        OutcomeMetric,
        ("id", "program", "name", "kind", "unit", "direction", "aggregation", "baseline")
        + ("target", "money_value_per_unit", "values_count", *TS),
    ),
    (OutcomeMetric.performance_objectives.through, ("id", "outcomemetric", "performanceobjective")),
    (
        BenefitEstimate,
        ("id", "metric", "isolation_method", "isolation_note", "attribution_percent")
        + ("confidence_percent", "occurrences_per_year", "units_affected", *TS),
    ),
    (
        CostItem,
        ("id", "program", "category", "description", "incurred_on", "amount", "hours", "people")
        + ("hourly_rate", "recorded_by", *TS),
    ),
    (
        Enrolment,
        ("id", "learner", "program", "pathway", "cohort", "supervisor", "coach", "status")
        + ("enrolled_on", "completed_on", "competent_on", *TS),
    ),
    (
        StepProgress,
        ("id", "enrolment", "step", "status", "due_on", "started_at", "completed_at", *TS),
    ),
    (StepSignOff, ("id", "progress", "decision", "by", "note", "at", *TS)),
    (
        ProgressEvent,
        ("id", "type", "enrolment", "step", "from_status", "to_status", "occurred_at", "cause")
        + ("actor", "detail", "recorded_at"),
    ),
    (
        Observation,
        ("id", "enrolment", "learner", "observer", "performance_objective", "assignment")
        + ("observed_at", "rating", "behaviour", "evidence", *TS),
    ),
    (FeedbackWindow, ("id", "observation", "opens_at", "closes_at", "status", "resolved_at", *TS)),
    (
        Feedback,
        ("id", "observation", "giver", "specific_example", "impact_on_team_goals", "suggestion")
        + ("delivered_at", *TS),
    ),
    (Reflection, ("id", "enrolment", "step", "written_at", "body", "next_action", *TS)),
    (CoachingSession, ("id", "enrolment", "coach", "held_at", "focus", "notes", *TS)),
    (
        Assessment,
        ("id", "enrolment", "competency", "learning_objective", "kind", "assessed_level")
        + ("score", "assessor", "assessed_on", "notes", *TS),
    ),
    (
        Measurement,
        ("id", "metric", "enrolment", "measured_at", "value", "source", "note", "recorded_by") + TS,
    ),
)


class Refused(Exception):
    """The build would be unsafe or impossible here; the message says why."""


def refusal(*, reset: bool) -> str | None:
    """Why the build must not run on this database, or None."""
    if settings.PRODUCTION:
        return "seed_scale writes a generated company: it never runs in production."
    if connection.vendor != "postgresql":
        return (
            f"seed_scale needs PostgreSQL (it loads with COPY); this database is "
            f"{connection.vendor}. Set DATABASE_URL to a scratch PostgreSQL database."
        )
    if reset:
        return None
    people, programs = User.objects.count(), Program.objects.count()
    if people > HANDFUL or programs:
        return (
            f"This database already holds {people:,} people and {programs:,} programs. "
            "seed_scale builds into an empty database (at most "
            f"{HANDFUL} people, no programs): use a scratch database, or pass --reset to "
            "empty the product's tables first."
        )
    return None


def product_tables() -> list[str]:
    """The tables --reset empties: every model's of the product's apps, their many-to-many
    tables, those of the apps that point at people, and the admin's log, which does too."""
    tables = {"django_admin_log"}
    for label in PRODUCT_APPS + POINTING_AT_PEOPLE:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    return sorted(tables)


def reset() -> None:
    """Empty the product's tables in one statement (refused by PostgreSQL if any other
    table still points at them, so nothing outside them is touched)."""
    names = ", ".join(f'"{name}"' for name in product_tables())
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {names} RESTART IDENTITY")  # noqa: S608 - our own names


@dataclass
class Built:
    """What a build wrote: rows per table, seconds per part, and whom to log in as."""

    rows: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)
    logins: dict = field(default_factory=dict)


def build(*, scale: float = 1.0, seed: int = 1, empty_first: bool = False, say=print) -> Built:
    problem = refusal(reset=empty_first)
    if problem:
        raise Refused(problem)
    if scale <= 0:
        raise Refused("--scale must be more than 0.")
    built, writer = Built(), Writer(seed=seed)
    for model, fields in TABLES:
        writer.table(model, fields)
    rng = random.Random(seed)  # noqa: S311 - generated figures, not security
    now = timezone.now().replace(microsecond=0)

    def part(name, work):
        started = time.perf_counter()
        result = work()
        writer.flush(wait=True)
        built.seconds[name] = time.perf_counter() - started
        say(f"  {name:<34}{built.seconds[name]:>8.1f} s")
        return result

    if empty_first:
        part("reset (truncate product tables)", reset)
    people = max(SIZE_FLOOR, round(PEOPLE * scale))
    company = part(
        "people and org chart",
        lambda: build_company(writer, rng, people=people, now=now, seed=seed),
    )
    enrolments = max(1, round(ENROLMENTS * scale))
    plans = part(
        "programs and pathways",
        lambda: build_programs(writer, rng, company, enrolments=enrolments, now=now),
    )
    lived = part(
        "enrolments, progress and evidence",
        lambda: build_histories(writer, rng, plans, company, now=now),
    )
    part(
        "measurements",
        lambda: build_measurements(writer, rng, plans, lived, now=now, scale=scale),
    )
    part("sequences", writer.finish)
    part("metrics' value counts", values_recounted)
    part("VACUUM ANALYZE", _vacuum_analyze)
    # What the jobs would have made of that history, made by the jobs' own code.
    part("sponsor reviews (weekly rollup)", lambda: _weekly_reviews(now))
    part("sponsor figures and calibration (their job)", refresh_program_figures)
    built.rows = {model._meta.label: writer.written(model) for model, _f in TABLES}
    built.rows.update(
        {
            model._meta.label: model.objects.count()
            for model in (SponsorReview, ProgramFigures, KeptCalibrationRow)
        }
    )
    built.logins = _logins(company, plans)
    return built


SIZE_FLOOR = 60  # enough people for every role and a manager above each learner


# Weeks of sponsor reviews rolled up, so a program has reviews to read and compare.
REVIEW_WEEKS = 4


def _weekly_reviews(now):
    for weeks_ago in range(REVIEW_WEEKS):
        sponsor_reviews_roll_up(now=now - timedelta(weeks=weeks_ago))


def _vacuum_analyze():
    """Statistics for the planner, and the visibility map a database kept by autovacuum
    has: without it no index-only scan is planned and timings are not production's."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _logins(company, plans) -> dict:
    """One person of each role, by username: the big programs' sponsor and owner, a busy
    supervisor and a learner on a big program."""
    big = plans[0]
    busiest = (
        Enrolment.objects.filter(program_id=big.id)
        .values("supervisor")
        .annotate(n=Count("id"))
        .order_by("-n", "supervisor")
        .first()
    )
    learner = (
        Enrolment.objects.filter(program_id=big.id, status=Enrolment.Status.ACTIVE)
        .order_by("learner_id")
        .values_list("learner_id", flat=True)
        .first()
    )
    name = company.username
    return {
        "sponsor (sponsors the big programs)": name[company.sponsors[0]],
        "program designer (owns the big programs)": name[big.owner],
        "HR admin": name[company.hr[0]],
        "manager (supervises the most on the first big program)": name.get(
            busiest["supervisor"] if busiest else None, "-"
        ),
        "learner (active on the first big program)": name.get(learner, "-"),
    }
