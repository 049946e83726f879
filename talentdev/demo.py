"""Demo data: two programs from the source articles, the people around them and their evidence.

`seed_demo()` is idempotent: every row is found by a natural key before it is created, so
a second run updates times relative to now and adds nothing.
"""

import datetime as dt
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from coaching.models import (
    CoachingSession,
    Debrief,
    Feedback,
    FeedbackWindow,
    Observation,
    PeerFeedbackRequest,
    Reflection,
)
from coaching.services import (
    coaching_session_record,
    debrief_record,
    feedback_give,
    feedback_windows_mark_missed,
    observation_log,
    peer_feedback_request_create,
    peer_feedback_respond,
    reflection_write,
)
from measurement.models import (
    Assessment,
    Measurement,
    OutcomeMetric,
    ReviewComment,
    ReviewDecision,
    SuccessStory,
)
from measurement.rollups import last_full_week, sponsor_review_rollup
from objectives.models import (
    BehaviouralIndicator,
    Competency,
    CompetencyFramework,
    LearningObjective,
    PerformanceObjective,
    ProficiencyLevel,
    ProficiencyScale,
)
from people.models import JobRole, OrgUnit, RoleRequirement, User
from programs.models import Assignment, Cohort, Enrolment, Pathway, Program, Step, StepProgress
from programs.services import (
    assignment_create,
    assignment_record_presentation,
    assignment_submit_evidence,
    enrolment_create,
    pathway_publish,
    step_progress_update,
)

DEMO_LOGINS = [
    ("learner", "Learner — follows a pathway"),
    ("manager", "Manager — supervises and observes"),
    ("sponsor", "Sponsor — reads outcome dashboards"),
    ("hradmin", "HR admin and program designer"),
]

FEEDBACK_LO = (
    "Participants will be able to identify and distinguish the behavioral benefits of timely "
    "and specific feedback."
)

# (username, first, last, title, unit, time zone, manager)
PEOPLE = [
    ("hradmin", "Hana", "Reyes", "Head of Talent Development", "people", "Europe/London", None),
    ("sponsor", "Samuel", "Okafor", "VP Customer Operations", "ops", "America/New_York", None),
    ("manager", "Maya", "Lindqvist", "Support Team Lead", "support", "Europe/London", "sponsor"),
    ("manager2", "Marcus", "Chen", "Engineering Manager", "eng", "Asia/Singapore", "sponsor"),
    ("coach", "Claire", "Dubois", "Leadership Coach", "people", "Europe/Paris", "hradmin"),
    (
        "learner",
        "Lena",
        "Fischer",
        "Senior Support Specialist",
        "support",
        "Europe/London",
        "manager",
    ),
    ("learner2", "Omar", "Haddad", "Support Specialist", "support", "Europe/London", "manager"),
    ("learner3", "Priya", "Nair", "Support Specialist", "support", "Asia/Singapore", "manager"),
    ("learner4", "Tom", "Walsh", "Escalations Engineer", "support", "America/New_York", "manager"),
    ("learner5", "Aiko", "Tanaka", "Team Coordinator", "support", "Asia/Singapore", "manager"),
    ("learner6", "Diego", "Santos", "Software Engineer", "eng", "America/New_York", "manager2"),
    ("learner7", "Sara", "Berg", "Senior Engineer", "eng", "Europe/Paris", "manager2"),
    ("learner8", "Kofi", "Mensah", "Product Engineer", "eng", "Europe/London", "manager2"),
]


def _upsert(model, lookup: dict, **values):
    """Find a row by its natural key and bring its other values up to date."""
    obj, _ = model.objects.update_or_create(**lookup, defaults=values)
    return obj


def _org_and_people():
    company = _upsert(OrgUnit, {"code": "company"}, name="Northwind", parent=None)
    ops = _upsert(OrgUnit, {"code": "ops"}, name="Customer Operations", parent=company)
    units = {
        "company": company,
        "ops": ops,
        "support": _upsert(OrgUnit, {"code": "support"}, name="Customer Support", parent=ops),
        "eng": _upsert(OrgUnit, {"code": "eng"}, name="Engineering", parent=company),
        "people": _upsert(OrgUnit, {"code": "people"}, name="People & Talent", parent=company),
    }
    people = {}
    for number, (username, first, last, title, unit, zone, manager) in enumerate(PEOPLE, 1):
        user, created = User.objects.get_or_create(username=username)
        user.first_name, user.last_name, user.job_title = first, last, title
        user.email = f"{username}@northwind.example"
        user.employee_id = f"NW-{1000 + number}"
        user.org_unit, user.time_zone = units[unit], zone
        user.manager = people.get(manager)
        user.is_staff = username == "hradmin"
        if created or not user.check_password(settings.DEMO_PASSWORD):
            user.set_password(settings.DEMO_PASSWORD)
        user.full_clean()
        user.save()
        people[username] = user
    people["hradmin"].user_permissions.add(
        Permission.objects.get(content_type__app_label="people", codename="administer_programs")
    )
    return people


def _framework():
    framework = _upsert(
        CompetencyFramework,
        {"name": "Leadership Competencies", "version": 1},
        status=CompetencyFramework.Status.PUBLISHED,
        published_at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC),
        description="The behaviours Northwind expects of people who lead work and people.",
    )
    scale = _upsert(ProficiencyScale, {"framework": framework, "name": "Four-level scale"})
    levels = [
        _upsert(ProficiencyLevel, {"scale": scale, "rank": rank}, name=name, description=text)
        for rank, name, text in [
            (1, "Foundational", "Knows the practice and tries it with support."),
            (2, "Developing", "Applies it in familiar situations, sometimes prompted."),
            (3, "Proficient", "Applies it reliably and unprompted, including under pressure."),
            (4, "Expert", "Adapts it to new situations and coaches others in it."),
        ]
    ]
    specs = {
        "FB": (
            "Feedback",
            "Timely, specific feedback is how we correct course within a sprint "
            "instead of a quarter.",
            [
                "Gives feedback when asked, usually days later.",
                "Gives feedback within a day and names the behaviour.",
                "Gives same-day feedback citing a specific example and its impact on team goals.",
                "Builds a team habit of timely peer feedback.",
            ],
        ),
        "SC": (
            "Stakeholder communication",
            "Customer escalations are won or lost on how clearly we communicate trade-offs.",
            [
                "Shares updates when asked.",
                "Sends regular updates tailored to the audience.",
                "Presents options and trade-offs stakeholders can decide on.",
                "Aligns senior stakeholders with competing goals.",
            ],
        ),
        "CF": (
            "Cross-functional collaboration",
            "Cycle time depends on hand-offs between support, product and engineering.",
            [
                "Works within the team.",
                "Involves the other functions a task needs.",
                "Runs joint work across functions to a shared goal.",
                "Shapes how functions work together.",
            ],
        ),
        "JD": (
            "Judgement under constraints",
            "Leaders make project trade-offs with incomplete information every week.",
            [
                "Escalates decisions.",
                "Decides routine trade-offs with a rationale.",
                "Decides under time pressure and explains the trade-off.",
                "Sets decision principles others use.",
            ],
        ),
    }
    competencies = {}
    for code, (name, rationale, indicators) in specs.items():
        competency = _upsert(
            Competency,
            {"framework": framework, "code": code},
            name=name,
            strategic_rationale=rationale,
            scale=scale,
        )
        for level, text in zip(levels, indicators, strict=True):
            _upsert(
                BehaviouralIndicator, {"competency": competency, "level": level}, description=text
            )
        competencies[code] = competency
    role = _upsert(JobRole, {"code": "team-lead"}, title="Team Lead")
    for code in ("FB", "SC"):
        _upsert(
            RoleRequirement,
            {"job_role": role, "competency": competencies[code]},
            required_level=levels[2],
        )
    return framework, competencies, levels


def _program(slug, **values):
    program = _upsert(Program, {"slug": slug}, **values)
    return program


def _objective_po(program, statement, **fields):
    po = _upsert(PerformanceObjective, {"program": program, "statement": statement}, **fields)
    po.full_clean()
    return po


def _pathway(program, steps):
    """Version 1 of the pathway, published; steps are (kind, title, difficulty, los, pos, gate)."""
    pathway, _ = Pathway.objects.get_or_create(program=program, version=1)
    if pathway.status == Pathway.Status.DRAFT:
        for position, (kind, title, difficulty, los, pos, gate) in enumerate(steps, 1):
            step = Step.objects.create(
                pathway=pathway,
                position=position,
                kind=kind,
                title=title,
                difficulty=difficulty,
                expected_duration=timedelta(hours=2 * difficulty),
                **gate,
            )
            step.learning_objectives.set(los)
            step.performance_objectives.set(pos)
        pathway = pathway_publish(pathway=pathway)
    return pathway


def _feedback_program(people, framework, competencies):
    program = _program(
        "timely-specific-feedback",
        name="Timely, Specific Feedback",
        business_goal="Raise team engagement and cut rework by making feedback timely and "
        "specific across Customer Support.",
        description="Built from the feedback example: understand why timely, specific feedback "
        "works, then do it on the job within 24 hours.",
        owner=people["hradmin"],
        framework=framework,
        starts_on=dt.date(2026, 3, 2),
        status=Program.Status.ACTIVE,
        cost=Decimal("24000"),
    )
    program.sponsors.set([people["sponsor"]])
    lo = _upsert(
        LearningObjective,
        {"program": program, "statement": FEEDBACK_LO},
        competency=competencies["FB"],
        bloom_level=LearningObjective.BloomLevel.ANALYZE,
        assessment_method=LearningObjective.AssessmentMethod.CASE_ANALYSIS,
    )
    common = {
        "condition": "after observing a team member's behaviour at work",
        "evidence_method": PerformanceObjective.EvidenceMethod.OBSERVATION,
        "time_window": timedelta(hours=24),
        "time_window_anchor": "of observing the behaviour",
    }
    pos = [
        _objective_po(
            program,
            "Participants will deliver feedback within 24 hours of observing a behavior",
            action="deliver feedback",
            measure="hours from the observed behaviour to the feedback",
            measure_unit="hours",
            target_comparator="lte",
            target_value=Decimal("24"),
            **common,
        ),
        _objective_po(
            program,
            "Participants will cite specific examples when giving feedback",
            action="cite specific examples",
            measure="share of feedback conversations citing a specific example",
            measure_unit="%",
            target_comparator="gte",
            target_value=Decimal("90"),
            **common,
        ),
        _objective_po(
            program,
            "Participants will describe the impact of the behavior on team goals",
            action="describe the impact of the behaviour on team goals",
            measure="share of feedback conversations naming the impact on a team goal",
            measure_unit="%",
            target_comparator="gte",
            target_value=Decimal("80"),
            **common,
        ),
    ]
    for po in pos:
        po.learning_objectives.set([lo])
    gate = {
        "gate_min_observations": 3,
        "gate_min_rating": 3,
        "gate_min_observers": 2,
        "gate_within_days": 60,
    }
    K = Step.Kind
    pathway = _pathway(
        program,
        [
            (K.MICRO_LEARNING, "Why timely, specific feedback works", 1, [lo], [], {}),
            (K.CASE_STUDY, "Case study: the late review", 2, [lo], pos[1:], {}),
            (K.ROLE_PLAY, "Role-play: feedback after a tense stand-up", 3, [lo], pos, {}),
            (K.ON_THE_JOB, "Give feedback on the job within 24 hours", 4, [], pos, gate),
            (K.REFLECTION, "Reflect: what changed in your team", 4, [lo], [], {}),
            (K.CHECKPOINT_REVIEW, "Checkpoint review with your supervisor", 5, [], pos, {}),
        ],
    )
    metrics = [
        _upsert(
            OutcomeMetric,
            {"program": program, "name": "Feedback within 24 hours"},
            kind=OutcomeMetric.Kind.QUALITY,
            unit="%",
            direction=OutcomeMetric.Direction.INCREASE,
            baseline=Decimal("35"),
            target=Decimal("85"),
        ),
        _upsert(
            OutcomeMetric,
            {"program": program, "name": "Team engagement score"},
            kind=OutcomeMetric.Kind.STAKEHOLDER_SATISFACTION,
            unit="points",
            direction=OutcomeMetric.Direction.INCREASE,
            baseline=Decimal("62"),
            target=Decimal("75"),
        ),
    ]
    metrics[0].performance_objectives.set(pos[:1])
    metrics[1].performance_objectives.set(pos[1:])
    return program, pathway, lo, pos, metrics


def _leadership_program(people, framework, competencies):
    program = _program(
        "leading-through-real-work",
        name="Leading Through Real Work",
        business_goal="Shorten time to competency for new team leads and cut escalation cycle "
        "time through stretch assignments that mirror real problems.",
        description="Baseline assessment, practice of rising difficulty, a stretch assignment "
        "presented to stakeholders, and structured debriefs with a supervisor.",
        owner=people["hradmin"],
        framework=framework,
        starts_on=dt.date(2026, 2, 2),
        status=Program.Status.ACTIVE,
        cost=Decimal("68000"),
    )
    program.sponsors.set([people["sponsor"]])
    los = [
        _upsert(
            LearningObjective,
            {"program": program, "statement": statement},
            competency=competencies[code],
            bloom_level=bloom,
            assessment_method=method,
        )
        for code, statement, bloom, method in [
            (
                "SC",
                "Participants will be able to explain how framing options and trade-offs "
                "changes a stakeholder's decision.",
                "understand",
                "discussion",
            ),
            (
                "JD",
                "Participants will be able to analyse a project trade-off against cost, "
                "time and customer impact.",
                "analyze",
                "case_analysis",
            ),
            (
                "CF",
                "Participants will be able to identify the hand-offs that slow a "
                "cross-functional escalation.",
                "analyze",
                "quiz",
            ),
        ]
    ]
    common = {
        "evidence_method": PerformanceObjective.EvidenceMethod.OBSERVATION,
        "time_window": timedelta(days=5),
        "time_window_anchor": "of the escalation",
    }
    pos = [
        _objective_po(
            program,
            "Leads will present options and trade-offs to stakeholders within 5 days "
            "of an escalation",
            action="present options and trade-offs",
            condition="when a customer escalation needs a decision",
            measure="escalations with a written options paper",
            measure_unit="%",
            target_comparator="gte",
            target_value=Decimal("90"),
            **common,
        ),
        _objective_po(
            program,
            "Leads will run a cross-functional review that agrees owners for every hand-off",
            action="run a cross-functional review",
            condition="during an escalation involving two or more functions",
            measure="hand-offs with a named owner",
            measure_unit="%",
            target_comparator="gte",
            target_value=Decimal("95"),
            **common,
        ),
    ]
    pos[0].learning_objectives.set(los[:2])
    pos[1].learning_objectives.set(los[2:])
    K = Step.Kind
    pathway = _pathway(
        program,
        [
            (K.BASELINE_ASSESSMENT, "Baseline assessment with your supervisor", 1, los, [], {}),
            (K.CASE_STUDY, "Case study: the delayed enterprise rollout", 2, los[1:2], pos[:1], {}),
            (K.SIMULATION, "Simulation: a three-team escalation", 3, los[2:], pos[1:], {}),
            (K.ON_THE_JOB, "Stretch assignment: lead a live escalation", 4, [], pos, {}),
            (K.DEBRIEF, "Structured debrief of the assignment", 4, los, pos, {}),
            (K.CHECKPOINT_REVIEW, "Checkpoint: present results to stakeholders", 5, [], pos, {}),
        ],
    )
    metrics = [
        _upsert(
            OutcomeMetric,
            {"program": program, "name": "Time to competency"},
            kind=OutcomeMetric.Kind.TIME_TO_COMPETENCY,
            unit="days",
            direction=OutcomeMetric.Direction.DECREASE,
            baseline=Decimal("180"),
            target=Decimal("120"),
        ),
        _upsert(
            OutcomeMetric,
            {"program": program, "name": "Escalation cycle time"},
            kind=OutcomeMetric.Kind.CYCLE_TIME,
            unit="hours",
            direction=OutcomeMetric.Direction.DECREASE,
            baseline=Decimal("72"),
            target=Decimal("48"),
            money_value_per_unit=Decimal("55"),
        ),
        _upsert(
            OutcomeMetric,
            {"program": program, "name": "Stakeholder satisfaction"},
            kind=OutcomeMetric.Kind.STAKEHOLDER_SATISFACTION,
            unit="points",
            direction=OutcomeMetric.Direction.INCREASE,
            baseline=Decimal("6.8"),
            target=Decimal("8.5"),
        ),
    ]
    metrics[1].performance_objectives.set(pos)
    metrics[2].performance_objectives.set(pos[:1])
    metrics[0].performance_objectives.set(pos)
    return program, pathway, los, pos, metrics


def _enrol(people, username, program, supervisor, enrolled_on, coach=None, cohort=None):
    enrolment = Enrolment.objects.filter(learner=people[username], program=program).first()
    if enrolment is None:
        enrolment = enrolment_create(
            learner=people[username],
            program=program,
            enrolled_on=enrolled_on,
            supervisor=people[supervisor],
            coach=people[coach] if coach else None,
            cohort=cohort,
        )
    return enrolment


def _advance(enrolment, done: int, now, *, in_progress=True):
    """Complete the first `done` steps and start the next one."""
    progress = list(
        StepProgress.objects.filter(enrolment=enrolment)
        .select_related("step")
        .order_by("step__position")
    )
    start = now - timedelta(days=7 * (done + 1))
    for index, item in enumerate(progress):
        item.due_on = enrolment.enrolled_on + timedelta(days=14 * (index + 1))
        item.save(update_fields=["due_on", "updated_at"])
        if index < done and item.status != StepProgress.Status.COMPLETED:
            step_progress_update(
                progress=item,
                status=StepProgress.Status.COMPLETED,
                at=start + timedelta(days=7 * index),
            )
        elif index == done and in_progress and item.status == StepProgress.Status.NOT_STARTED:
            step_progress_update(
                progress=item, status=StepProgress.Status.IN_PROGRESS, at=now - timedelta(days=2)
            )


def _observe(enrolment, observer, po, behaviour, hours_ago, rating, now, feedback_after=None):
    """Log an observation once; optionally give feedback `feedback_after` hours later."""
    observation = (
        Observation.objects.filter(
            enrolment=enrolment, performance_objective=po, behaviour=behaviour
        )
        .select_related("feedback_window")
        .first()
    )
    observed_at = now - timedelta(hours=hours_ago)
    meant_open = feedback_after is None and observed_at + po.feedback_window > now
    if observation is not None and meant_open and not observation.feedback.exists():
        # A demo started days after the first seed still shows windows closing soon.
        Observation.objects.filter(pk=observation.pk).update(observed_at=observed_at)
        FeedbackWindow.objects.filter(observation=observation).update(
            opens_at=observed_at,
            closes_at=observed_at + po.feedback_window,
            status=FeedbackWindow.Status.OPEN,
            resolved_at=None,
        )
    if observation is None:
        observation = observation_log(
            observer=observer,
            enrolment=enrolment,
            performance_objective=po,
            rating=rating,
            behaviour=behaviour,
            observed_at=observed_at,
        )
        if feedback_after is not None:
            feedback_give(
                observation=observation,
                giver=observer,
                specific_example=f"When you {behaviour[0].lower()}{behaviour[1:].rstrip('.')}, "
                "I noticed it straight away.",
                impact_on_team_goals="It kept the team on track for this quarter's "
                "first-contact resolution goal.",
                delivered_at=observation.observed_at + timedelta(hours=feedback_after),
            )
    return observation


def _assess(enrolment, competency, kind, level, assessor, on):
    if not Assessment.objects.filter(
        enrolment=enrolment, competency=competency, kind=kind, assessed_on=on
    ).exists():
        assessment = Assessment(
            enrolment=enrolment,
            competency=competency,
            kind=kind,
            assessed_level=level,
            assessor=assessor,
            assessed_on=on,
        )
        assessment.full_clean()
        assessment.save()


def _measure_series(metric, values, now, enrolment=None):
    """One value a month, the last one this month."""
    for months_ago, value in zip(range(len(values) - 1, -1, -1), values, strict=True):
        at = (now - timedelta(days=30 * months_ago)).replace(
            hour=12, minute=0, second=0, microsecond=0
        )
        exists = Measurement.objects.filter(
            metric=metric, enrolment=enrolment, note=f"month -{months_ago}"
        )
        if exists.exists():
            exists.update(measured_at=at, value=Decimal(str(value)))
        else:
            Measurement.objects.create(
                metric=metric,
                enrolment=enrolment,
                measured_at=at,
                value=Decimal(str(value)),
                note=f"month -{months_ago}",
            )


@transaction.atomic
def seed_demo(*, now=None) -> dict:
    """Create or refresh the demo; returns row counts of the main tables."""
    now = now or timezone.now()
    today = now.date()
    people = _org_and_people()
    framework, competencies, levels = _framework()
    fb_program, fb_pathway, fb_lo, fb_pos, fb_metrics = _feedback_program(
        people, framework, competencies
    )
    ld_program, ld_pathway, ld_los, ld_pos, ld_metrics = _leadership_program(
        people, framework, competencies
    )

    # Feedback program: five support learners at different points.
    start = today - timedelta(days=70)
    cohort, _ = Cohort.objects.get_or_create(
        program=fb_program, name="Customer Support, spring", defaults={"starts_on": start}
    )
    fb = {
        name: _enrol(
            people,
            name,
            fb_program,
            "manager",
            start,
            coach="coach" if i == 0 else None,
            cohort=cohort,
        )
        for i, name in enumerate(["learner", "learner2", "learner3", "learner4", "learner5"])
    }
    _advance(fb["learner"], 3, now)
    _advance(fb["learner2"], 1, now)
    _advance(fb["learner3"], 4, now)
    _advance(fb["learner4"], 6, now, in_progress=False)
    _advance(fb["learner5"], 0, now)
    completed = fb["learner4"]
    if completed.status != Enrolment.Status.COMPLETED:
        completed.status = Enrolment.Status.COMPLETED
        completed.completed_on = today - timedelta(days=5)
        completed.competent_on = today - timedelta(days=12)
        completed.save(update_fields=["status", "completed_on", "competent_on", "updated_at"])

    m, c, s = people["manager"], people["coach"], people["learner5"]
    deliver, cite, impact = fb_pos
    # Open windows (feedback still due), met windows and missed ones.
    _observe(
        fb["learner"],
        m,
        deliver,
        "Raised a missed hand-off with Omar right after the stand-up.",
        3,
        3,
        now,
    )
    _observe(
        fb["learner"], c, cite, "Cited the exact ticket when coaching a new joiner.", 20, 3, now
    )
    _observe(
        fb["learner"],
        m,
        impact,
        "Linked a colleague's late update to the team's SLA.",
        30,
        4,
        now,
        feedback_after=6,
    )
    _observe(
        fb["learner"],
        s,
        deliver,
        "Gave same-day feedback on a customer call.",
        200,
        3,
        now,
        feedback_after=4,
    )
    _observe(fb["learner2"], m, cite, "Gave general praise without naming the moment.", 10, 2, now)
    _observe(
        fb["learner2"],
        m,
        deliver,
        "Waited a week to mention a tone issue.",
        240,
        1,
        now,
        feedback_after=60,
    )
    _observe(
        fb["learner3"],
        m,
        deliver,
        "Gave feedback the same afternoon, naming the call.",
        100,
        4,
        now,
    )
    _observe(
        fb["learner3"],
        c,
        impact,
        "Explained how the hand-off delay hit the team goal.",
        400,
        3,
        now,
        feedback_after=3,
    )
    _observe(
        fb["learner3"],
        m,
        cite,
        "Quoted the customer's words when giving feedback.",
        600,
        3,
        now,
        feedback_after=20,
    )
    _observe(
        fb["learner4"],
        m,
        deliver,
        "Ran a feedback round within the hour.",
        900,
        4,
        now,
        feedback_after=2,
    )
    feedback_windows_mark_missed(now=now)

    for name, enrolment in fb.items():
        baseline_rank = 1 if name in ("learner2", "learner5") else 2
        _assess(
            enrolment,
            competencies["FB"],
            Assessment.Kind.BASELINE,
            levels[baseline_rank - 1],
            m,
            start + timedelta(days=1),
        )
        if name not in ("learner5",):
            _assess(
                enrolment,
                competencies["FB"],
                Assessment.Kind.CHECKPOINT,
                levels[min(baseline_rank, 3)],
                m,
                start + timedelta(days=40),
            )
    _assess(
        fb["learner"],
        competencies["FB"],
        Assessment.Kind.SELF,
        levels[2],
        people["learner"],
        today - timedelta(days=3),
    )

    if not Reflection.objects.filter(enrolment=fb["learner"]).exists():
        reflection_write(
            enrolment=fb["learner"],
            step=fb_pathway.steps.get(position=3),
            body="In the role-play I softened the example until it meant nothing. Naming the "
            "exact moment felt awkward but Omar knew what to change.",
            next_action="Give feedback on the next hand-off the same day, citing the ticket.",
            at=now - timedelta(days=4),
        )
    if not PeerFeedbackRequest.objects.filter(enrolment=fb["learner"]).exists():
        peer_feedback_request_create(
            enrolment=fb["learner"],
            requested_by=m,
            reviewer=people["learner3"],
            prompt="How specific was Lena's feedback to you this month?",
            due_at=now + timedelta(days=3),
            anonymous=True,
            performance_objective=cite,
        )
        answered = peer_feedback_request_create(
            enrolment=fb["learner"],
            requested_by=m,
            reviewer=people["learner2"],
            prompt="Did Lena's feedback name the impact on our SLA?",
            due_at=now + timedelta(days=1),
            performance_objective=impact,
        )
        peer_feedback_respond(
            request=answered,
            response="Yes: she showed how my late update pushed two tickets past the SLA.",
            at=now - timedelta(hours=5),
        )

    # Leadership program: three engineers; one withdrawn.
    ld_start = today - timedelta(days=120)
    ld = {
        name: _enrol(people, name, ld_program, "manager2", ld_start, coach="coach")
        for name in ["learner6", "learner7", "learner8"]
    }
    _advance(ld["learner6"], 4, now)
    _advance(ld["learner7"], 6, now, in_progress=False)
    _advance(ld["learner8"], 1, now)
    learner7 = ld["learner7"]
    if learner7.status != Enrolment.Status.COMPLETED:
        learner7.status = Enrolment.Status.COMPLETED
        learner7.completed_on = today - timedelta(days=10)
        learner7.competent_on = today - timedelta(days=20)
        learner7.save(update_fields=["status", "completed_on", "competent_on", "updated_at"])
    learner8 = ld["learner8"]
    if learner8.status != Enrolment.Status.WITHDRAWN:
        learner8.status = Enrolment.Status.WITHDRAWN
        learner8.save(update_fields=["status", "updated_at"])
    options, review = ld_pos
    m2 = people["manager2"]
    _observe(
        ld["learner6"],
        m2,
        options,
        "Wrote a two-option paper for the rollout delay.",
        50,
        3,
        now,
        feedback_after=30,
    )
    _observe(
        ld["learner6"],
        m2,
        review,
        "Ran the three-team review; two hand-offs lacked owners.",
        6,
        2,
        now,
    )
    _observe(
        learner7,
        m2,
        review,
        "Closed the review with an owner on every hand-off.",
        700,
        4,
        now,
        feedback_after=5,
    )
    feedback_windows_mark_missed(now=now)
    for name, enrolment in ld.items():
        for code in ("SC", "JD", "CF"):
            _assess(
                enrolment,
                competencies[code],
                Assessment.Kind.BASELINE,
                levels[0],
                m2,
                ld_start + timedelta(days=2),
            )
            if name != "learner8":
                _assess(
                    enrolment,
                    competencies[code],
                    Assessment.Kind.CHECKPOINT,
                    levels[2],
                    m2,
                    ld_start + timedelta(days=90),
                )

    stretch = ld_pathway.steps.get(position=4)
    assignments = {}
    for name, title, kind, submitted in [
        (
            "learner6",
            "Lead the enterprise rollout escalation",
            Assignment.ScenarioKind.CUSTOMER_ESCALATION,
            True,
        ),
        (
            "learner7",
            "Decide the Q3 platform trade-off",
            Assignment.ScenarioKind.PROJECT_TRADEOFF,
            True,
        ),
    ]:
        enrolment = ld[name]
        assignment = Assignment.objects.filter(enrolment=enrolment, title=title).first()
        if assignment is None:
            assignment = assignment_create(
                enrolment=enrolment,
                step=stretch,
                title=title,
                scenario_kind=kind,
                brief="A live problem with customers and two other teams waiting on a decision.",
                stakeholders="Head of Support, Product Director, the customer's account lead",
                due_on=today + timedelta(days=10),
                criteria=[
                    {
                        "description": "Options and trade-offs presented in writing",
                        "performance_objective": options,
                    },
                    {
                        "description": "Every hand-off has a named owner",
                        "performance_objective": review,
                    },
                ],
            )
            if submitted:
                assignment_submit_evidence(
                    assignment=assignment,
                    evidence="Options paper, review notes and the agreed owner list.",
                    outcome="Decision taken in 3 days instead of the usual 8.",
                    at=now - timedelta(days=6),
                )
        assignments[name] = assignment
    presented = assignments["learner7"]
    if presented.presented_on is None:
        assignment_record_presentation(
            assignment=presented,
            presented_on=today - timedelta(days=4),
            presented_to="Head of Support and Product Director",
        )
    if not Debrief.objects.filter(assignment=presented).exists():
        debrief_record(
            enrolment=learner7,
            assignment=presented,
            facilitator=m2,
            held_at=now - timedelta(days=3),
            what_happened="Sara led the trade-off review with product and support.",
            what_went_well="A written options paper made the decision fast.",
            what_to_change="Bring finance in before, not after, the review.",
            lessons="Trade-offs land when each option names its customer impact.",
            actions=[
                {
                    "description": "Invite finance to the next trade-off review",
                    "owner": learner7.learner,
                    "due_on": today + timedelta(days=14),
                }
            ],
        )
    if not CoachingSession.objects.filter(enrolment=ld["learner6"]).exists():
        coaching_session_record(
            enrolment=ld["learner6"],
            coach=people["coach"],
            held_at=now - timedelta(days=8),
            focus="Running reviews that end with owners",
            commitments=[
                {
                    "description": "Close every review with an owner per hand-off",
                    "measure": "hand-offs with a named owner",
                    "target_value": Decimal("100"),
                    "target_unit": "%",
                    "due_on": today + timedelta(days=21),
                }
            ],
        )

    # Outcome metrics: six months moving from baseline towards target.
    _measure_series(fb_metrics[0], [35, 41, 52, 60, 68, 74], now)
    _measure_series(fb_metrics[1], [62, 63, 65, 66, 69, 70], now)
    _measure_series(ld_metrics[0], [180, 172, 160, 151, 140, 133], now)
    _measure_series(ld_metrics[1], [72, 70, 66, 61, 57, 52], now)
    _measure_series(ld_metrics[2], [6.8, 6.9, 7.2, 7.5, 7.8, 8.0], now)
    _measure_series(ld_metrics[1], [70, 58, 44], now, enrolment=ld["learner6"])

    last_week = last_full_week(today)
    review_obj = sponsor_review_rollup(
        program=fb_program, period_start=last_week[0], period_end=last_week[1]
    )
    _upsert(
        ReviewComment,
        {"review": review_obj, "author": people["sponsor"]},
        body="Timeliness is up, but specific examples lag: learners stall at the role-play.",
    )
    _upsert(
        ReviewDecision,
        {
            "review": review_obj,
            "description": "Recalibrate the pathway: add a "
            "practice step on citing specific examples before the role-play",
        },
        owner=people["hradmin"],
        due_on=today + timedelta(days=21),
        decided_by=people["sponsor"],
    )
    _upsert(
        SuccessStory,
        {"program": ld_program, "title": "A trade-off decided in three days"},
        enrolment=learner7,
        assignment=presented,
        metric=ld_metrics[1],
        story="Sara used the options paper from the case study on a live platform trade-off "
        "and presented it to the Head of Support and the Product Director.",
        result="Escalation cycle time on her team fell from 72 to 52 hours.",
        published=True,
    )

    return {
        "people": User.objects.count(),
        "programs": Program.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "observations": Observation.objects.count(),
        "open feedback windows": FeedbackWindow.objects.filter(status="open").count(),
        "feedback": Feedback.objects.count(),
        "measurements": Measurement.objects.count(),
    }
