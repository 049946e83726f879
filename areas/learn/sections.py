"""The learner's pathway and objectives pages, a section per enrolment, kept rendered while
what they show holds still.

A pathway section shows a great deal: every step with its objectives, its rule and where
the learner stands on it, the latest coaching sessions and debriefs, the latest
assignments, what competency still asks; an objectives section every objective with the
newest evidence against it. Reading and rendering one takes a dozen queries and a long
template, and a learner opens these pages far more often than any of it changes. So each
section is kept in the cache, rendered, under its *version*: one query reads, for each of
the learner's enrolments, how many rows of each kind the sections read, when the newest
of them changed, and the names of the people they show. A change to anything a section
shows changes its version and so its key: a changed section is not found, and is read
and rendered again; nothing is ever invalidated, so a cache of each process's own will
do. The day, time zone and language the learner reads it in are part of the key too, and
a section whose evidence rule counts the observations of the last days is kept only
until the oldest of them leaves the span.

This rests on every row a section reads recording when it last changed (the
TimeStampedModel rows: saves, model_update and progression's bulk writes all set
`updated_at`). A new kind of row on these pages needs its stamp here; the tests beside
them change each kind and look for the change on the next view.
"""

import hashlib

from django.core.cache import cache
from django.db.models import Aggregate, CharField, Count, Max, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Cast, Concat
from django.template.loader import render_to_string
from django.utils import timezone, translation

from coaching.models import (
    CoachingSession,
    Commitment,
    Debrief,
    DebriefAction,
    Feedback,
    Observation,
)
from coaching.records import coaching_records
from measurement.learners import objectives_for_learner
from measurement.models import Assessment
from objectives.models import Competency, LearningObjective, PerformanceObjective
from programs.models import Assignment, Enrolment, Step, StepProgress, StepSignOff, SuccessCriterion
from programs.progression import competency_standings
from programs.selectors import pathway_order, pathways_for_learner
from talentdev.core.prepared import PreparedQuery

# How long a section is kept when nothing in it changes with time alone. Its key changes
# with what it shows; this only bounds how long an unread one takes room.
KEPT = 60 * 60


class _Joined(Aggregate):
    """The distinct values of a group joined by commas (PostgreSQL's STRING_AGG, SQLite's
    GROUP_CONCAT): to tell whether any of them changed, not to show."""

    function = "STRING_AGG"
    template = "%(function)s(%(distinct)s%(expressions)s, ',')"
    allow_distinct = True
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(distinct)s%(expressions)s)",
            **extra,
        )


def _text(expression):
    return Cast(expression, output_field=CharField())


def _stamp(rows, group: str, *moments: str, person: str = ""):
    """For the rows of one enrolment (or program), grouped by `group`, one text: how many
    there are, when the newest changed and the other `moments` named, and the names of
    the people `person` reaches from them."""
    parts = [_text(Count("pk")), _text(Max("updated_at"))]
    parts += [_text(Max(moment)) for moment in moments]
    if person:
        parts.append(
            _Joined(
                Concat(
                    f"{person}__first_name",
                    Value(" "),
                    f"{person}__last_name",
                    Value(" "),
                    f"{person}__username",
                    output_field=TextField(),
                ),
                distinct=True,
            )
        )
    separated = []
    for part in parts:
        separated += [part, Value("|")]
    stamp = Concat(*separated[:-1], output_field=TextField())
    return Subquery(rows.order_by().values(group).annotate(stamp=stamp).values("stamp"))


def _versions_query(learner: int, stamps: dict):
    """For each of the learner's current enrolments, in the order the pathway page shows
    them: the enrolment, its program and the people on it, and the `stamps`."""
    people = [
        f"{role}__{name}"
        for role in ("supervisor", "coach")
        for name in ("first_name", "last_name", "username")
    ]
    return (
        Enrolment.objects.current()
        .filter(learner=learner)
        .annotate(**stamps)
        .order_by(*pathway_order())
        .values(
            "pk",
            "status",
            "enrolled_on",
            "completed_on",
            "competent_on",
            "updated_at",
            "pathway_id",
            "program_id",
            "program__updated_at",
            *people,
            *stamps,
        )
    )


_ENROLMENT, _PROGRAM = OuterRef("pk"), OuterRef("program_id")


def _shared_stamps() -> dict:
    """What both pages read: the assignments, their criteria and debriefs (an objective met
    in a debrief), the observations, the assessments, the program's objectives."""
    return {
        "assignments_stamp": _stamp(Assignment.objects.filter(enrolment=_ENROLMENT), "enrolment"),
        "criteria_stamp": _stamp(
            SuccessCriterion.objects.filter(assignment__enrolment=_ENROLMENT),
            "assignment__enrolment",
        ),
        "debriefs_stamp": _stamp(
            Debrief.objects.filter(enrolment=_ENROLMENT), "enrolment", person="facilitator"
        ),
        "learning_stamp": _stamp(
            LearningObjective.objects.filter(program=_PROGRAM), "program", "competency__updated_at"
        ),
        "performance_stamp": _stamp(
            PerformanceObjective.objects.filter(program=_PROGRAM), "program"
        ),
    }


def _pathway_versions(learner: int):
    """The version of each pathway section (see pathways_for_learner, coaching_records and
    competency_standings)."""
    return _versions_query(
        learner,
        {
            **_shared_stamps(),
            "steps_stamp": _stamp(Step.objects.filter(pathway=OuterRef("pathway_id")), "pathway"),
            "progress_stamp": _stamp(
                StepProgress.objects.filter(enrolment=_ENROLMENT), "enrolment"
            ),
            "sign_offs_stamp": _stamp(
                StepSignOff.objects.filter(progress__enrolment=_ENROLMENT),
                "progress__enrolment",
                person="by",
            ),
            "observations_stamp": _stamp(
                Observation.objects.filter(enrolment=_ENROLMENT), "enrolment"
            ),
            "sessions_stamp": _stamp(
                CoachingSession.objects.filter(enrolment=_ENROLMENT), "enrolment", person="coach"
            ),
            "commitments_stamp": _stamp(
                Commitment.objects.filter(session__enrolment=_ENROLMENT), "session__enrolment"
            ),
            "actions_stamp": _stamp(
                DebriefAction.objects.filter(debrief__enrolment=_ENROLMENT),
                "debrief__enrolment",
                person="owner",
            ),
            "assessments_stamp": _stamp(
                Assessment.objects.filter(enrolment=_ENROLMENT), "enrolment"
            ),
            # What competency asks of a program without learning objectives yet.
            "competencies_stamp": _stamp(
                Competency.objects.filter(framework=OuterRef("program__framework_id")),
                "framework",
            ),
        },
    )


def _objectives_versions(learner: int):
    """The version of each objectives section (see objectives_for_learner)."""
    return _versions_query(
        learner,
        {
            **_shared_stamps(),
            "observations_stamp": _stamp(
                Observation.objects.filter(enrolment=_ENROLMENT), "enrolment", person="observer"
            ),
            "feedback_stamp": _stamp(
                Feedback.objects.filter(observation__enrolment=_ENROLMENT),
                "observation__enrolment",
                person="giver",
            ),
            "assessments_stamp": _stamp(
                Assessment.objects.filter(enrolment=_ENROLMENT),
                "enrolment",
                "assessed_level__updated_at",
            ),
        },
    )


# Every visit to a page reads its versions; built once, they cost the page nearly nothing.
_VERSIONS = {
    "pathway": PreparedQuery(
        _pathway_versions, name="pathway_versions", parameters={"learner": int}
    ),
    "objectives": PreparedQuery(
        _objectives_versions, name="objectives_versions", parameters={"learner": int}
    ),
}


def _keys(learner, page: str) -> dict[int, str]:
    """Each current enrolment's key for its section of `page`, by enrolment id, in the
    order the page shows them: the pathway page's (pathway_order), or, on the objectives
    page, their programs'."""
    # Overdue steps are judged on the learner's day; dates are shown in their time zone.
    reader = (
        page,
        str(timezone.localdate()),
        timezone.get_current_timezone_name(),
        translation.get_language() or "",
    )
    rows = _VERSIONS[page].rows(learner=learner.pk)
    if page == "objectives":
        rows.sort(key=lambda row: row["program_id"])
    keys = {}
    for row in rows:
        version = repr((sorted(row.items()), reader)).encode()
        keys[row["pk"]] = f"learn:{page}:{row['pk']}:{hashlib.sha256(version).hexdigest()}"
    return keys


def _pathways_rendered(learner) -> dict[int, tuple[str, int]]:
    """Each current enrolment's pathway section read and rendered now, with how long it
    holds."""
    pathways = pathways_for_learner(learner=learner)
    enrolments = [view.enrolment for view in pathways]
    records = coaching_records(enrolments)
    standings = competency_standings(enrolments)
    now = timezone.now()
    rendered = {}
    for view in pathways:
        pk = view.enrolment.pk
        html = render_to_string(
            "learn/partials/_pathway.html",
            {"view": view, "record": records[pk], "standing": standings[pk]},
        )
        until = view.holds_until
        kept = KEPT if until is None else max(1, min(KEPT, int((until - now).total_seconds())))
        rendered[pk] = (html, kept)
    return rendered


def _objectives_rendered(learner) -> dict[int, tuple[str, int]]:
    """Each current enrolment's objectives section read and rendered now."""
    return {
        item["enrolment"].pk: (
            render_to_string("learn/partials/_objectives.html", {"item": item}),
            KEPT,
        )
        for item in objectives_for_learner(learner=learner)
    }


def _sections(learner, page: str, rendered_now) -> list[str]:
    """The learner's sections of `page`, in order: from the cache where their version is
    there, read and rendered by `rendered_now(learner)` otherwise."""
    keys = _keys(learner, page)
    found = cache.get_many(keys.values())
    if len(found) < len(keys):
        rendered = rendered_now(learner)
        # Kept only if nothing changed while it was read, so that a key names what it shows.
        unchanged = _keys(learner, page) == keys
        for pk, key in keys.items():
            if key not in found and pk in rendered:
                html, kept = rendered[pk]
                if unchanged:
                    cache.set(key, html, kept)
                found[key] = html
    return [found[key] for key in keys.values() if key in found]


def pathway_sections(learner) -> list[str]:
    """The learner's pathway page: a rendered section per current enrolment."""
    return _sections(learner, "pathway", _pathways_rendered)


def objectives_sections(learner) -> list[str]:
    """The learner's objectives page: a rendered section per current enrolment."""
    return _sections(learner, "objectives", _objectives_rendered)
