"""Demo data: the two programs of the source articles, the people around them and their evidence.

`seed_demo()` builds everything through the services, so the demo obeys the rules that data
entered by hand obeys. It is idempotent: each row is first looked up by a natural key (a
username, a code, a slug, a title; an observation by its enrolment, objective and behaviour)
and only what is missing is created. A second run adds no rows: it moves the demo's times
along so that, relative to `now`, recent feedback windows are open again and due dates are
current. Published frameworks and pathway versions are left as they are, as the product
requires of anything learners already stand on.
"""

import datetime as dt
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Count
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
    BenefitEstimate,
    CostItem,
    Measurement,
    OutcomeMetric,
    SponsorReview,
    SuccessStory,
)
from measurement.rollups import last_full_week, sponsor_review_rollup
from measurement.services import (
    assessment_record,
    benefit_estimate_set,
    cost_item_add,
    measurement_record,
    outcome_metric_create,
    review_comment_add,
    review_decision_add,
)
from objectives.models import (
    Competency,
    CompetencyFramework,
    LearningObjective,
    PerformanceObjective,
)
from objectives.services import (
    competency_create,
    framework_create,
    framework_publish,
    indicator_create,
    learning_objective_create,
    learning_objective_update,
    performance_objective_create,
    performance_objective_update,
    scale_create,
)
from people.models import JobRole, OrgUnit, RoleRequirement, User
from programs.models import (
    Assignment,
    Cohort,
    Enrolment,
    Program,
    Rating,
    Step,
    StepProgress,
)
from programs.services import (
    assignment_create,
    assignment_record_presentation,
    assignment_submit_evidence,
    cohort_create,
    enrolment_create,
    pathway_create,
    pathway_publish,
    pathway_reorder,
    program_create,
    program_update,
    step_add,
    step_progress_update,
)

DEMO_LOGINS = [
    ("learner", "Learner — follows a pathway"),
    ("manager", "Manager — supervises and observes"),
    ("sponsor", "Sponsor — reads outcome dashboards"),
    ("hradmin", "HR admin / program designer"),
]

PRODUCT_APPS = ("people", "objectives", "programs", "coaching", "measurement")
HR_ADMIN_GROUP = "HR admins"

# --- The organisation ---------------------------------------------------------------------

ORG_UNITS = [  # (code, name, parent code): parents first
    ("northwind", "Northwind", None),
    ("customer-operations", "Customer Operations", "northwind"),
    ("customer-support", "Customer Support", "customer-operations"),
    ("escalations", "Escalations", "customer-operations"),
    ("engineering", "Engineering", "northwind"),
    ("platform", "Platform", "engineering"),
    ("product-engineering", "Product Engineering", "engineering"),
    ("people-talent", "People & Talent", "northwind"),
]

JOB_ROLES = [  # (code, title, description, {competency code: required level rank})
    (
        "support-specialist",
        "Support Specialist",
        "Resolves customer issues and hands work on cleanly to the next shift or team.",
        {"FB": 2, "SC": 2},
    ),
    (
        "team-lead",
        "Team Lead",
        "Leads a support team day to day: coaching, hand-offs and escalations.",
        {"FB": 3, "SC": 3, "CF": 3, "JD": 2},
    ),
    (
        "software-engineer",
        "Software Engineer",
        "Builds and runs the product with support and product colleagues.",
        {"SC": 2, "CF": 2, "JD": 2},
    ),
    (
        "engineering-lead",
        "Engineering Lead",
        "Leads engineers through delivery trade-offs and cross-team escalations.",
        {"FB": 3, "SC": 3, "CF": 3, "JD": 3},
    ),
]


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    employee_id: str
    job_title: str
    org_unit: str
    time_zone: str
    manager: str | None = None  # username; listed before their reports
    job_role: str | None = None


PEOPLE = [
    Person(
        "hradmin", "Hana", "Reyes", "NW-1001", "Head of Talent Development", "people-talent",
        "Europe/London",
    ),
    Person(
        "sponsor", "Samuel", "Okafor", "NW-1002", "VP Customer Operations", "customer-operations",
        "America/New_York",
    ),
    Person(
        "coach", "Claire", "Dubois", "NW-1003", "Leadership Coach", "people-talent",
        "Europe/Paris", "hradmin",
    ),
    Person(
        "manager", "Maya", "Lindqvist", "NW-1004", "Support Team Lead", "customer-support",
        "Europe/London", "sponsor", "team-lead",
    ),
    Person(
        "manager2", "Marcus", "Chen", "NW-1005", "Engineering Manager", "engineering",
        "Asia/Singapore", "sponsor", "engineering-lead",
    ),
    Person(
        "learner", "Lena", "Fischer", "NW-1101", "Senior Support Specialist", "customer-support",
        "Europe/London", "manager", "support-specialist",
    ),
    Person(
        "learner2", "Omar", "Haddad", "NW-1102", "Support Specialist", "customer-support",
        "Europe/Dublin", "manager", "support-specialist",
    ),
    Person(
        "learner3", "Priya", "Nair", "NW-1103", "Support Specialist", "customer-support",
        "Asia/Singapore", "manager", "support-specialist",
    ),
    Person(
        "learner4", "Tom", "Walsh", "NW-1104", "Escalations Specialist", "escalations",
        "America/New_York", "manager", "support-specialist",
    ),
    Person(
        "learner5", "Aiko", "Tanaka", "NW-1105", "Support Coordinator", "customer-support",
        "Asia/Tokyo", "manager", "support-specialist",
    ),
    Person(
        "learner6", "Diego", "Santos", "NW-1106", "Senior Software Engineer", "platform",
        "America/Chicago", "manager2", "software-engineer",
    ),
    Person(
        "learner7", "Sara", "Berg", "NW-1107", "Staff Engineer", "platform", "Europe/Berlin",
        "manager2", "software-engineer",
    ),
    Person(
        "learner8", "Kofi", "Mensah", "NW-1108", "Software Engineer", "product-engineering",
        "Africa/Accra", "manager2", "software-engineer",
    ),
    Person(
        "learner9", "Grace", "Liu", "NW-1109", "Software Engineer", "product-engineering",
        "Australia/Sydney", "manager2", "software-engineer",
    ),
]  # fmt: skip

# --- The competency framework -------------------------------------------------------------

FRAMEWORK = "Leadership Competencies"
LEVELS = [
    ("Foundational", "Knows the practice and uses it with support."),
    ("Developing", "Uses it in familiar situations, sometimes when prompted."),
    ("Proficient", "Uses it reliably and unprompted, including under pressure."),
    ("Expert", "Adapts it to new situations and coaches others in it."),
]
COMPETENCIES = [  # (code, name, description, strategic rationale, an indicator per level)
    (
        "FB",
        "Feedback",
        "Gives feedback that is timely, cites specific examples and names the impact.",
        "Teams that hear about a behaviour within a day correct course within the sprint, not "
        "at the quarterly review: rework and repeat escalations fall.",
        [
            "Gives feedback when asked, usually days after the behaviour.",
            "Gives feedback within a day and names the behaviour.",
            "Gives feedback the same day, citing a specific example and its impact on team goals.",
            "Builds a team habit of timely peer feedback and coaches others to give it.",
        ],
    ),
    (
        "SC",
        "Stakeholder communication",
        "Keeps stakeholders informed and frames decisions they can take.",
        "Customer escalations are won or lost on how clearly we communicate options and "
        "trade-offs to the people who decide.",
        [
            "Shares updates when asked.",
            "Sends regular updates tailored to the audience.",
            "Presents options and trade-offs stakeholders can decide on in one meeting.",
            "Aligns senior stakeholders with competing goals behind one decision.",
        ],
    ),
    (
        "CF",
        "Cross-functional collaboration",
        "Gets support, product and engineering working to one goal.",
        "Escalation cycle time is set by the hand-offs between functions, not by the work "
        "inside any one of them.",
        [
            "Works well inside the team.",
            "Involves the other functions a piece of work needs.",
            "Runs joint work across functions with an owner for every hand-off.",
            "Shapes how functions work together across the organisation.",
        ],
    ),
    (
        "JD",
        "Judgement under constraints",
        "Makes sound trade-offs between scope, time, cost and quality.",
        "Leads make project trade-offs with incomplete information every week; good ones "
        "protect quality and cost at once.",
        [
            "Escalates trade-off decisions.",
            "Decides routine trade-offs and can explain why.",
            "Decides under time pressure, weighing options, and records the rationale.",
            "Sets decision principles others use.",
        ],
    ),
]

# --- Programs -----------------------------------------------------------------------------

FEEDBACK_SLUG = "timely-specific-feedback"
LEADERSHIP_SLUG = "leading-through-real-work"
FEEDBACK_LO = (
    "Participants will be able to identify and distinguish the behavioral benefits of timely "
    "and specific feedback."
)
DELIVER = "Participants will deliver feedback within 24 hours of observing a behavior"
CITE = "Participants will cite specific examples when giving feedback"
IMPACT = "Participants will describe the impact of the behavior on team goals"

# 3 observations rated "meets" or better, from 2 observers, within 60 days.
FEEDBACK_GATE = {
    "gate_min_observations": 3,
    "gate_min_rating": Rating.MEETS,
    "gate_min_observers": 2,
    "gate_within_days": 60,
}


@dataclass(frozen=True)
class StepSpec:
    kind: str
    title: str
    description: str
    difficulty: int
    effort_hours: float
    days: int  # calendar days a learner is given for the step: sets due dates
    learning: tuple[str, ...] = ()  # keys of the program's learning objectives
    performance: tuple[str, ...] = ()  # keys of its performance objectives
    gate: dict | None = None


K = Step.Kind
FEEDBACK_STEPS = [
    StepSpec(
        K.MICRO_LEARNING,
        "Why timely, specific feedback works",
        "Ten minutes on what timely, specific feedback changes for a team, with three short "
        "examples to tell apart.",
        1,
        0.25,
        7,
        learning=("why",),
    ),
    StepSpec(
        K.CASE_STUDY,
        "Case study: the review that came too late",
        "Analyse a quarter in which feedback waited for the performance review: what it cost "
        "the team, and what a specific example on the day would have changed.",
        2,
        1,
        7,
        learning=("why",),
        performance=("cite", "impact"),
    ),
    StepSpec(
        K.ROLE_PLAY,
        "Role-play: feedback after a tense stand-up",
        "Practise with a partner and an observer: name the moment, its impact on the team goal "
        "and what to try next, in under five minutes.",
        3,
        1.5,
        7,
        learning=("why",),
        performance=("deliver", "cite", "impact"),
    ),
    StepSpec(
        K.ON_THE_JOB,
        "On the job: give feedback within 24 hours",
        "Over six weeks, give feedback within 24 hours of behaviours you observe. Your "
        "supervisor and one other observer rate what they see.",
        4,
        8,
        42,
        performance=("deliver", "cite", "impact"),
        gate=FEEDBACK_GATE,
    ),
    StepSpec(
        K.REFLECTION,
        "Reflection: what changed in your team",
        "Write what you tried, what you noticed in your team and what you will keep doing.",
        4,
        0.5,
        7,
        learning=("why",),
    ),
    StepSpec(
        K.CHECKPOINT_REVIEW,
        "Checkpoint review with your supervisor",
        "Go through the evidence against the three performance objectives and agree whether "
        "you are competent.",
        5,
        1,
        7,
        learning=("why",),
        performance=("deliver", "cite", "impact"),
    ),
]
# What the sponsor review decided: a practice step on specific examples before the role-play.
RECALIBRATION_STEP = StepSpec(
    K.CASE_STUDY,
    "Practice: turn vague feedback into specific examples",
    "Rewrite five pieces of vague feedback so that each names what was said or done, and when.",
    2,
    1,
    7,
    learning=("why",),
    performance=("cite",),
)
RECALIBRATION_NOTE = (
    "Sponsor review decision: add a practice step on citing specific examples before the "
    "role-play, where learners stalled."
)

LEADERSHIP_STEPS = [
    StepSpec(
        K.BASELINE_ASSESSMENT,
        "Baseline assessment with your supervisor",
        "Rate yourself and be rated against the four leadership competencies, so the pathway "
        "starts from your strengths and gaps.",
        1,
        1.5,
        7,
        learning=("cf", "jd", "sc"),
    ),
    StepSpec(
        K.CASE_STUDY,
        "Case study: the delayed enterprise rollout",
        "Weigh three options for a rollout that cannot ship with full scope, on time and on "
        "budget; write the rationale.",
        2,
        2,
        14,
        learning=("jd",),
        performance=("decide",),
    ),
    StepSpec(
        K.ROLE_PLAY,
        "Role-play: present a trade-off to a sceptical director",
        "Present your options paper in ten minutes to a director who wants everything.",
        3,
        1.5,
        14,
        learning=("sc",),
        performance=("present",),
    ),
    StepSpec(
        K.SIMULATION,
        "Simulation: a three-team customer escalation",
        "Run a live escalation between support, platform and product: agree owners for every "
        "hand-off and brief the customer's account lead.",
        4,
        3,
        14,
        learning=("cf", "sc"),
        performance=("review", "present"),
    ),
    StepSpec(
        K.ON_THE_JOB,
        "Stretch assignment: lead a real problem and present the results",
        "Lead a live cross-functional problem to a decision with success criteria agreed up "
        "front, then present the results to its stakeholders.",
        5,
        20,
        42,
        performance=("review", "decide", "present"),
    ),
    StepSpec(
        K.DEBRIEF,
        "Structured debrief of the stretch assignment",
        "What happened, what went well, what to change, the lessons, and next actions with "
        "owners and dates.",
        5,
        1,
        7,
        learning=("cf", "jd", "sc"),
        performance=("review", "decide", "present"),
    ),
    StepSpec(
        K.CHECKPOINT_REVIEW,
        "Checkpoint: evidence and results with your supervisor",
        "Review observations, the assignment's results and your self-assessment against the "
        "role's required levels.",
        5,
        1,
        14,
        learning=("cf", "jd", "sc"),
        performance=("review", "decide", "present"),
    ),
]


@dataclass(frozen=True)
class Plan:
    """Where one learner stands on a program."""

    learner: str
    supervisor: str
    enrolled: int  # days ago
    done: int  # steps completed, in order
    done_by: timedelta  # how long ago the last completed step finished
    current: bool = True  # the step after them is in progress
    cohort: str | None = None
    coach: str | None = None
    status: str = Enrolment.Status.ACTIVE
    competent: int | None = None  # days ago


@dataclass(frozen=True)
class Said:
    """Feedback on an observation, `after` the behaviour; given by the observer."""

    after: timedelta
    example: str
    impact: str
    suggestion: str = ""


def _days(n=0, hours=0):
    return timedelta(days=n, hours=hours)


def _upsert(model, lookup: dict, **values):
    """Find a row by its natural key (or start one), bring its values up to date, validate."""
    obj = model.objects.filter(**lookup).first() or model(**lookup)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


def _touch(obj, **values):
    """Update a row the demo made, in place: a later run moves its times along the clock,
    which the services (rightly) refuse to do for times in the past or future."""
    type(obj).objects.filter(pk=obj.pk).update(**values)
    for name, value in values.items():
        setattr(obj, name, value)


class _Demo:
    """One run of the seed, with the clock it runs against."""

    def __init__(self, *, now, stdout):
        self.now = now
        self.today = timezone.localdate(now)
        self.stdout = stdout
        self.last_week = last_full_week(self.today)

    def say(self, message):
        if self.stdout is not None:
            self.stdout.write(message)

    def ago(self, delta: timedelta):
        return self.now - delta

    def day(self, days_ago: int):
        return self.today - timedelta(days=days_ago)

    def in_days(self, days: int):
        return self.today + timedelta(days=days)

    def in_last_week(self, weekday: int, hour: int) -> timedelta:
        """How long ago `hour`:00 UTC was on that day of the last full week (0 is its Monday;
        a negative day falls in the week before). Sponsor reviews roll up that week, so
        evidence placed in it shows there whatever the weekday of the run."""
        moment = dt.datetime.combine(
            self.last_week[0] + timedelta(days=weekday), dt.time(hour, tzinfo=dt.UTC)
        )
        return self.now - moment

    # --- People and the framework ---------------------------------------------------------

    def seed_org_units(self):
        self.units = {}
        for code, name, parent in ORG_UNITS:
            self.units[code] = _upsert(
                OrgUnit, {"code": code}, name=name, parent=self.units.get(parent)
            )

    def seed_framework(self):
        framework = CompetencyFramework.objects.filter(name=FRAMEWORK, version=1).first()
        if framework is None:
            framework = framework_create(
                name=FRAMEWORK,
                description="The behaviours Northwind expects of people who lead work and "
                "people, mapped to the customer operations strategy.",
            )
            scale = scale_create(
                framework=framework, name="Four levels", levels=[name for name, _ in LEVELS]
            )
            levels = list(scale.levels.order_by("rank"))
            for level, (_, description) in zip(levels, LEVELS, strict=True):
                level.description = description
                level.save(update_fields=["description", "updated_at"])
            for code, name, description, rationale, indicators in COMPETENCIES:
                competency = competency_create(
                    framework=framework,
                    code=code,
                    name=name,
                    description=description,
                    strategic_rationale=rationale,
                    scale=scale,
                )
                for level, text in zip(levels, indicators, strict=True):
                    indicator_create(competency=competency, level=level, description=text)
            framework = framework_publish(framework=framework)
        _touch(framework, published_at=self.ago(_days(240)))
        scale = framework.scales.get()
        self.framework = framework
        self.levels = {level.rank: level for level in scale.levels.all()}
        self.competencies = {c.code: c for c in framework.competencies.all()}

    def seed_job_roles(self):
        self.roles = {}
        for code, title, description, required in JOB_ROLES:
            role = _upsert(JobRole, {"code": code}, title=title, description=description)
            for competency_code, rank in required.items():
                _upsert(
                    RoleRequirement,
                    {"job_role": role, "competency": self.competencies[competency_code]},
                    required_level=self.levels[rank],
                )
            self.roles[code] = role

    def seed_people(self):
        password = self._password_hash()
        self.people = {}
        for person in PEOPLE:
            self.people[person.username] = _upsert(
                User,
                {"username": person.username},
                first_name=person.first_name,
                last_name=person.last_name,
                email=f"{person.first_name}.{person.last_name}@northwind.example".lower(),
                employee_id=person.employee_id,
                job_title=person.job_title,
                org_unit=self.units[person.org_unit],
                job_role=self.roles.get(person.job_role),
                manager=self.people.get(person.manager),
                time_zone=person.time_zone,
                is_staff=person.username == "hradmin",
                is_active=True,
                password=password,
            )
        # The HR admin role is a permission; the model permissions open the admin to them.
        group, _ = Group.objects.get_or_create(name=HR_ADMIN_GROUP)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label__in=PRODUCT_APPS).exclude(
                codename__startswith="delete_"
            )
        )
        self.people["hradmin"].groups.add(group)

    def _password_hash(self) -> str:
        # Hashing is deliberately slow: hash once per run, and keep a hash that still matches
        # (so a second run does not sign the demo people out).
        usernames = [person.username for person in PEOPLE]
        current = (
            User.objects.filter(username__in=usernames)
            .exclude(password="")
            .values_list("password", flat=True)
            .first()
        )
        if current and check_password(settings.DEMO_PASSWORD, current):
            return current
        return make_password(settings.DEMO_PASSWORD)

    def person(self, username) -> User:
        return self.people[username]

    # --- Programs, objectives, pathways, metrics ------------------------------------------

    def program(self, slug, *, starts, **fields):
        owner, sponsors = self.person("hradmin"), [self.person("sponsor")]
        fields |= {"framework": self.framework, "starts_on": self.day(starts)}
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            return program_create(owner=owner, sponsors=sponsors, slug=slug, **fields)
        return program_update(program=program, owner=owner, sponsors=sponsors, **fields)

    def learning_objective(self, program, code, statement, bloom, method):
        found = LearningObjective.objects.filter(program=program, statement=statement).first()
        fields = {
            "competency": self.competencies[code],
            "bloom_level": bloom,
            "assessment_method": method,
        }
        if found is None:
            return learning_objective_create(program=program, statement=statement, **fields)
        return learning_objective_update(objective=found, **fields)

    def performance_objective(self, program, statement, *, supports, **fields):
        found = PerformanceObjective.objects.filter(program=program, statement=statement).first()
        if found is None:
            return performance_objective_create(
                program=program, learning_objectives=supports, statement=statement, **fields
            )
        objective = performance_objective_update(objective=found, **fields)
        objective.learning_objectives.set(supports)
        return objective

    def pathway(self, program, steps, los, pos, *, published):
        """Version 1 of the program's pathway, built and published once."""
        pathway = program.pathways.filter(version=1).first()
        if pathway is None:
            pathway = pathway_create(program=program, change_note="First version.")
            for spec in steps:
                self.step(pathway, spec, los, pos)
            pathway = pathway_publish(pathway=pathway)
        _touch(pathway, published_at=self.ago(_days(published)))
        return pathway

    def step(self, pathway, spec: StepSpec, los, pos):
        return step_add(
            pathway=pathway,
            learning_objectives=[los[key] for key in spec.learning],
            performance_objectives=[pos[key] for key in spec.performance],
            kind=spec.kind,
            title=spec.title,
            description=spec.description,
            difficulty=spec.difficulty,
            expected_duration=timedelta(hours=spec.effort_hours),
            **(spec.gate or {}),
        )

    def metric(self, program, name, *, moves, **fields):
        metric = OutcomeMetric.objects.filter(program=program, name=name).first()
        if metric is None:
            return outcome_metric_create(
                program=program, name=name, performance_objectives=moves, **fields
            )
        for field, value in fields.items():
            setattr(metric, field, value)
        metric.full_clean()
        metric.save()
        metric.performance_objectives.set(moves)
        return metric

    def cohort(self, program, name, starts):
        cohort = Cohort.objects.filter(program=program, name=name).first()
        if cohort is None:
            return cohort_create(program=program, name=name, starts_on=self.day(starts))
        _touch(cohort, starts_on=self.day(starts))
        return cohort

    # --- Enrolments and progress ----------------------------------------------------------

    def enrol(self, program, plan: Plan, step_days: list[int], cohorts) -> Enrolment:
        learner = self.person(plan.learner)
        people = {
            "supervisor": self.person(plan.supervisor),
            "coach": self.person(plan.coach) if plan.coach else None,
            "cohort": cohorts.get(plan.cohort),
        }
        enrolled_on = self.day(plan.enrolled)
        enrolment = Enrolment.objects.filter(learner=learner, program=program).first()
        if enrolment is None:
            enrolment = enrolment_create(
                learner=learner, program=program, enrolled_on=enrolled_on, **people
            )
        finished = timezone.localdate(self.ago(plan.done_by))
        # Completing or withdrawing an enrolment has no service of its own yet.
        values = {
            **people,
            "enrolled_on": enrolled_on,
            "status": plan.status,
            "completed_on": finished if plan.status == Enrolment.Status.COMPLETED else None,
            "competent_on": None if plan.competent is None else self.day(plan.competent),
        }
        for name, value in values.items():
            setattr(enrolment, name, value)
        enrolment.full_clean()
        enrolment.save(update_fields=[*values, "updated_at"])
        self.progress(enrolment, plan, step_days)
        return enrolment

    def progress(self, enrolment, plan: Plan, step_days: list[int]):
        """Complete the first `plan.done` steps, spread over the time since enrolment in
        proportion to the days each is given, and start the next one."""
        rows = list(enrolment.progress.select_related("step").order_by("step__position"))
        start = dt.datetime.combine(enrolment.enrolled_on, dt.time(9, tzinfo=dt.UTC))
        end = self.ago(plan.done_by)
        span, total = end - start, sum(step_days[: plan.done]) or 1
        due, elapsed = enrolment.enrolled_on, 0
        for index, row in enumerate(rows):
            days = step_days[row.step.position - 1]
            due += timedelta(days=days)
            started = completed = None
            if index < plan.done:
                started = start + span * elapsed / total
                elapsed += days
                completed = start + span * elapsed / total
                status = StepProgress.Status.COMPLETED
            elif index == plan.done and plan.current:
                started, status = end, StepProgress.Status.IN_PROGRESS
            else:
                status = StepProgress.Status.NOT_STARTED
            if row.status != status:
                step_progress_update(progress=row, status=status, at=completed or started)
            _touch(row, started_at=started, completed_at=completed, due_on=due)

    # --- Evidence ---------------------------------------------------------------------------

    def observe(
        self,
        enrolment,
        observer,
        objective,
        behaviour,
        ago: timedelta,
        rating,
        *,
        evidence="",
        assignment=None,
        feedback: Said | None = None,
    ) -> Observation:
        """Log an observation once (its feedback window opens), with feedback if given."""
        observed_at = self.ago(ago)
        observer = self.person(observer)
        observation = Observation.objects.filter(
            enrolment=enrolment, performance_objective=objective, behaviour=behaviour
        ).first()
        if observation is None:
            observation = observation_log(
                observer=observer,
                enrolment=enrolment,
                performance_objective=objective,
                rating=rating,
                behaviour=behaviour,
                observed_at=observed_at,
                evidence=evidence,
                assignment=assignment,
            )
            if feedback is not None:
                feedback_give(
                    observation=observation,
                    giver=observer,
                    specific_example=feedback.example,
                    impact_on_team_goals=feedback.impact,
                    suggestion=feedback.suggestion,
                    delivered_at=observed_at + feedback.after,
                )
        else:
            self._move_observation(observation, observed_at, feedback)
        return observation

    def _move_observation(self, observation, observed_at, feedback: Said | None):
        """Shift an observation, its feedback and its window to the new clock, and decide
        the window as feedback_give and feedback_windows_mark_missed would have."""
        _touch(observation, observed_at=observed_at)
        given = observation.feedback.order_by("id").first()
        if feedback is not None and given is not None:
            _touch(given, delivered_at=observed_at + feedback.after)
        closes_at = observed_at + observation.performance_objective.feedback_window
        first = (
            Feedback.objects.filter(observation=observation)
            .order_by("delivered_at")
            .values_list("delivered_at", flat=True)
            .first()
        )
        if first is not None and first <= closes_at:
            status, resolved_at = FeedbackWindow.Status.MET, first
        elif first is not None or closes_at < self.now:
            status, resolved_at = FeedbackWindow.Status.MISSED, closes_at
        else:
            status, resolved_at = FeedbackWindow.Status.OPEN, None
        FeedbackWindow.objects.filter(observation=observation).update(
            opens_at=observed_at, closes_at=closes_at, status=status, resolved_at=resolved_at
        )

    def assess(self, enrolment, code, kind, rank, when, assessor, *, score=None, objective=None):
        """One assessment per enrolment, competency and kind."""
        competency = self.competencies[code]
        found = Assessment.objects.filter(
            enrolment=enrolment, competency=competency, kind=kind
        ).first()
        if found is None:
            return assessment_record(
                enrolment=enrolment,
                competency=competency,
                kind=kind,
                assessed_level=self.levels[rank],
                assessor=self.person(assessor),
                assessed_on=when,
                learning_objective=objective,
                score=None if score is None else Decimal(score),
            )
        _touch(found, assessed_on=when)
        return found

    def series(self, metric, values, moments, *, enrolment=None, source, recorded_by=None):
        """A metric's values at the given moments, matched to stored ones in time order."""
        stored = list(
            Measurement.objects.filter(metric=metric, enrolment=enrolment).order_by(
                "measured_at", "id"
            )
        )
        for index, (value, moment) in enumerate(zip(values, moments, strict=True)):
            value = Decimal(str(value))
            if index < len(stored):
                _touch(stored[index], measured_at=moment, value=value)
            else:
                measurement_record(
                    metric=metric,
                    value=value,
                    measured_at=moment,
                    enrolment=enrolment,
                    source=source,
                    note="Monthly figure" if enrolment is None else "",
                    recorded_by=recorded_by,
                )

    def month_ends(self, months: int) -> list[dt.datetime]:
        """The 28th of each of the last `months` full months, oldest first."""
        first_of_month = self.today.replace(day=1)
        moments = []
        for back in range(months, 0, -1):
            year, month = divmod(first_of_month.month - 1 - back, 12)
            moments.append(
                dt.datetime(first_of_month.year + year, month + 1, 28, 12, tzinfo=dt.UTC)
            )
        return moments

    def reflect(self, enrolment, step, body, next_action, ago: timedelta):
        found = Reflection.objects.filter(enrolment=enrolment, step=step).first()
        if found is None:
            return reflection_write(
                enrolment=enrolment, step=step, body=body, next_action=next_action, at=self.ago(ago)
            )
        _touch(found, written_at=self.ago(ago))
        return found

    def ask_peer(
        self,
        enrolment,
        requested_by,
        reviewer,
        prompt,
        *,
        due,
        objective,
        anonymous=False,
        answer=None,
    ):
        """A peer feedback request, answered `answer[1]` ago when an answer is given."""
        reviewer = self.person(reviewer)
        found = PeerFeedbackRequest.objects.filter(enrolment=enrolment, reviewer=reviewer).first()
        if found is None:
            found = peer_feedback_request_create(
                enrolment=enrolment,
                requested_by=self.person(requested_by),
                reviewer=reviewer,
                prompt=prompt,
                due_at=self.now + due,
                anonymous=anonymous,
                performance_objective=objective,
            )
            if answer is not None:
                found = peer_feedback_respond(
                    request=found, response=answer[0], at=self.ago(answer[1])
                )
        _touch(found, due_at=self.now + due)
        if answer is not None and found.responded_at is not None:
            _touch(found, responded_at=self.ago(answer[1]))
        return found

    # --- Program 1: Timely, Specific Feedback ----------------------------------------------

    def feedback_program(self):
        self.say("Program 1: Timely, Specific Feedback")
        program = self.program(
            FEEDBACK_SLUG,
            starts=100,
            name="Timely, Specific Feedback",
            business_goal="Raise team engagement and cut rework in Customer Support by making "
            "feedback timely and specific: within 24 hours, citing the example and its impact "
            "on team goals.",
            description="Built backwards from three performance objectives: first why timely, "
            "specific feedback works, then practice, then six weeks of doing it on the job "
            "with observers.",
            status=Program.Status.ACTIVE,
            cost=Decimal("24000"),
        )
        lo = self.learning_objective(
            program,
            "FB",
            FEEDBACK_LO,
            LearningObjective.BloomLevel.ANALYZE,
            LearningObjective.AssessmentMethod.CASE_ANALYSIS,
        )
        common = {
            "time_window": timedelta(hours=24),
            "time_window_anchor": "of observing the behaviour",
            "evidence_method": PerformanceObjective.EvidenceMethod.OBSERVATION,
            "feedback_window": timedelta(hours=24),
        }
        pos = {
            "deliver": self.performance_objective(
                program,
                DELIVER,
                supports=[lo],
                action="deliver feedback",
                condition="after observing a team member's behaviour at work",
                measure="hours from the observed behaviour to the feedback conversation",
                measure_unit="hours",
                target_comparator=PerformanceObjective.Comparator.AT_MOST,
                target_value=Decimal("24"),
                **common,
            ),
            "cite": self.performance_objective(
                program,
                CITE,
                supports=[lo],
                action="cite specific examples",
                condition="in every feedback conversation about an observed behaviour",
                measure="feedback conversations that cite what was said or done, and when",
                measure_unit="%",
                target_comparator=PerformanceObjective.Comparator.AT_LEAST,
                target_value=Decimal("90"),
                **common,
            ),
            "impact": self.performance_objective(
                program,
                IMPACT,
                supports=[lo],
                action="describe the impact of the behaviour on team goals",
                condition="in every feedback conversation about an observed behaviour",
                measure="feedback conversations that name a team goal the behaviour affected",
                measure_unit="%",
                target_comparator=PerformanceObjective.Comparator.AT_LEAST,
                target_value=Decimal("80"),
                **common,
            ),
        }
        los = {"why": lo}
        pathway = self.pathway(program, FEEDBACK_STEPS, los, pos, published=100)
        timeliness = self.metric(
            program,
            "Feedback within 24 hours",
            moves=[pos["deliver"]],
            kind=OutcomeMetric.Kind.QUALITY,
            unit="%",
            direction=OutcomeMetric.Direction.INCREASE,
            baseline=Decimal("35"),
            target=Decimal("85"),
        )
        engagement = self.metric(
            program,
            "Team engagement score",
            moves=[pos["cite"], pos["impact"]],
            kind=OutcomeMetric.Kind.OTHER,
            unit="points of 100",
            direction=OutcomeMetric.Direction.INCREASE,
            baseline=Decimal("62"),
            target=Decimal("75"),
        )
        self.fb = {"program": program, "pathway": pathway, "lo": lo, "pos": pos}
        self.fb["metrics"] = {"timeliness": timeliness, "engagement": engagement}

        cohorts = {
            "pilot": self.cohort(program, "Customer Support pilot", 95),
            "wave2": self.cohort(program, "Customer Support wave 2", 45),
            "wave3": self.cohort(program, "Customer Support wave 3", 7),
        }
        days = [spec.days for spec in FEEDBACK_STEPS]
        plans = [
            # Completed and competent: the whole pathway in 65 days.
            Plan("learner4", "manager", 95, 6, _days(30), current=False, cohort="pilot",
                 status=Enrolment.Status.COMPLETED, competent=33),
            # Evidence gate met; writing the reflection.
            Plan("learner3", "manager", 95, 4, _days(2), cohort="pilot"),
            # Mid-pathway: practising on the job, gate not met yet.
            Plan("learner", "manager", 45, 3, _days(28), cohort="wave2", coach="coach"),
            # Mid-pathway and stuck on the case study, which is overdue.
            Plan("learner2", "manager", 45, 1, _days(40), cohort="wave2"),
            # Just enrolled.
            Plan("learner5", "manager", 7, 0, _days(1), cohort="wave3"),
        ]  # fmt: skip
        self.fb["enrolments"] = {
            plan.learner: self.enrol(program, plan, days, cohorts) for plan in plans
        }
        self.feedback_evidence()

    def feedback_evidence(self):
        e, pos, steps = self.fb["enrolments"], self.fb["pos"], self.fb["pathway"].steps
        deliver, cite, impact = pos["deliver"], pos["cite"], pos["impact"]
        # Lena: two windows open (one closes within hours), one met, one missed by late feedback.
        self.observe(
            e["learner"],
            "manager",
            deliver,
            "Told Omar straight after the 10:00 stand-up that his hand-off note left out the "
            "customer's deadline.",
            _days(hours=3),
            Rating.MEETS,
        )
        self.observe(
            e["learner"],
            "coach",
            cite,
            "Told a new joiner 'good job on the calls this week' without naming a call.",
            _days(hours=20),
            Rating.APPROACHING,
        )
        self.observe(
            e["learner"],
            "manager",
            impact,
            "Showed Omar how his late update pushed two tickets past the four-hour response "
            "target the team is measured on.",
            _days(hours=30),
            Rating.EXCEEDS,
            evidence="Tickets 48213 and 48220, both breached the response target.",
            feedback=Said(
                _days(hours=6),
                "In your one-to-one with Omar on Tuesday you opened both tickets and pointed to "
                "the hour each breached the response target.",
                "Omar now updates before the four-hour mark; the team's response target held "
                "for the rest of the week.",
                "Do the same in the stand-up, where the whole team hears the link.",
            ),
        )
        self.observe(
            e["learner"],
            "manager",
            deliver,
            "Raised a missed hand-off at the weekly one-to-one, five days after it happened.",
            self.in_last_week(-3, 16),
            Rating.APPROACHING,
            feedback=Said(
                _days(hours=30),
                "The hand-off Aiko missed on Monday came up only on Friday's one-to-one.",
                "By Friday the customer had chased twice; feedback on Monday would have saved "
                "one of those contacts against our first-contact resolution goal.",
                "Raise it the same day, even in two sentences.",
            ),
        )
        # Omar: an open window, and a missed one from last week (the feedback came late).
        self.observe(
            e["learner2"],
            "manager",
            cite,
            "Thanked the night shift for 'great work' without saying which handover helped.",
            _days(hours=10),
            Rating.APPROACHING,
        )
        self.observe(
            e["learner2"],
            "manager",
            deliver,
            "Mentioned a colleague's curt reply to a customer only a week later, at the retro.",
            self.in_last_week(1, 14),
            Rating.BELOW,
            feedback=Said(
                _days(hours=60),
                "The curt reply to the customer on ticket 48102 was raised at the retro, a week "
                "after it was sent.",
                "The customer's satisfaction score for that ticket was 2 of 5; the team's goal "
                "is 4.5.",
                "Raise tone issues the same day, in private.",
            ),
        )
        # Priya: three observations rated meets or better from two observers: the gate is met.
        self.observe(
            e["learner3"],
            "manager",
            deliver,
            "Gave Aiko feedback on a tense call within the hour, naming the moment she calmed "
            "the customer down.",
            self.in_last_week(0, 10),
            Rating.EXCEEDS,
            feedback=Said(
                _days(hours=2),
                "You caught Aiko right after the 14:20 call and quoted the sentence that turned "
                "it around.",
                "Aiko used the same opening on her next two escalated calls; neither needed a "
                "supervisor.",
            ),
        )
        self.observe(
            e["learner3"],
            "coach",
            impact,
            "Explained to the night shift how incomplete handovers cost the team its "
            "first-contact resolution target.",
            self.in_last_week(3, 11),
            Rating.MEETS,
            feedback=Said(
                _days(hours=3),
                "At the 07:00 handover you showed the three tickets reopened overnight.",
                "Handover notes were complete all week and first-contact resolution rose two "
                "points.",
            ),
        )
        self.observe(
            e["learner3"],
            "manager",
            cite,
            "Quoted the customer's own words when coaching Omar on tone.",
            _days(25),
            Rating.MEETS,
        )
        # Tom (completed): all met, while he was on the on-the-job step.
        self.observe(
            e["learner4"],
            "manager",
            deliver,
            "Gave feedback on a missed escalation note the same afternoon.",
            _days(75),
            Rating.MEETS,
            feedback=Said(
                _days(hours=2),
                "You spoke to Sam within two hours about the escalation note that lacked the "
                "customer's impact.",
                "The next three notes were complete and engineering picked them up without "
                "questions.",
            ),
        )
        self.observe(
            e["learner4"],
            "coach",
            cite,
            "Pointed to the exact ticket and message when giving a colleague feedback.",
            _days(60),
            Rating.MEETS,
            feedback=Said(
                _days(hours=5),
                "You opened ticket 47011 and read back the line that confused the customer.",
                "Your colleague rewrote the macro; contacts about that issue halved.",
            ),
        )
        self.observe(
            e["learner4"],
            "manager",
            impact,
            "Linked a colleague's slow escalation to the team's resolution-time goal.",
            _days(50),
            Rating.EXCEEDS,
            feedback=Said(
                _days(hours=20),
                "In Wednesday's one-to-one you showed the escalation that sat for six hours.",
                "The team's median resolution time is back under its eight-hour goal.",
            ),
        )
        # Aiko (just enrolled): an observation from her first days.
        self.observe(
            e["learner5"],
            "manager",
            deliver,
            "Waited for the weekly one-to-one to mention a colleague's missed callback.",
            _days(2),
            Rating.APPROACHING,
            feedback=Said(
                _days(hours=5),
                "The missed callback on Monday came up only in Thursday's one-to-one plan.",
                "The customer waited an extra day, against the team's next-day callback promise.",
            ),
        )

        lo = self.fb["lo"]
        fb_levels = {  # learner: (baseline, checkpoint, self), days ago; None where not yet
            "learner": ((1, 44, 45), (2, 20, 70), (3, 3)),
            "learner2": ((1, 44, 40), None, None),
            "learner3": ((2, 94, 62), (3, 2, 84), (3, 2)),
            "learner4": ((2, 94, 58), (3, 33, 88), (3, 31)),
            "learner5": ((1, 6, 35), None, None),
        }
        for username, (baseline, checkpoint, own) in fb_levels.items():
            enrolment = e[username]
            rank, ago, score = baseline
            self.assess(
                enrolment,
                "FB",
                Assessment.Kind.BASELINE,
                rank,
                self.day(ago),
                "manager",
                score=score,
                objective=lo,
            )
            if checkpoint:
                rank, ago, score = checkpoint
                self.assess(
                    enrolment,
                    "FB",
                    Assessment.Kind.CHECKPOINT,
                    rank,
                    self.day(ago),
                    "manager",
                    score=score,
                    objective=lo,
                )
            if own:
                rank, ago = own
                self.assess(enrolment, "FB", Assessment.Kind.SELF, rank, self.day(ago), username)

        self.reflect(
            e["learner"],
            steps.get(position=3),
            "In the role-play I softened the example until it meant nothing. Naming the exact "
            "moment felt awkward, but my partner knew at once what to change.",
            "Give feedback on the next missed hand-off the same day, citing the ticket.",
            _days(25),
        )
        self.reflect(
            e["learner"],
            steps.get(position=4),
            "Same-day feedback is easier than I thought when I say the ticket number first. "
            "Praise is where I am still vague.",
            "Name the call or ticket when I praise, not only when I correct.",
            _days(2),
        )
        self.reflect(
            e["learner3"],
            steps.get(position=5),
            "The handover notes changed more than any training: the night shift now asks me "
            "for feedback before I give it.",
            "Ask Aiko to run the next handover review.",
            _days(1),
        )
        self.ask_peer(
            e["learner"],
            "manager",
            "learner3",
            "How specific was Lena's feedback to you this month? Give one example.",
            due=_days(3),
            objective=self.fb["pos"]["cite"],
            anonymous=True,
        )
        self.ask_peer(
            e["learner"],
            "manager",
            "learner2",
            "Did Lena's feedback name the impact of the behaviour on our team goals?",
            due=_days(1),
            objective=self.fb["pos"]["impact"],
            answer=(
                "Yes: she showed me how my late update pushed two tickets past the four-hour "
                "response target.",
                _days(hours=5),
            ),
        )
        self.coaching(
            e["learner"],
            "Giving feedback the same day",
            _days(12),
            "Lena gives corrective feedback quickly but saves praise for the one-to-one.",
            [
                {
                    "description": "Give same-day feedback on every missed hand-off you see",
                    "measure": "feedback conversations within 24 hours of the behaviour",
                    "target_value": Decimal("4"),
                    "target_unit": "conversations a fortnight",
                    "due_on": self.in_days(2),
                },
            ],
        )

        timeliness, engagement = self.fb["metrics"].values()
        months = self.month_ends(6)
        source = Measurement.Source.IMPORT
        self.series(timeliness, [35, 36, 41, 52, 63, 71], months, source=source)
        self.series(engagement, [62, 62, 63, 65, 67, 69], months, source=source)

    # --- Program 2: Leading Through Real Work ----------------------------------------------

    def leadership_program(self):
        self.say("Program 2: Leading Through Real Work")
        program = self.program(
            LEADERSHIP_SLUG,
            starts=190,
            name="Leading Through Real Work",
            business_goal="Bring new team and engineering leads to competency sooner, with "
            "fewer escaped defects and escalation costs, through stretch assignments that "
            "mirror real problems.",
            description="Baseline assessment, practice of rising difficulty, a stretch "
            "assignment presented to its stakeholders, structured debriefs and supervisor "
            "coaching.",
            status=Program.Status.ACTIVE,
            cost=Decimal("68000"),
        )
        B, A = LearningObjective.BloomLevel, LearningObjective.AssessmentMethod
        los = {
            "cf": self.learning_objective(
                program,
                "CF",
                "Participants will be able to explain where hand-offs between support, product "
                "and engineering slow a customer escalation.",
                B.UNDERSTAND,
                A.DISCUSSION,
            ),
            "jd": self.learning_objective(
                program,
                "JD",
                "Participants will be able to analyse a project trade-off against scope, time, "
                "cost and customer impact.",
                B.ANALYZE,
                A.CASE_ANALYSIS,
            ),
            "sc": self.learning_objective(
                program,
                "SC",
                "Participants will be able to explain how framing options and their trade-offs "
                "changes what a stakeholder decides.",
                B.UNDERSTAND,
                A.QUIZ,
            ),
        }
        C, E = PerformanceObjective.Comparator, PerformanceObjective.EvidenceMethod
        pos = {
            "review": self.performance_objective(
                program,
                "Leads will run a cross-functional review that names an owner and a date for "
                "every hand-off within 2 days of an escalation",
                supports=[los["cf"]],
                action="run a cross-functional hand-off review",
                condition="when a customer escalation involves two or more functions",
                measure="hand-offs with a named owner and date",
                measure_unit="%",
                target_comparator=C.AT_LEAST,
                target_value=Decimal("95"),
                time_window=timedelta(days=2),
                time_window_anchor="of the escalation being raised",
                evidence_method=E.OBSERVATION,
            ),
            "decide": self.performance_objective(
                program,
                "Leads will decide project trade-offs with a written options paper within 5 "
                "days of the trade-off being raised",
                supports=[los["jd"]],
                action="decide a project trade-off with a written options paper",
                condition="when scope, time and cost cannot all be met",
                measure="trade-off decisions recorded with options, rationale and customer impact",
                measure_unit="%",
                target_comparator=C.AT_LEAST,
                target_value=Decimal("90"),
                time_window=timedelta(days=5),
                time_window_anchor="of the trade-off being raised",
                evidence_method=E.WORK_SAMPLE,
            ),
            "present": self.performance_objective(
                program,
                "Leads will present options and trade-offs to stakeholders within 5 days of an "
                "escalation",
                supports=[los["sc"], los["jd"]],
                action="present options and trade-offs to stakeholders",
                condition="when a customer escalation needs a decision from senior stakeholders",
                measure="stakeholders' rating of the decision briefing",
                measure_unit="points of 10",
                target_comparator=C.AT_LEAST,
                target_value=Decimal("8"),
                time_window=timedelta(days=5),
                time_window_anchor="of the escalation being raised",
                evidence_method=E.OBSERVATION,
            ),
        }
        pathway = self.pathway(program, LEADERSHIP_STEPS, los, pos, published=190)
        D, KM = OutcomeMetric.Direction, OutcomeMetric.Kind
        metrics = {
            "ttc": self.metric(
                program,
                "Time to competency",
                moves=list(pos.values()),
                kind=KM.TIME_TO_COMPETENCY,
                unit="days",
                direction=D.DECREASE,
                baseline=Decimal("180"),
                target=Decimal("120"),
                money_value_per_unit=Decimal("350"),
            ),
            "defects": self.metric(
                program,
                "Defect escape rate",
                moves=[pos["decide"]],
                kind=KM.QUALITY,
                unit="%",
                direction=D.DECREASE,
                baseline=Decimal("12"),
                target=Decimal("6"),
                money_value_per_unit=Decimal("2500"),
            ),
            "satisfaction": self.metric(
                program,
                "Stakeholder satisfaction",
                moves=[pos["present"]],
                kind=KM.STAKEHOLDER_SATISFACTION,
                unit="points of 10",
                direction=D.INCREASE,
                baseline=Decimal("6.8"),
                target=Decimal("8.5"),
            ),
            "savings": self.metric(
                program,
                "Escalation cost savings",
                moves=[pos["review"], pos["decide"]],
                kind=KM.COST_SAVINGS,
                unit="USD",
                direction=D.INCREASE,
                aggregation=OutcomeMetric.Aggregation.SUM,
                baseline=Decimal("0"),
                target=Decimal("40000"),
            ),
        }
        self.ld = {"program": program, "pathway": pathway, "los": los, "pos": pos}
        self.ld["metrics"] = metrics
        cohorts = {
            "a": self.cohort(program, "Leads cohort A", 150),
            "b": self.cohort(program, "Leads cohort B", 85),
            "c": self.cohort(program, "Leads cohort C", 28),
        }
        days = [spec.days for spec in LEADERSHIP_STEPS]
        plans = [
            # Completed and competent, results presented to stakeholders.
            Plan("learner7", "manager2", 150, 7, _days(20), current=False, cohort="a",
                 coach="coach", status=Enrolment.Status.COMPLETED, competent=22),
            # Withdrew after the case study.
            Plan("learner8", "manager2", 150, 2, _days(110), current=False, cohort="a",
                 status=Enrolment.Status.WITHDRAWN),
            # On the stretch assignment; evidence submitted.
            Plan("learner6", "manager2", 85, 4, _days(40), cohort="b", coach="coach"),
            # Practising; the stretch assignment is already agreed.
            Plan("learner4", "manager", 28, 2, _days(6), cohort="c", coach="coach"),
            # Just started: baseline done.
            Plan("learner3", "manager", 10, 1, _days(3), cohort="c"),
            Plan("learner9", "manager2", 5, 1, _days(1), cohort="c", coach="coach"),
        ]  # fmt: skip
        self.ld["enrolments"] = {
            plan.learner: self.enrol(program, plan, days, cohorts) for plan in plans
        }
        self.leadership_evidence()

    def leadership_evidence(self):
        e, pos, los = self.ld["enrolments"], self.ld["pos"], self.ld["los"]
        stretch = self.ld["pathway"].steps.get(position=5)
        criteria = {
            "review": "Every hand-off has a named owner and date within 2 days",
            "decide": "A written options paper with cost, time and customer impact per option",
            "present": "Stakeholders rate the decision briefing 8 or more out of 10",
        }
        diego = self.assignment(
            e["learner6"],
            stretch,
            title="Lead the enterprise rollout escalation",
            kind=Assignment.ScenarioKind.CUSTOMER_ESCALATION,
            brief="An enterprise customer's rollout is stuck between support, platform and "
            "product. Run the escalation to a decision: agree owners for each hand-off, lay "
            "out the options and their trade-offs, and present the decision and its results.",
            stakeholders="Head of Customer Support; Product Director; the customer's account lead",
            due_on=self.in_days(6),
            criteria=[(text, pos[key]) for key, text in criteria.items()],
            submitted=(
                _days(6),
                "Hand-off register with owners and dates; options paper (three options); "
                "briefing notes.",
                "Rollout unblocked in 4 days instead of the usual 9; the account lead rated "
                "the briefing 8 of 10.",
            ),
        )
        sara = self.assignment(
            e["learner7"],
            stretch,
            title="Decide the Q3 platform trade-off",
            kind=Assignment.ScenarioKind.PROJECT_TRADEOFF,
            brief="The Q3 platform upgrade cannot ship with its full scope, on time and inside "
            "budget. Lay out the options with product and finance, decide, and present the "
            "result to the stakeholders.",
            stakeholders="Head of Platform; Product Director; Finance business partner",
            due_on=self.day(42),
            criteria=[(text, pos[key]) for key, text in criteria.items()],
            submitted=(
                _days(46),
                "Options paper with three scopes, costs and customer impact; decision record.",
                "Decided in 3 days instead of the usual 8; deferring the reporting scope "
                "avoided a second release train, an estimated USD 18,000 saved.",
            ),
            presented=(45, "Head of Platform, Product Director and Finance business partner"),
        )
        self.assignment(
            e["learner4"],
            stretch,
            title="Untangle the repeat-escalation hand-offs",
            kind=Assignment.ScenarioKind.CROSS_FUNCTIONAL,
            brief="Repeat escalations bounce between support and product. Map the hand-offs, "
            "agree owners with both teams, and report the effect on repeat escalations after "
            "a month.",
            stakeholders="Head of Customer Support; Product Engineering lead",
            due_on=self.in_days(45),
            criteria=[
                (
                    "Each hand-off in the repeat-escalation path has an owner both teams agreed",
                    pos["review"],
                ),
                (
                    "Results presented to both team leads with the before-and-after count",
                    pos["present"],
                ),
            ],
        )

        self.observe(
            e["learner6"],
            "manager2",
            pos["present"],
            "Briefed the Head of Support and the Product Director on three options with cost "
            "and customer impact, and asked for a decision by Friday.",
            self.in_last_week(2, 15),
            Rating.MEETS,
            assignment=diego,
            feedback=Said(
                _days(hours=20),
                "In Tuesday's briefing you put the three options on one page with cost and "
                "customer impact side by side.",
                "The directors decided in the meeting, so the customer heard back two days "
                "inside our escalation target.",
                "Send the page a day ahead so finance can check the numbers.",
            ),
        )
        self.observe(
            e["learner6"],
            "manager2",
            pos["review"],
            "Ran the three-team hand-off review; two of seven hand-offs were left without an "
            "owner.",
            _days(hours=6),
            Rating.APPROACHING,
            assignment=diego,
            evidence="Hand-off register, version of this morning.",
        )
        self.observe(
            e["learner6"],
            "coach",
            pos["decide"],
            "Chose to ship the fix without the reporting change, and wrote down why.",
            self.in_last_week(-4, 10),
            Rating.MEETS,
            feedback=Said(
                _days(hours=30),
                "Your decision note on the fix listed what was left out and why.",
                "Support could tell the customer exactly what was coming and when.",
            ),
        )
        self.observe(
            e["learner7"],
            "manager2",
            pos["decide"],
            "Deferred the reporting scope to Q4 after comparing three options with product "
            "and finance.",
            _days(50),
            Rating.EXCEEDS,
            assignment=sara,
            evidence="Options paper and decision record.",
            feedback=Said(
                _days(hours=4),
                "Your options paper costed each scope and named the customers each one "
                "would delay.",
                "The decision took 3 days instead of 8 and kept the release train on plan.",
            ),
        )
        self.observe(
            e["learner7"],
            "manager2",
            pos["present"],
            "Presented the trade-off to the Head of Platform, the Product Director and "
            "finance in ten minutes, including the options she rejected.",
            _days(45),
            Rating.EXCEEDS,
            assignment=sara,
            feedback=Said(
                _days(hours=2),
                "You opened with the decision you needed and showed the rejected options "
                "before anyone asked.",
                "All three stakeholders agreed in the room; satisfaction with the briefing "
                "was 9 of 10.",
            ),
        )
        self.observe(
            e["learner7"],
            "coach",
            pos["review"],
            "Brought the support and platform leads together to agree the incident hand-off.",
            _days(80),
            Rating.MEETS,
        )
        self.observe(
            e["learner4"],
            "manager",
            pos["review"],
            "Handed a repeat escalation to product without agreeing who would update the customer.",
            self.in_last_week(0, 11),
            Rating.APPROACHING,
            feedback=Said(
                _days(hours=50),
                "On Monday's repeat escalation nobody owned the customer update after the "
                "hand-off to product.",
                "The customer chased twice, which counts against our repeat-escalation goal.",
            ),
        )

        S, C, J = "SC", "CF", "JD"
        plans = {  # learner: supervisor, baseline, checkpoint, self-assessment (ranks)
            "learner7": ("manager2", {S: 2, C: 2, J: 2}, {S: 3, C: 3, J: 3}, {S: 3, C: 3, J: 4}),
            "learner8": ("manager2", {S: 1, C: 1, J: 1}, None, None),
            "learner6": ("manager2", {S: 1, C: 2, J: 1}, {S: 2, C: 3, J: 2}, {S: 3, C: 3, J: 2}),
            "learner4": ("manager", {S: 2, C: 1, J: 2}, None, {S: 2, C: 2, J: 2}),
            "learner3": ("manager", {S: 2, C: 2, J: 1}, None, None),
            "learner9": ("manager2", {S: 2, C: 1, J: 2}, None, None),
        }
        checkpoint_days = {"learner7": 22, "learner6": 38}
        by_code = {"SC": los["sc"], "CF": los["cf"], "JD": los["jd"]}
        for username, (assessor, baseline, checkpoint, own) in plans.items():
            enrolment = e[username]
            baseline_on = enrolment.enrolled_on + timedelta(days=1)
            for code, rank in baseline.items():
                self.assess(
                    enrolment,
                    code,
                    Assessment.Kind.BASELINE,
                    rank,
                    baseline_on,
                    assessor,
                    objective=by_code[code],
                )
            for code, rank in (checkpoint or {}).items():
                when = self.day(checkpoint_days[username])
                self.assess(
                    enrolment,
                    code,
                    Assessment.Kind.CHECKPOINT,
                    rank,
                    when,
                    assessor,
                    objective=by_code[code],
                )
            for code, rank in (own or {}).items():
                self.assess(enrolment, code, Assessment.Kind.SELF, rank, self.day(4), username)

        verdicts = {c.pk: True for c in sara.success_criteria.all()}
        self.debrief(
            e["learner7"],
            sara,
            "manager2",
            _days(41),
            what_happened="Sara led the Q3 trade-off review with product and finance and "
            "presented the decision to the three stakeholders.",
            what_went_well="The one-page options paper made the decision fast; presenting the "
            "rejected options first removed the usual objections.",
            what_to_change="Bring finance in before the review, not during it.",
            lessons="Trade-offs land when each option names its customer impact and its cost.",
            actions=[
                {
                    "description": "Invite finance to draft the next options paper",
                    "owner": self.person("learner7"),
                    "due_on": self.day(27),
                    "done_at": self.ago(_days(30)),
                },
                {
                    "description": "Run the trade-off simulation for the next cohort as a guest "
                    "facilitator",
                    "owner": self.person("learner7"),
                    "due_on": self.in_days(10),
                },
                {
                    "description": "Share the options-paper template with the other platform leads",
                    "owner": self.person("manager2"),
                    "due_on": self.in_days(3),
                },
            ],
            criteria_verdicts=verdicts,
        )
        self.coaching(
            e["learner6"],
            "Running reviews that end with an owner for every hand-off",
            _days(8),
            "Diego's reviews find the problems but end before owners are agreed.",
            [
                {
                    "description": "Close every cross-functional review with an owner and a "
                    "date per hand-off",
                    "measure": "hand-offs with a named owner and date at the end of the review",
                    "target_value": Decimal("100"),
                    "target_unit": "%",
                    "due_on": self.in_days(14),
                },
                {
                    "description": "Send the options paper to stakeholders before the briefing",
                    "measure": "working days between the escalation and the options paper",
                    "target_value": Decimal("2"),
                    "target_unit": "days",
                    "due_on": self.in_days(21),
                },
            ],
        )
        self.reflect(
            e["learner6"],
            self.ld["pathway"].steps.get(position=4),
            "In the simulation I solved the technical problem and forgot the customer update. "
            "Nobody owned it because I never asked.",
            "End every escalation call by reading out the owner of each hand-off.",
            _days(42),
        )
        self.reflect(
            e["learner7"],
            self.ld["pathway"].steps.get(position=6),
            "The presentation was easier than the decision: once the options were costed, "
            "the room decided for me.",
            "Use the same one-page format for the Q4 roadmap trade-offs.",
            _days(40),
        )
        self.ask_peer(
            e["learner6"],
            "coach",
            "learner7",
            "How clear were Diego's hand-off owners in the rollout escalation?",
            due=_days(4),
            objective=pos["review"],
        )

        months = self.month_ends(6)
        metrics, source = self.ld["metrics"], Measurement.Source.IMPORT
        self.series(metrics["ttc"], [180, 176, 165, 152, 141, 132], months, source=source)
        self.series(metrics["defects"], [12, 11.6, 10.4, 9.1, 8.2, 7.4], months, source=source)
        self.series(metrics["satisfaction"], [6.8, 6.9, 7.2, 7.6, 7.9, 8.1], months, source=source)
        self.series(metrics["savings"], [0, 4500, 9800, 16200, 22500, 27900], months, source=source)
        learner_values = {  # learner: stakeholder satisfaction at (days ago, value)
            "learner7": [(140, 6.5), (80, 7.6), (45, 9.0)],
            "learner6": [(75, 6.2), (40, 7.1), (5, 8.0)],
            "learner4": [(25, 6.9)],
        }
        for username, points in learner_values.items():
            enrolment = e[username]
            self.series(
                metrics["satisfaction"],
                [value for _, value in points],
                [self.ago(_days(days)) for days, _ in points],
                enrolment=enrolment,
                source=Measurement.Source.MANUAL,
                recorded_by=enrolment.supervisor,
            )
        self.ld["sara"] = sara

    def leadership_costs(self):
        """A fully loaded cost ledger and isolated benefits, for the ROI pages."""
        program, metrics = self.ld["program"], self.ld["metrics"]
        C = CostItem.Category
        lines = [  # (days ago, category, description, amount or (hours, people, rate))
            (200, C.ANALYSIS, "Interviews with leads and their managers", Decimal("4000")),
            (190, C.DESIGN, "Case study, practice scenarios and debrief guides", Decimal("14000")),
            (150, C.DELIVERY, "Facilitated workshops, three cohorts", Decimal("12000")),
            (150, C.PARTICIPANT_TIME, "Workshops and practice away from the job",
             (Decimal("60"), 6, Decimal("55"))),
            (120, C.COACHING_TIME, "Managers' observations and debriefs",
             (Decimal("20"), 2, Decimal("75"))),
            (30, C.EVALUATION, "Outcome data collection and analysis", Decimal("4000")),
        ]  # fmt: skip
        for days, category, description, cost in lines:
            fields = (
                {"amount": cost}
                if isinstance(cost, Decimal)
                else dict(zip(("hours", "people", "hourly_rate"), cost, strict=True))
            )
            found = CostItem.objects.filter(program=program, description=description).first()
            if found is None:
                cost_item_add(
                    program=program,
                    category=category,
                    description=description,
                    incurred_on=self.day(days),
                    recorded_by=self.person("hradmin"),
                    **fields,
                )
            else:
                _touch(found, incurred_on=self.day(days))
        isolation = BenefitEstimate.Isolation
        benefit_estimate_set(
            metric=metrics["ttc"],
            isolation_method=isolation.MANAGER_ESTIMATE,
            isolation_note="Managers credited half of the faster ramp-up to the program; the "
            "rest to the new onboarding checklist.",
            attribution_percent=Decimal("50"),
            confidence_percent=Decimal("70"),
            occurrences_per_year=Decimal("1"),
            units_affected=6,
        )
        benefit_estimate_set(
            metric=metrics["defects"],
            isolation_method=isolation.TREND_LINE,
            isolation_note="Defects were falling 0.3 points a month before the program; only "
            "the fall beyond that trend is credited.",
            attribution_percent=Decimal("30"),
            confidence_percent=Decimal("100"),
            occurrences_per_year=Decimal("12"),
            units_affected=1,
        )

    def assignment(
        self,
        enrolment,
        step,
        *,
        title,
        kind,
        brief,
        stakeholders,
        due_on,
        criteria,
        submitted=None,
        presented=None,
    ):
        """An assignment with its success criteria (description, performance objective);
        with evidence submitted (`submitted`: how long ago, evidence, outcome) and results
        presented to stakeholders (`presented`: days ago, to whom) when given."""
        found = Assignment.objects.filter(enrolment=enrolment, title=title).first()
        if found is None:
            found = assignment_create(
                enrolment=enrolment,
                step=step,
                title=title,
                brief=brief,
                scenario_kind=kind,
                stakeholders=stakeholders,
                due_on=due_on,
                criteria=[
                    {"description": text, "performance_objective": objective}
                    for text, objective in criteria
                ],
            )
            if submitted is not None:
                ago, evidence, outcome = submitted
                found = assignment_submit_evidence(
                    assignment=found, evidence=evidence, outcome=outcome, at=self.ago(ago)
                )
            if presented is not None:
                days, to_whom = presented
                found = assignment_record_presentation(
                    assignment=found, presented_on=self.day(days), presented_to=to_whom
                )
        times = {"due_on": due_on}
        if submitted is not None and found.submitted_at is not None:
            times["submitted_at"] = self.ago(submitted[0])
        if presented is not None and found.presented_on is not None:
            times["presented_on"] = self.day(presented[0])
        _touch(found, **times)
        return found

    def debrief(self, enrolment, assignment, facilitator, ago, *, actions, **fields):
        found = Debrief.objects.filter(enrolment=enrolment, assignment=assignment).first()
        if found is None:
            return debrief_record(
                enrolment=enrolment,
                assignment=assignment,
                facilitator=self.person(facilitator),
                held_at=self.ago(ago),
                actions=actions,
                **fields,
            )
        _touch(found, held_at=self.ago(ago))
        for stored, action in zip(found.actions.order_by("id"), actions, strict=False):
            _touch(stored, due_on=action["due_on"], done_at=action.get("done_at"))
        return found

    def coaching(self, enrolment, focus, ago, notes, commitments):
        found = CoachingSession.objects.filter(enrolment=enrolment, focus=focus).first()
        if found is None:
            return coaching_session_record(
                enrolment=enrolment,
                coach=enrolment.coach,
                held_at=self.ago(ago),
                focus=focus,
                notes=notes,
                commitments=commitments,
            )
        _touch(found, held_at=self.ago(ago))
        for stored, commitment in zip(found.commitments.order_by("id"), commitments, strict=False):
            _touch(stored, due_on=commitment["due_on"])
        return found

    # --- What sponsors read -------------------------------------------------------------

    def sponsor_reviews(self):
        self.say("Sponsor reviews, success stories and the recalibrated pathway")
        sponsor = self.person("sponsor")
        review = self.review(self.fb["program"])
        if not review.comments.filter(author=sponsor).exists():
            review_comment_add(
                review=review,
                author=sponsor,
                body="Timeliness keeps climbing (71% of feedback within 24 hours, from 35%), "
                "but 'cite specific examples' is the lowest-rated objective: learners soften "
                "their examples in the role-play and keep them vague on the job.",
            )
        decision = review.decisions.filter(decided_by=sponsor).first()
        if decision is None:
            review_decision_add(
                review=review,
                decided_by=sponsor,
                description="Recalibrate the pathway: add a practice step on citing specific "
                "examples before the role-play.",
                owner=self.person("hradmin"),
                due_on=self.in_days(21),
            )
        else:
            _touch(decision, due_on=self.in_days(21))
        self.review(self.ld["program"])

    def review(self, program) -> SponsorReview:
        """The program's review of the last full week, rolled up from the data.

        The demo keeps one review per program (its first): a later run moves it to the new
        last week, unless the scheduled rollup has already made that week's review.
        """
        start, end = self.last_week
        review = SponsorReview.objects.filter(program=program).order_by("id").first()
        if review is not None and (review.period_start, review.period_end) != (start, end):
            taken = SponsorReview.objects.filter(
                program=program, period_start=start, period_end=end
            ).exists()
            if taken:
                start, end = review.period_start, review.period_end
            else:
                _touch(review, period_start=start, period_end=end)
        return sponsor_review_rollup(program=program, period_start=start, period_end=end)

    def recalibration(self):
        """The decision in progress: a draft version 2 of the feedback pathway with the new
        practice step before the role-play. Learners stay on version 1."""
        program = self.fb["program"]
        if program.pathways.filter(version=2).exists():
            return
        draft = pathway_create(program=program, change_note=RECALIBRATION_NOTE)
        step = self.step(draft, RECALIBRATION_STEP, {"why": self.fb["lo"]}, self.fb["pos"])
        order = list(draft.steps.order_by("position").values_list("pk", flat=True))
        order.remove(step.pk)
        order.insert(2, step.pk)  # after the case study, before the role-play
        pathway_reorder(pathway=draft, step_ids=order)

    def success_stories(self):
        _upsert(
            SuccessStory,
            {"program": self.ld["program"], "title": "A platform trade-off decided in three days"},
            enrolment=self.ld["enrolments"]["learner7"],
            step=self.ld["pathway"].steps.get(position=5),
            assignment=self.ld["sara"],
            metric=self.ld["metrics"]["savings"],
            story="Sara used the options paper she practised in the case study on the live Q3 "
            "platform trade-off, and presented the decision to the Head of Platform, the "
            "Product Director and finance.",
            result="Decided in 3 days instead of 8; about USD 18,000 saved by avoiding a "
            "second release train.",
            published=True,
        )
        _upsert(
            SuccessStory,
            {
                "program": self.fb["program"],
                "title": "Same-day feedback ended repeat hand-off misses",
            },
            enrolment=self.fb["enrolments"]["learner4"],
            step=self.fb["pathway"].steps.get(position=4),
            metric=self.fb["metrics"]["timeliness"],
            story="During the on-the-job step Tom gave feedback on escalation notes within "
            "hours, opening the ticket and naming the missing line.",
            result="His team's feedback within 24 hours rose from 40% to 92%; reopened "
            "escalations fell by a third.",
            published=True,
        )

    def run(self) -> dict[str, int]:
        self.say("Org units, the competency framework, job roles and people")
        self.seed_org_units()
        self.seed_framework()
        self.seed_job_roles()
        self.seed_people()
        self.feedback_program()
        self.leadership_program()
        self.leadership_costs()
        # Windows that closed without feedback are decided, as the scheduled scan would.
        feedback_windows_mark_missed(now=self.now)
        self.sponsor_reviews()
        self.recalibration()
        self.success_stories()
        return summary()


def summary() -> dict[str, int]:
    """What the demo holds, in the words a reader of the command's output uses."""
    windows = dict(FeedbackWindow.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {
        "people": User.objects.count(),
        "org units": OrgUnit.objects.count(),
        "job roles": JobRole.objects.count(),
        "competencies": Competency.objects.filter(framework__name=FRAMEWORK).count(),
        "programs": Program.objects.count(),
        "pathway steps": Step.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "assignments": Assignment.objects.count(),
        "observations": Observation.objects.count(),
        "feedback windows open": windows.get(FeedbackWindow.Status.OPEN, 0),
        "feedback windows met": windows.get(FeedbackWindow.Status.MET, 0),
        "feedback windows missed": windows.get(FeedbackWindow.Status.MISSED, 0),
        "feedback given": Feedback.objects.count(),
        "assessments": Assessment.objects.count(),
        "measurements": Measurement.objects.count(),
        "sponsor reviews": SponsorReview.objects.count(),
        "success stories": SuccessStory.objects.count(),
        "cost lines": CostItem.objects.count(),
    }


def seed_demo(*, now=None, stdout=None) -> dict[str, int]:
    """Create or refresh the demo in one transaction; returns what it holds.

    `now` anchors every time (default: the current time); `stdout`, when given, hears what
    is being built.
    """
    with transaction.atomic():
        return _Demo(now=now or timezone.now(), stdout=stdout).run()
