"""factory_boy factories for every model the tests build."""

import datetime as dt
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth.models import Permission
from django.utils import timezone

from coaching.models import CoachingSession, Debrief, Feedback, FeedbackWindow, Observation
from measurement.models import Assessment, Measurement, OutcomeMetric, SponsorReview
from measurement.services import values_counted
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
from programs.history import day_start
from programs.models import (
    Assignment,
    Cohort,
    Enrolment,
    Pathway,
    Program,
    ProgressEvent,
    Step,
    StepProgress,
)

DEFAULT_PASSWORD = "correct-horse-battery"


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"Unit {n}")
    code = factory.Sequence(lambda n: f"unit-{n}")


class JobRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobRole

    code = factory.Sequence(lambda n: f"role-{n}")
    title = factory.Sequence(lambda n: f"Role {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save(update_fields=["password"])


def colleague_of(learner, **fields):
    """Someone in the learner's org unit (given them one if they have none): a colleague
    who may be asked for peer feedback on them."""
    if learner.org_unit_id is None:
        learner.org_unit = OrgUnitFactory()
        learner.save(update_fields=["org_unit"])
    return UserFactory(org_unit=learner.org_unit, **fields)


class HRAdminFactory(UserFactory):
    """A person holding the HR admin permission (not a superuser)."""

    @factory.post_generation
    def grant(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.user_permissions.add(
                Permission.objects.get(
                    codename="administer_programs", content_type__app_label="people"
                )
            )


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyFramework

    name = factory.Sequence(lambda n: f"Framework {n}")
    version = 1


class ScaleFactory(factory.django.DjangoModelFactory):
    """A scale with four levels: 1 Foundational … 4 Expert."""

    class Meta:
        model = ProficiencyScale
        skip_postgeneration_save = True

    framework = factory.SubFactory(FrameworkFactory)
    name = factory.Sequence(lambda n: f"Scale {n}")

    @factory.post_generation
    def levels(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            names = extracted or ["Foundational", "Developing", "Proficient", "Expert"]
            for rank, name in enumerate(names, start=1):
                ProficiencyLevel.objects.create(scale=obj, rank=rank, name=name)


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency

    framework = factory.SubFactory(FrameworkFactory)
    scale = factory.SubFactory(ScaleFactory, framework=factory.SelfAttribute("..framework"))
    code = factory.Sequence(lambda n: f"C{n}")
    name = factory.Sequence(lambda n: f"Competency {n}")
    strategic_rationale = "It matters to the strategy."


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BehaviouralIndicator

    competency = factory.SubFactory(CompetencyFactory)
    level = factory.LazyAttribute(lambda o: o.competency.scale.levels.first())
    description = "Gives feedback the same day."


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    business_goal = "Lift customer satisfaction by 10 points."
    owner = factory.SubFactory(UserFactory)
    starts_on = dt.date(2026, 1, 1)
    status = Program.Status.ACTIVE


class LearningObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningObjective

    program = factory.SubFactory(ProgramFactory)
    competency = factory.SubFactory(CompetencyFactory)
    statement = (
        "Participants will be able to identify and distinguish the behavioural benefits of "
        "timely and specific feedback."
    )
    bloom_level = LearningObjective.BloomLevel.ANALYZE
    assessment_method = LearningObjective.AssessmentMethod.CASE_ANALYSIS


class PerformanceObjectiveFactory(factory.django.DjangoModelFactory):
    """A SMART objective: 'deliver feedback within 24 hours of observing a behaviour'."""

    class Meta:
        model = PerformanceObjective

    program = factory.SubFactory(ProgramFactory)
    statement = "Participants will deliver feedback within 24 hours of observing a behavior."
    action = "deliver feedback"
    condition = "after observing a team member's behaviour"
    measure = "hours from the observed behaviour to the feedback"
    measure_unit = "hours"
    target_comparator = PerformanceObjective.Comparator.AT_MOST
    target_value = Decimal("24")
    time_window = timedelta(hours=24)
    time_window_anchor = "of observing a behaviour"
    evidence_method = PerformanceObjective.EvidenceMethod.OBSERVATION


class PathwayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pathway

    program = factory.SubFactory(ProgramFactory)
    version = 1
    status = Pathway.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    pathway = factory.SubFactory(PathwayFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = Step.Kind.ROLE_PLAY
    title = factory.Sequence(lambda n: f"Step {n}")
    difficulty = 1


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    starts_on = dt.date(2026, 1, 1)


def _recorded(type_, enrolment, at, **fields) -> None:
    """An event a factory-made row implies, as the history backfill records it."""
    ProgressEvent.objects.create(
        type=type_,
        enrolment=enrolment,
        occurred_at=at,
        cause=ProgressEvent.Cause.BACKFILL,
        **fields,
    )


def _noon(day):
    return day_start(day) + timedelta(hours=12)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """An enrolment with the history its status and dates imply: paused or withdrawn from
    its first day, completed and competent at noon (UTC) of those days. A test that needs
    another moment changes the status through enrolment_update with `at`."""

    class Meta:
        model = Enrolment
        skip_postgeneration_save = True

    learner = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    pathway = factory.SubFactory(PathwayFactory, program=factory.SelfAttribute("..program"))
    supervisor = factory.SubFactory(UserFactory)
    enrolled_on = dt.date(2026, 1, 5)

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):  # noqa: N805
        if not create:
            return
        E, S = ProgressEvent.Type, Enrolment.Status
        if obj.status in (S.PAUSED, S.WITHDRAWN):
            _recorded(
                E.ENROLMENT_STATUS,
                obj,
                day_start(obj.enrolled_on),
                from_status=S.ACTIVE,
                to_status=obj.status,
            )
        if obj.completed_on:
            _recorded(
                E.ENROLMENT_COMPLETED,
                obj,
                _noon(obj.completed_on),
                from_status=S.ACTIVE,
                to_status=S.COMPLETED,
            )
        if obj.competent_on:
            _recorded(E.COMPETENCY_REACHED, obj, _noon(obj.competent_on))


class StepProgressFactory(factory.django.DjangoModelFactory):
    """A step's progress with the history its status and times imply."""

    class Meta:
        model = StepProgress
        skip_postgeneration_save = True

    enrolment = factory.SubFactory(EnrolmentFactory)
    step = factory.SubFactory(StepFactory, pathway=factory.SelfAttribute("..enrolment.pathway"))

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):  # noqa: N805
        if not create:
            return
        E, S = ProgressEvent.Type, StepProgress.Status
        opened = obj.started_at or day_start(obj.enrolment.enrolled_on)
        step = {"step": obj.step}
        if obj.started_at:
            _recorded(
                E.STEP_UNLOCKED,
                obj.enrolment,
                opened,
                from_status=S.NOT_STARTED,
                to_status=S.IN_PROGRESS,
                **step,
            )
        if obj.status == S.COMPLETED:
            _recorded(
                E.STEP_COMPLETED,
                obj.enrolment,
                obj.completed_at,
                from_status=S.IN_PROGRESS,
                to_status=S.COMPLETED,
                **step,
            )
        elif obj.status == S.SKIPPED:
            _recorded(
                E.STEP_SKIPPED,
                obj.enrolment,
                opened,
                from_status=S.IN_PROGRESS,
                to_status=S.SKIPPED,
                **step,
            )


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    enrolment = factory.SubFactory(EnrolmentFactory)
    title = "Lead the escalation review"
    brief = "Run the weekly customer escalation review and agree actions."
    scenario_kind = Assignment.ScenarioKind.CUSTOMER_ESCALATION
    due_on = dt.date(2026, 3, 1)


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    enrolment = factory.SubFactory(EnrolmentFactory)
    learner = factory.SelfAttribute("enrolment.learner")
    observer = factory.SelfAttribute("enrolment.supervisor")
    performance_objective = factory.SubFactory(
        PerformanceObjectiveFactory, program=factory.SelfAttribute("..enrolment.program")
    )
    observed_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    rating = 3
    behaviour = "Named the missed hand-off in stand-up and proposed a fix."


class CoachingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachingSession

    enrolment = factory.SubFactory(EnrolmentFactory)
    coach = factory.SelfAttribute("enrolment.supervisor")
    held_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    focus = "Giving feedback the same day"


class DebriefFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Debrief

    enrolment = factory.SubFactory(EnrolmentFactory)
    facilitator = factory.SelfAttribute("enrolment.supervisor")
    held_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    what_happened = "Ran the escalation review."
    what_went_well = "Owners named for every hand-off."
    what_to_change = "Invite the account lead."
    lessons = "Name the owner before the meeting ends."


class FeedbackWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackWindow

    observation = factory.SubFactory(ObservationFactory)
    opens_at = factory.SelfAttribute("observation.observed_at")
    closes_at = factory.LazyAttribute(lambda w: w.opens_at + timedelta(hours=24))


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    observation = factory.SubFactory(ObservationFactory)
    giver = factory.SelfAttribute("observation.observer")
    specific_example = "In Tuesday's stand-up you named the missed hand-off."
    impact_on_team_goals = "The release stayed on track for the quarter's goal."
    delivered_at = factory.LazyFunction(timezone.now)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    enrolment = factory.SubFactory(EnrolmentFactory)
    competency = factory.SubFactory(CompetencyFactory)
    kind = Assessment.Kind.BASELINE
    assessed_level = factory.LazyAttribute(lambda a: a.competency.scale.levels.first())
    assessor = factory.SelfAttribute("enrolment.supervisor")
    assessed_on = dt.date(2026, 1, 10)


class OutcomeMetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeMetric

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Metric {n}")
    kind = OutcomeMetric.Kind.CUSTOMER_SATISFACTION
    unit = "points"
    direction = OutcomeMetric.Direction.INCREASE
    baseline = Decimal("70")
    target = Decimal("80")


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    metric = factory.SubFactory(OutcomeMetricFactory)
    measured_at = factory.LazyFunction(timezone.now)
    value = Decimal("72")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Keep the metric's count of values as the services do.
        measurement = super()._create(model_class, *args, **kwargs)
        values_counted(Counter([measurement.metric_id]))
        measurement.metric.refresh_from_db(fields=["values_count"])
        return measurement


class SponsorReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SponsorReview

    program = factory.SubFactory(ProgramFactory)
    period_start = dt.date(2026, 1, 1)
    period_end = dt.date(2026, 1, 8)
    generated_at = factory.LazyFunction(timezone.now)
