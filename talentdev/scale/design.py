"""The generated programs: frameworks, objectives, versioned pathways, cohorts, metrics, costs.

Four big programs of `BIG_SIZE` learners each and a long tail of smaller ones, their sizes
falling geometrically. Every program has the same seven-step pathway shape (`STEPS`): a
baseline assessment, micro-learning signed off by the learner, a role-play with an evidence
rule and a reflection run alongside it, practice on the job with a stricter evidence rule,
an assessed checkpoint and the supervisor's sign-off, which may be skipped. The big programs
changed their pathway after a year: learners who joined before keep version 1.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from measurement.models import BenefitEstimate, CostItem, OutcomeMetric
from objectives.models import (
    BehaviouralIndicator,
    Competency,
    CompetencyFramework,
    LearningObjective,
    PerformanceObjective,
    ProficiencyLevel,
    ProficiencyScale,
)
from programs.models import Cohort, Pathway, Program, Rating, Step

BIG_PROGRAMS = 4
BIG_SIZE = 5_000
PROGRAMS = 102
HISTORY_DAYS = 730  # two years

C, K = Step.Completion, Step.Kind


@dataclass(frozen=True)
class StepPlan:
    """One step as the histories need it; its gate fields read as a Step's do."""

    id: int
    position: int
    kind: str
    completed_by: str
    with_previous: bool = False
    skippable: bool = False
    due_days: int | None = None
    due_from: str = Step.DueFrom.UNLOCK
    assessment_min_rank: int | None = None
    gate_min_observations: int | None = None
    gate_min_rating: int | None = None
    gate_min_observers: int | None = None
    gate_within_days: int | None = None
    objective_ids: tuple = ()  # the performance objectives its evidence rule counts


@dataclass
class ProgramPlan:
    """One program as the histories and measurements need it."""

    id: int
    name: str
    owner: int
    starts_on: dt.date
    leadership: bool
    size: int
    min_rank: int | None
    objectives: list = field(default_factory=list)  # (id, feedback window)
    competencies: list = field(default_factory=list)  # (competency id, learning objective id)
    levels: dict = field(default_factory=dict)  # competency id -> {rank: level id}
    pathways: list = field(default_factory=list)  # (pathway id, in use from, [StepPlan])
    cohorts: list = field(default_factory=list)  # (cohort id, starts_on)
    team_metric: int | None = None  # measured for the program as a whole
    learner_metric: int | None = None  # measured for each learner


# (framework, program theme, competencies: (code, name, observable behaviour))
DOMAINS = (
    (
        "Customer excellence",
        "Customer conversations",
        (
            ("CX1", "Listening", "restate the customer's problem before proposing a fix"),
            ("CX2", "Ownership", "name an owner and a date for every open customer issue"),
            ("CX3", "Clear commitments", "confirm the next step in writing within the call"),
        ),
    ),
    (
        "People leadership",
        "Leading teams",
        (
            ("PL1", "Feedback", "give specific feedback on an observed behaviour"),
            ("PL2", "Delegation", "agree the outcome and the check-in date when delegating"),
            ("PL3", "Coaching", "ask open questions before offering a solution"),
        ),
    ),
    (
        "Operational safety",
        "Safety on the floor",
        (
            ("OS1", "Hazard spotting", "log each hazard seen before the end of the shift"),
            ("OS2", "Stop the line", "stop work when a control is missing"),
            ("OS3", "Safe hand-over", "walk the incoming shift through open risks"),
        ),
    ),
    (
        "Commercial skills",
        "Value selling",
        (
            ("CS1", "Discovery", "ask for the customer's measurable goal in the first meeting"),
            ("CS2", "Value case", "quantify the customer's gain in the proposal"),
            ("CS3", "Negotiation", "trade a concession only for a concession"),
        ),
    ),
    (
        "Engineering practice",
        "Reliable delivery",
        (
            ("EP1", "Code review", "review a change within a working day"),
            ("EP2", "Incident response", "post the incident timeline within two hours"),
            ("EP3", "Planning", "split work into slices of at most three days"),
        ),
    ),
)
LEVELS = ("Foundation", "Developing", "Proficient", "Expert")
STEPS = (
    # position, kind, title, completion, extra fields
    (1, K.BASELINE_ASSESSMENT, "Baseline assessment", C.ASSESSMENT, {"due_days": 14}),
    (2, K.MICRO_LEARNING, "Micro-learning: the model", C.LEARNER, {"due_days": 14}),
    (3, K.ROLE_PLAY, "Role-play with feedback", C.EVIDENCE, {"due_days": 30}),
    (4, K.REFLECTION, "Reflect on the role-play", C.REFLECTION, {"with_previous": True}),
    (5, K.ON_THE_JOB, "Practice on the job", C.EVIDENCE, {"due_days": 60}),
    (6, K.CHECKPOINT_REVIEW, "Checkpoint review", C.ASSESSMENT, {"due_days": 30}),
    (7, K.DEBRIEF, "Supervisor's sign-off", C.SUPERVISOR, {"skippable": True, "due_days": 21}),
)
ROLE_PLAY_GATE = {
    "gate_min_observations": 2,
    "gate_min_rating": Rating.MEETS,
    "gate_min_observers": 1,
    "gate_within_days": 30,
}
ON_THE_JOB_GATE = {
    "gate_min_observations": 3,
    "gate_min_rating": Rating.MEETS,
    "gate_min_observers": 2,
    "gate_within_days": 60,
}


def program_sizes(enrolments: int) -> list[int]:
    """Learners per program: four big ones, then a tail falling from about 2,000 to 60 (at
    full scale), together `enrolments`."""
    big = round(BIG_SIZE * enrolments / 79_000)
    tail_total = max(0, enrolments - big * BIG_PROGRAMS)
    weights = [0.965**i for i in range(PROGRAMS - BIG_PROGRAMS)]
    tail = [round(tail_total * w / sum(weights)) for w in weights]
    return [big] * BIG_PROGRAMS + tail


def build_programs(writer, rng, company, *, enrolments: int, now) -> list[ProgramPlan]:
    today = now.date()
    frameworks = [_framework(writer, domain, now) for domain in DOMAINS]
    plans = []
    for index, size in enumerate(program_sizes(enrolments)):
        big = index < BIG_PROGRAMS
        domain = index % len(DOMAINS)
        framework_id, competencies = frameworks[domain]
        _, theme, _ = DOMAINS[domain]
        name = theme if big else f"{theme} {index // len(DOMAINS) + 1:02d}"
        days = HISTORY_DAYS if big else rng.randint(90, HISTORY_DAYS)
        plan = ProgramPlan(
            id=writer.new_id(Program),
            name=name,
            owner=company.designers[0 if big else index % len(company.designers)],
            starts_on=today - dt.timedelta(days=days),
            leadership=domain == 1,
            size=size,
            min_rank=3 if big or index % 3 == 0 else None,
        )
        writer.add(
            Program,
            plan.id,
            name,
            f"scale-{index + 1:03d}",
            f"Move {theme.lower()} measurably: fewer repeats, faster results.",
            f"A generated program of {size:,} learners.",
            plan.owner,
            framework_id,
            plan.starts_on,
            None,
            Program.Status.ACTIVE,
            Decimal(40 * size + 20_000),
            "USD",
            True,
            plan.min_rank,
            now,
            now,
        )
        sponsors = [company.sponsors[0]] if big else []
        sponsors += rng.sample(company.sponsors, min(len(company.sponsors), rng.randint(1, 2)))
        through = Program.sponsors.through
        for sponsor in dict.fromkeys(sponsors):
            writer.add(through, writer.new_id(through), plan.id, sponsor)
        _objectives(writer, rng, plan, competencies, now)
        _pathways(writer, plan, big, today, now)
        _cohorts(writer, plan, today, now)
        _metrics_and_costs(writer, plan, now)
        plans.append(plan)
    return plans


def _framework(writer, domain, now):
    name, _theme, competencies = domain
    framework = writer.new_id(CompetencyFramework)
    writer.add(
        CompetencyFramework,
        framework,
        name,
        1,
        CompetencyFramework.Status.PUBLISHED,
        "",
        now - dt.timedelta(days=HISTORY_DAYS + 30),
        now,
        now,
    )
    scale = writer.new_id(ProficiencyScale)
    writer.add(ProficiencyScale, scale, framework, "Four levels", now, now)
    levels = {}
    for rank, level_name in enumerate(LEVELS, start=1):
        levels[rank] = writer.new_id(ProficiencyLevel)
        writer.add(ProficiencyLevel, levels[rank], scale, rank, level_name, "", now, now)
    made = []
    for code, title, behaviour in competencies:
        competency = writer.new_id(Competency)
        writer.add(
            Competency,
            competency,
            framework,
            None,
            code,
            title,
            "",
            f"{title} is where the strategy meets the work.",
            scale,
            now,
            now,
        )
        for rank, level in levels.items():
            writer.add(
                BehaviouralIndicator,
                writer.new_id(BehaviouralIndicator),
                competency,
                level,
                f"{LEVELS[rank - 1]}: {behaviour}" + (", unprompted" if rank > 2 else ""),
                now,
                now,
            )
        made.append((competency, title, behaviour, levels))
    return framework, made


def _objectives(writer, rng, plan, competencies, now):
    chosen = competencies if rng.random() < 0.6 else competencies[:2]
    links = PerformanceObjective.learning_objectives.through
    for competency, title, behaviour, levels in chosen:
        learning = writer.new_id(LearningObjective)
        writer.add(
            LearningObjective,
            learning,
            plan.id,
            competency,
            f"Explain why {title.lower()} matters and what it looks like done well.",
            LearningObjective.BloomLevel.UNDERSTAND,
            LearningObjective.AssessmentMethod.CASE_ANALYSIS,
            now,
            now,
        )
        window = dt.timedelta(hours=rng.choice((24, 24, 48)))
        objective = writer.new_id(PerformanceObjective)
        writer.add(
            PerformanceObjective,
            objective,
            plan.id,
            f"In live work, the learner will {behaviour} in at least 80% of observed cases.",
            behaviour,
            "in live work with customers or the team",
            "share of observed cases done as described",
            "%",
            PerformanceObjective.Comparator.AT_LEAST,
            Decimal(80),
            dt.timedelta(days=90),
            "of enrolling",
            None,
            PerformanceObjective.EvidenceMethod.OBSERVATION,
            window,
            now,
            now,
        )
        writer.add(links, writer.new_id(links), objective, learning)
        plan.objectives.append((objective, window))
        plan.competencies.append((competency, learning))
        plan.levels[competency] = levels


def _pathways(writer, plan, big, today, now):
    versions = [plan.starts_on]
    if big and plan.starts_on + dt.timedelta(days=365) < today - dt.timedelta(days=30):
        versions.append(plan.starts_on + dt.timedelta(days=365))
    learning_ids = [lo for _c, lo in plan.competencies]
    objective_ids = tuple(po for po, _w in plan.objectives)
    step_los, step_pos = Step.learning_objectives.through, Step.performance_objectives.through
    for version, since in enumerate(versions, start=1):
        current = version == len(versions)
        pathway = writer.new_id(Pathway)
        published = dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC)
        writer.add(
            Pathway,
            pathway,
            plan.id,
            version,
            Pathway.Status.PUBLISHED if current else Pathway.Status.RETIRED,
            published,
            "" if version == 1 else "Longer practice on the job; the checkpoint asks for more.",
            published,
            now,
        )
        steps = []
        for position, kind, title, rule, extra in STEPS:
            fields = dict(extra)
            if position == 3:
                fields.update(ROLE_PLAY_GATE, objective_ids=objective_ids[:1])
            elif position == 5:
                fields.update(ON_THE_JOB_GATE, objective_ids=objective_ids)
                if version > 1:
                    fields["due_days"] = 75
            elif position == 6:
                fields["assessment_min_rank"] = 3
            if position == 1:
                fields["due_from"] = Step.DueFrom.ENROLMENT
            step = StepPlan(
                id=writer.new_id(Step), position=position, kind=kind, completed_by=rule, **fields
            )
            writer.add(
                Step,
                step.id,
                pathway,
                position,
                kind,
                title,
                "",
                min(5, 1 + position * 2 // 3),
                dt.timedelta(hours=2 if position != 5 else 10),
                step.gate_min_observations,
                step.gate_min_rating,
                step.gate_min_observers,
                step.gate_within_days,
                rule,
                step.assessment_min_rank,
                step.with_previous,
                step.skippable,
                step.due_days,
                step.due_from,
                published,
                now,
            )
            if position in (1, 2, 6):
                for learning in learning_ids:
                    writer.add(step_los, writer.new_id(step_los), step.id, learning)
            for objective in step.objective_ids:
                writer.add(step_pos, writer.new_id(step_pos), step.id, objective)
            steps.append(step)
        plan.pathways.append((pathway, since, steps))


def _cohorts(writer, plan, today, now):
    starts = plan.starts_on
    while starts <= today - dt.timedelta(days=7):
        cohort = writer.new_id(Cohort)
        quarter = (starts.month - 1) // 3 + 1
        name = f"{starts.year} Q{quarter} ({starts:%d %b})"
        writer.add(Cohort, cohort, plan.id, name, starts, starts + dt.timedelta(days=180), now, now)
        plan.cohorts.append((cohort, starts))
        starts += dt.timedelta(days=91)


METRICS = (
    # name, kind, unit, direction, baseline, target, money value, who it is measured for
    ("Customer satisfaction", "customer_satisfaction", "points", "increase", 72, 85, 1500, "team"),
    ("Rework rate", "quality", "%", "decrease", 12, 6, None, "learner"),
)


def _metrics_and_costs(writer, plan, now):
    links = OutcomeMetric.performance_objectives.through
    for name, kind, unit, direction, baseline, target, money, scope in METRICS:
        metric = writer.new_id(OutcomeMetric)
        writer.add(
            OutcomeMetric,
            metric,
            plan.id,
            name,
            kind,
            unit,
            direction,
            OutcomeMetric.Aggregation.MEAN,
            Decimal(baseline),
            Decimal(target),
            None if money is None else Decimal(money),
            0,  # counted once the measurements are loaded
            now,
            now,
        )
        for objective, _window in plan.objectives:
            writer.add(links, writer.new_id(links), metric, objective)
        if money is not None:
            writer.add(
                BenefitEstimate,
                writer.new_id(BenefitEstimate),
                metric,
                BenefitEstimate.Isolation.TREND_LINE,
                "The trend before the program, projected, against what was measured.",
                Decimal(40),
                Decimal(70),
                Decimal(12),
                1,
                now,
                now,
            )
        if scope == "team":
            plan.team_metric = metric
        else:
            plan.learner_metric = metric
    people = max(1, plan.size)
    costs = (
        (CostItem.Category.DESIGN, "Pathway design", Decimal(18_000), None, None, None),
        (CostItem.Category.DELIVERY, "Facilitation", Decimal(25 * people), None, None, None),
        (CostItem.Category.PARTICIPANT_TIME, "Learners' time", None, 12, people, 55),
        (CostItem.Category.COACHING_TIME, "Managers' time", None, 6, max(1, people // 8), 80),
    )
    for category, description, amount, hours, count, rate in costs:
        writer.add(
            CostItem,
            writer.new_id(CostItem),
            plan.id,
            category,
            description,
            plan.starts_on,
            amount,
            None if hours is None else Decimal(hours),
            count,
            None if rate is None else Decimal(rate),
            plan.owner,
            now,
            now,
        )
