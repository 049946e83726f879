"""A program's outcome dashboard: every section a sponsor reads, suppressed where it must be."""

from collections.abc import Mapping
from datetime import timedelta
from functools import cached_property

from django.db.models import Avg, Count, Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from coaching.models import Observation
from objectives.models import Competency, LearningObjective
from programs.history import competent_by, progress_at
from programs.models import Enrolment, current_enrolment

from .experiences import effects_from_numbers, experience_numbers
from .figures import kept_figures
from .models import Assessment, SponsorReview, SuccessStory
from .privacy import group_size, review_figures, suppressed, withhold
from .roi import program_roi
from .rollups import time_to_competency
from .selectors import metric_series

RECENT_REVIEWS = 12


def _learner_counters(program, metric_ids):
    """How each figure about learners is counted now from their history, by section."""
    return {
        "learners": lambda: program.enrolments.current().count(),
        "funnel": lambda: completion_funnel(program=program),
        "time_to_competency": lambda: competency_time_distribution(program=program),
        "knows_and_does": lambda: knows_and_does(program=program),
        "experiences": lambda: experience_numbers(program=program, metric_ids=metric_ids),
    }


def learner_sections(*, program, metric_ids) -> dict:
    """The dashboard's figures about learners, counted now from their history, before any
    privacy rule: plain values, so they can be kept (measurement.figures). `metric_ids` are
    the program's metrics in the order the dashboard lists them."""
    return {name: count() for name, count in _learner_counters(program, metric_ids).items()}


class ProgramDashboard(Mapping):
    """Every section of a program's dashboard, as the sponsor's page and its CSV tables
    show it: the latest review, completion by step, time to competency, knows and does,
    which experiences go with better results, success stories, the metrics by month and the
    return on investment. A section is read when first asked for, so the CSV of one table
    reads only what that table shows.

    The figures about learners are the kept ones while they are fresh, else counted now
    (measurement.figures); `figures_at` says as of when. Each is withheld where it rests on
    too few learners (the rules are measurement.privacy's): every section when the program
    has fewer than MIN_GROUP current learners, and a row or a group when it is small itself.
    """

    SECTIONS = (
        "learners",
        "suppressed",
        "figures_at",
        "latest",
        "latest_figures",
        "reviews",
        "funnel",
        "time_to_competency",
        "knows_and_does",
        "experiences",
        "stories",
        "metrics",
        "roi",
    )

    def __init__(self, program):
        self.program = program
        self._counted = {}  # figures about learners counted live, each once

    def __getitem__(self, name):
        if name not in self.SECTIONS:
            raise KeyError(name)
        return getattr(self, name)

    def __iter__(self):
        return iter(self.SECTIONS)

    def __len__(self):
        return len(self.SECTIONS)

    @cached_property
    def _kept(self):
        return kept_figures([self.program.pk]).get(self.program.pk)

    def _learner(self, name):
        if self._kept:
            return self._kept.dashboard[name]
        if name not in self._counted:
            count = _learner_counters(self.program, [*self._metrics])[name]
            self._counted[name] = count()
        return self._counted[name]

    @cached_property
    def _metrics(self) -> dict:
        return {item["metric"].pk: item["metric"] for item in self.metrics}

    @cached_property
    def learners(self) -> int:
        return self._learner("learners")

    @cached_property
    def suppressed(self) -> bool:
        return suppressed(self.learners)

    @cached_property
    def figures_at(self):
        return self._kept.computed_at if self._kept else timezone.now()

    @cached_property
    def reviews(self) -> list:
        return list(
            SponsorReview.objects.filter(program=self.program).order_by("-period_end")[
                :RECENT_REVIEWS
            ]
        )

    @cached_property
    def latest(self):
        return self.reviews[0] if self.reviews else None

    @cached_property
    def latest_figures(self):
        if self.latest is None:
            return None
        return review_figures(self.latest.snapshot, program_hidden=self.suppressed)

    @cached_property
    def funnel(self) -> list:
        return [
            {
                "position": row["step__position"],
                "title": row["title"],
                **withhold(self.suppressed, learners=row["learners"], completed=row["completed"]),
            }
            for row in self._learner("funnel")
        ]

    @cached_property
    def time_to_competency(self) -> dict:
        distribution = self._learner("time_to_competency")
        # The spread of fewer than MIN_GROUP people's times would show each person's time.
        hidden = self.suppressed or suppressed(sum(row["learners"] for row in distribution))
        return {
            "suppressed": hidden,
            "rows": [
                {"label": row["label"], **withhold(hidden, learners=row["learners"])}
                for row in distribution
            ],
        }

    @cached_property
    def knows_and_does(self) -> list:
        return [
            {
                "code": row["code"],
                "name": row["name"],
                **withhold(
                    self.suppressed or row["suppressed"],
                    assessed_learners=row["assessed_learners"],
                    level=row["level"],
                    observed_learners=row["observed_learners"],
                    rating=row["rating"],
                ),
            }
            for row in self._learner("knows_and_does")
        ]

    @cached_property
    def experiences(self) -> list:
        return [
            {
                **row,
                "completed_size": group_size(row["completed_n"]),
                "others_size": group_size(row["others_n"]),
            }
            for row in effects_from_numbers(self._learner("experiences"), self._metrics)
        ]

    @cached_property
    def stories(self):
        return published_stories(program=self.program)

    @cached_property
    def metrics(self) -> list:
        return metric_series(program=self.program)

    @cached_property
    def roi(self):
        return program_roi(program=self.program, series=self.metrics)


def program_dashboard(*, program) -> ProgramDashboard:
    """A program's dashboard, each section read as it is asked for (see ProgramDashboard)."""
    return ProgramDashboard(program)


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
