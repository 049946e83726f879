"""Time the progress sweep over thousands of enrolments; prints the figures.

Builds a synthetic program, its learners and their evidence inside a transaction that is
rolled back at the end, so it leaves the database as it found it:

    python manage.py bench_progress --enrolments 10000

The first sweep catches every learner up on weeks of evidence (steps open, complete and are
skipped, pathways complete, competency is reached); the second finds nothing to change, as
most runs of the scheduled sweep do. Peak memory is measured on a rerun of the first sweep,
so tracing allocations does not slow the sweep that is timed.
"""

import datetime as dt
import math
import random
import time
import tracemalloc

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from coaching.models import CoachingSession, Observation, Reflection
from measurement.models import Assessment
from objectives.models import (
    Competency,
    CompetencyFramework,
    LearningObjective,
    PerformanceObjective,
    ProficiencyLevel,
    ProficiencyScale,
)
from people.models import User
from programs.models import (
    Enrolment,
    Pathway,
    Program,
    ProgressEvent,
    Rating,
    Step,
    StepProgress,
    StepSignOff,
)
from programs.progression import SWEEP_BATCH, progress_sweep

C = Step.Completion


class Command(BaseCommand):
    help = "Time the progress sweep over thousands of synthetic enrolments and their evidence."

    def add_arguments(self, parser):
        parser.add_argument("--enrolments", type=int, default=10_000)
        parser.add_argument("--batch", type=int, default=SWEEP_BATCH)

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("bench_progress writes synthetic data: not in production.")
        count, batch = options["enrolments"], options["batch"]
        if count < 1 or batch < 1:
            raise CommandError("--enrolments and --batch must be at least 1.")
        with transaction.atomic():
            started = time.perf_counter()
            evidence = _build(count)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")  # planner statistics, as a live database has
            self.stdout.write(
                f"Built {count:,} enrolments on a {len(_STEPS)}-step pathway with "
                f"{evidence:,} pieces of evidence in {time.perf_counter() - started:.1f} s "
                f"({connection.vendor})."
            )
            self.stdout.write(
                f"{'sweep':<20}{'enrolments':>11}{'batches':>9}{'queries/batch':>15}"
                f"{'total s':>9}{'s/1,000':>9}{'events':>9}"
            )
            before = transaction.savepoint()
            self._report("first (catch-up)", _timed_sweep(batch), batch)
            transaction.savepoint_rollback(before)
            peak = _peak_memory(batch)
            self._report("again (no change)", _timed_sweep(batch), batch)
            megabytes = peak / 2**20
            self.stdout.write(f"Peak memory of the first sweep (tracemalloc): {megabytes:.1f} MB")
            transaction.set_rollback(True)

    def _report(self, name, sweep, batch):
        swept, seconds, per_batch, events = sweep
        queries = f"{min(per_batch)}–{max(per_batch)}" if per_batch else "-"
        per_thousand = seconds * 1000 / swept if swept else 0
        self.stdout.write(
            f"{name:<20}{swept:>11,}{math.ceil(swept / batch):>9}{queries:>15}"
            f"{seconds:>9.2f}{per_thousand:>9.3f}{events:>9,}"
        )


def _timed_sweep(batch):
    """Sweep every enrolment: (evaluated, seconds, queries of each batch, events written).

    A batch's queries are its evaluation's and the listing of the next batch."""
    counted = []

    def count(execute, sql, params, many, context):
        # Each batch's evaluation opens a savepoint in the benchmark's transaction first.
        if sql.startswith("SAVEPOINT") or not counted:
            counted.append(0)
        counted[-1] += 1
        return execute(sql, params, many, context)

    events = ProgressEvent.objects.count()
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        swept = progress_sweep(batch=batch)
        seconds = time.perf_counter() - started
    # The first count holds the first listing only; each later one ends with the next.
    return swept, seconds, counted[1:], ProgressEvent.objects.count() - events


def _peak_memory(batch) -> int:
    tracemalloc.start()
    try:
        progress_sweep(batch=batch)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# (title, rule, fields): evidence first, then a reflection and a coaching session run
# alongside, an assessed checkpoint, and the supervisor's sign-off, which may be skipped.
_STEPS = [
    (
        "Feedback on the job",
        C.EVIDENCE,
        {
            "gate_min_observations": 2,
            "gate_min_rating": Rating.MEETS,
            "gate_min_observers": 2,
            "gate_within_days": 30,
        },
    ),
    ("Reflect on a conversation", C.REFLECTION, {}),
    ("Coaching on feedback", C.COACHING, {"with_previous": True}),
    ("Checkpoint", C.ASSESSMENT, {"assessment_min_rank": 3}),
    ("Supervisor's sign-off", C.SUPERVISOR, {"skippable": True}),
]


def _build(count: int) -> int:
    """A program with the pathway above and `count` learners enrolled over the last four
    months, with their observations, reflections, sessions, assessments and sign-offs as
    a live system would hold them; returns how many pieces of evidence."""
    rng = random.Random(1)  # noqa: S311 - synthetic figures, not security
    stamp = int(time.time())
    now = timezone.now()
    owner, *observers = User.objects.bulk_create(
        User(username=f"bench-progress-{stamp}-{name}") for name in ("owner", "a", "b", "c")
    )
    program = Program.objects.create(
        name=f"Progress benchmark {stamp}",
        slug=f"bench-progress-{stamp}",
        business_goal="Measure how progression scales.",
        owner=owner,
        starts_on=dt.date(2020, 1, 1),
        status=Program.Status.ACTIVE,
        competency_needs_objectives=True,
        competency_min_rank=3,
    )
    framework = CompetencyFramework.objects.create(name=f"Benchmark {stamp}")
    scale = ProficiencyScale.objects.create(framework=framework, name="Four levels")
    levels = ProficiencyLevel.objects.bulk_create(
        ProficiencyLevel(scale=scale, rank=rank, name=f"Level {rank}") for rank in range(1, 5)
    )
    competency = Competency.objects.create(
        framework=framework, scale=scale, code="FB", name="Feedback", strategic_rationale="-"
    )
    learning = LearningObjective.objects.create(
        program=program,
        competency=competency,
        statement="Explain what makes feedback timely and specific.",
        bloom_level=LearningObjective.BloomLevel.UNDERSTAND,
        assessment_method=LearningObjective.AssessmentMethod.CASE_ANALYSIS,
    )
    objectives = PerformanceObjective.objects.bulk_create(
        PerformanceObjective(program=program, statement=statement)
        for statement in ("Gives feedback within a day.", "Names the behaviour and its impact.")
    )
    pathway = Pathway.objects.create(
        program=program, status=Pathway.Status.PUBLISHED, published_at=now
    )
    steps = Step.objects.bulk_create(
        Step(
            pathway=pathway,
            position=position,
            kind=Step.Kind.ROLE_PLAY,
            title=title,
            completed_by=rule,
            **fields,
        )
        for position, (title, rule, fields) in enumerate(_STEPS, start=1)
    )
    steps[0].performance_objectives.set(objectives[:1])
    steps[3].learning_objectives.set([learning])
    learners = User.objects.bulk_create(
        (User(username=f"bench-progress-{stamp}-{i}") for i in range(count)), batch_size=2000
    )
    enrolments = Enrolment.objects.bulk_create(
        (
            Enrolment(
                learner=learner,
                program=program,
                pathway=pathway,
                supervisor=observers[0],
                coach=observers[1],
                enrolled_on=now.date() - dt.timedelta(days=rng.randint(10, 120)),
            )
            for learner in learners
        ),
        batch_size=2000,
    )
    # As enrolling leaves them: every step not started, progression opens them.
    rows = StepProgress.objects.bulk_create(
        (StepProgress(enrolment=e, step=step) for e in enrolments for step in steps),
        batch_size=5000,
    )
    evidence = {model: [] for model in (Observation, Reflection, CoachingSession, Assessment)}
    sign_offs = []

    def since(enrolment):
        # A moment between the enrolment's first day and now.
        start = dt.datetime.combine(enrolment.enrolled_on, dt.time.min, tzinfo=dt.UTC)
        return start + (now - start) * rng.random()

    for index, enrolment in enumerate(enrolments):
        for _ in range(rng.choice((0, 1, 2, 3, 4))):
            evidence[Observation].append(
                Observation(
                    enrolment=enrolment,
                    learner_id=enrolment.learner_id,
                    observer=rng.choice(observers),
                    performance_objective=rng.choice(objectives),
                    observed_at=since(enrolment),
                    rating=rng.choice(Rating.values[1:]),
                    behaviour="Named the missed hand-off.",
                )
            )
        if rng.random() < 0.6:
            evidence[Reflection].append(
                Reflection(
                    enrolment=enrolment, step=steps[1], written_at=since(enrolment), body="-"
                )
            )
        if rng.random() < 0.5:
            evidence[CoachingSession].append(
                CoachingSession(
                    enrolment=enrolment,
                    coach=observers[1],
                    held_at=since(enrolment),
                    focus="Feedback",
                )
            )
        for _ in range(rng.choice((0, 1, 2))):
            evidence[Assessment].append(
                Assessment(
                    enrolment=enrolment,
                    competency=competency,
                    kind=Assessment.Kind.CHECKPOINT,
                    assessed_level=rng.choice(levels[1:]),
                    assessor=observers[0],
                    assessed_on=since(enrolment).date(),
                )
            )
        if rng.random() < 0.4:
            decision = rng.choice(StepSignOff.Decision.values)
            sign_offs.append(
                StepSignOff(
                    progress=rows[index * len(steps) + 4],
                    decision=decision,
                    by=observers[0],
                    note="Runs these reviews every week.",
                    at=since(enrolment),
                )
            )
    for model, made in evidence.items():
        model.objects.bulk_create(made, batch_size=5000)
    StepSignOff.objects.bulk_create(sign_offs, batch_size=5000)
    return sum(len(made) for made in evidence.values()) + len(sign_offs)
