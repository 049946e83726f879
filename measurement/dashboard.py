"""A program's outcome dashboard: every section a sponsor reads, suppressed where it must be."""

from datetime import timedelta

from django.db.models import Avg, Count, Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from coaching.models import Observation
from objectives.models import Competency, LearningObjective
from programs.history import competent_by, progress_at
from programs.models import Enrolment, current_enrolment

from .experiences import experience_effects
from .models import Assessment, SponsorReview, SuccessStory
from .privacy import group_size, review_figures, suppressed, withhold
from .roi import program_roi
from .rollups import time_to_competency
from .selectors import metric_series

RECENT_REVIEWS = 12


def program_dashboard(*, program) -> dict:
    """Every section of a program's dashboard, as the sponsor's page and its CSV tables
    show it: the latest review, completion by step, time to competency, knows and does,
    which experiences go with better results, success stories, the metrics by month and the
    return on investment.

    Each figure about learners is withheld where it rests on too few of them (the rules
    are measurement.privacy's): every section when the program has fewer than MIN_GROUP
    current learners, and a row or a group when it is small itself.
    """
    reviews = list(
        SponsorReview.objects.filter(program=program).order_by("-period_end")[:RECENT_REVIEWS]
    )
    latest = reviews[0] if reviews else None
    learners = program.enrolments.current().count()
    hidden = suppressed(learners)
    distribution = competency_time_distribution(program=program)
    # The spread of fewer than MIN_GROUP people's times would show each person's time.
    spread_hidden = hidden or suppressed(sum(row["learners"] for row in distribution))
    series = metric_series(program=program)
    return {
        "learners": learners,
        "suppressed": hidden,
        "latest": latest,
        "latest_figures": review_figures(latest.snapshot, program_hidden=hidden)
        if latest
        else None,
        "reviews": reviews,
        "funnel": [
            {
                "position": row["step__position"],
                "title": row["title"],
                **withhold(hidden, learners=row["learners"], completed=row["completed"]),
            }
            for row in completion_funnel(program=program)
        ],
        "time_to_competency": {
            "suppressed": spread_hidden,
            "rows": [
                {"label": row["label"], **withhold(spread_hidden, learners=row["learners"])}
                for row in distribution
            ],
        },
        "knows_and_does": [
            {
                "code": row["code"],
                "name": row["name"],
                **withhold(
                    hidden or row["suppressed"],
                    assessed_learners=row["assessed_learners"],
                    level=row["level"],
                    observed_learners=row["observed_learners"],
                    rating=row["rating"],
                ),
            }
            for row in knows_and_does(program=program)
        ],
        "experiences": [
            {
                **row,
                "completed_size": group_size(row["completed_n"]),
                "others_size": group_size(row["others_n"]),
            }
            for row in experience_effects(program=program)
        ],
        "stories": published_stories(program=program),
        "metrics": series,
        "roi": program_roi(program=program, series=series),
    }


def completion_funnel(*, program):
    """Per step position of the current pathway versions: learners who completed it, read
    from the progress history as of now, as sponsor reviews read it at a period's end."""
    rows = (
        progress_at(timezone.now(), Enrolment.objects.filter(program=program))
        .values("step__position")
        .annotate(
            learners=Count("enrolment", distinct=True),
            completed=Count("id", filter=Q(completed_then=True)),
            title=Max("step__title"),
        )
        .order_by("step__position")
    )
    return list(rows)


def competency_time_distribution(*, program):
    """How many learners reached competency within 30, 60, 90, 180 days and later: those
    whose history says they have, as in the reviews' median."""
    buckets = [30, 60, 90, 180]
    enrolments = (
        Enrolment.objects.filter(program=program)
        .filter(competent_by(timezone.now()))
        .annotate(took=time_to_competency())
    )
    counts = enrolments.aggregate(
        **{
            f"within_{days}": Count("id", filter=Q(took__lte=timedelta(days=days)))
            for days in buckets
        },
        total=Count("id"),
    )
    result, previous = [], 0
    for days in buckets:
        result.append({"label": f"≤ {days} days", "learners": counts[f"within_{days}"] - previous})
        previous = counts[f"within_{days}"]
    result.append({"label": f"> {buckets[-1]} days", "learners": counts["total"] - previous})
    return result


def knows_and_does(*, program):
    """Per competency: the learning level beside the performance level, so a gap shows.

    The learning level is the mean of each current learner's latest baseline or checkpoint
    level (a baseline taken before the program is not what they know now); the performance
    level is the mean rating of their observations on the performance objectives derived
    from the competency. A figure from fewer than MIN_GROUP learners is withheld (None) and
    its row marked suppressed; a side with no learners yet is None without hiding the other.
    """
    kinds = [Assessment.Kind.BASELINE, Assessment.Kind.CHECKPOINT]
    latest = (
        Assessment.objects.filter(
            enrolment=OuterRef("enrolment"), competency=OuterRef("competency"), kind__in=kinds
        )
        .order_by("-assessed_on", "-id")
        .values("id")[:1]
    )
    assessed = (
        Assessment.objects.filter(enrolment__program=program, kind__in=kinds, id=Subquery(latest))
        .filter(current_enrolment("enrolment__"))
        .values("competency__code", "competency__name")
        .annotate(learners=Count("enrolment", distinct=True), level=Avg("assessed_level__rank"))
    )
    # An objective may derive from several learning objectives of one competency; joining
    # through them would count its observations once for each, so a link is tested instead.
    observations = (
        Observation.objects.filter(enrolment__program=program)
        .filter(current_enrolment("enrolment__"))
        .filter(
            Exists(
                LearningObjective.objects.filter(
                    performance_objectives=OuterRef("performance_objective"),
                    competency=OuterRef(OuterRef("pk")),
                )
            )
        )
        .order_by()
        .values("enrolment__program")  # a single group: all of the competency's observations
    )
    observed = (
        Competency.objects.filter(
            pk__in=LearningObjective.objects.filter(program=program).values("competency")
        )
        .annotate(
            learners=Subquery(observations.annotate(n=Count("learner", distinct=True)).values("n")),
            rating=Subquery(observations.annotate(mean=Avg("rating")).values("mean")),
        )
        .filter(learners__gt=0)
        .values("code", "name", "learners", "rating")
    )
    rows = {
        row["competency__code"]: {
            "code": row["competency__code"],
            "name": row["competency__name"],
            "assessed_learners": row["learners"],
            "level": row["level"],
            "observed_learners": 0,
            "rating": None,
        }
        for row in assessed
    }
    for row in observed:
        entry = rows.setdefault(
            row["code"],
            {"code": row["code"], "name": row["name"], "assessed_learners": 0, "level": None},
        )
        entry["observed_learners"] = row["learners"]
        entry["rating"] = row["rating"]
    for entry in rows.values():
        entry["suppressed"] = False
        for learners, figure in (("assessed_learners", "level"), ("observed_learners", "rating")):
            if suppressed(entry[learners]):
                entry["suppressed"] = entry["suppressed"] or entry[learners] > 0
                entry[figure] = None
            else:
                entry[figure] = round(entry[figure], 2)
    return sorted(rows.values(), key=lambda entry: entry["code"])


def published_stories(*, program):
    return SuccessStory.objects.filter(program=program, published=True).select_related(
        "metric", "step", "assignment"
    )
