"""A small company for the access tests: two programs, and in the first two learners with
their own supervisors and every kind of personal record."""

from datetime import timedelta

from django.utils import timezone

from coaching.models import CoachingSession, Debrief, PeerFeedbackRequest, Reflection
from measurement.models import SuccessStory
from tests import factories as f


class World:
    """Two programs; in the first, two learners with their own supervisors and records."""

    def __init__(self):
        self.owner = f.UserFactory(username="owner")
        self.sponsor = f.UserFactory(username="sponsor")
        self.program = f.ProgramFactory(owner=self.owner)
        self.program.sponsors.add(self.sponsor)
        self.pathway = f.PathwayFactory(program=self.program)
        self.step = f.StepFactory(pathway=self.pathway)
        self.cohort = f.CohortFactory(program=self.program)
        self.lo = f.LearningObjectiveFactory(program=self.program)
        self.po = f.PerformanceObjectiveFactory(program=self.program)
        self.metric = f.OutcomeMetricFactory(program=self.program)
        self.line_manager = f.UserFactory(username="line_manager")
        self.coach = f.UserFactory(username="coach")
        self.peer = f.UserFactory(username="peer")
        self.a = self._learner("alice", manager=self.line_manager, coach=self.coach)
        self.b = self._learner("bob")
        self.program_measurement = f.MeasurementFactory(metric=self.metric, enrolment=None)
        self.review = f.SponsorReviewFactory(program=self.program)
        self.decision = self.review.decisions.create(
            description="Add a practice step",
            owner=self.owner,
            decided_by=self.sponsor,
            due_on=timezone.localdate() + timedelta(days=30),
        )
        self.story = SuccessStory.objects.create(
            program=self.program,
            step=self.step,
            title="Story",
            story="…",
            result="+5",
            published=True,
        )
        # Another program nobody above takes part in.
        self.other_program = f.ProgramFactory()
        self.other = f.EnrolmentFactory(program=self.other_program)
        f.SponsorReviewFactory(program=self.other_program)

    def _learner(self, name, manager=None, coach=None):
        learner = f.UserFactory(username=name, manager=manager)
        supervisor = f.UserFactory(username=f"{name}_supervisor")
        enrolment = f.EnrolmentFactory(
            learner=learner,
            program=self.program,
            pathway=self.pathway,
            supervisor=supervisor,
            coach=coach,
            cohort=self.cohort,
        )
        records = type("Records", (), {})()
        records.learner, records.supervisor, records.enrolment = learner, supervisor, enrolment
        records.progress = f.StepProgressFactory(enrolment=enrolment, step=self.step)
        records.assignment = f.AssignmentFactory(enrolment=enrolment)
        records.observation = f.ObservationFactory(
            enrolment=enrolment, performance_objective=self.po
        )
        records.window = f.FeedbackWindowFactory(observation=records.observation)
        records.feedback = f.FeedbackFactory(observation=records.observation)
        records.assessment = f.AssessmentFactory(enrolment=enrolment, competency=self.lo.competency)
        records.measurement = f.MeasurementFactory(metric=self.metric, enrolment=enrolment)
        now = timezone.now()
        records.debrief = Debrief.objects.create(
            enrolment=enrolment,
            facilitator=supervisor,
            held_at=now,
            what_happened="…",
            what_went_well="…",
            what_to_change="…",
            lessons="…",
        )
        records.debrief_action = records.debrief.actions.create(
            description="Write the hand-off checklist",
            owner=enrolment.learner,
            due_on=now.date() + timedelta(days=14),
        )
        records.session = CoachingSession.objects.create(
            enrolment=enrolment, coach=supervisor, held_at=now, focus="Hand-offs"
        )
        records.commitment = records.session.commitments.create(
            description="Name an owner at every hand-off",
            measure="hand-offs with an owner",
            target_value=100,
            target_unit="%",
            due_on=now.date() + timedelta(days=14),
        )
        records.reflection = Reflection.objects.create(
            enrolment=enrolment, written_at=now, body="What I noticed."
        )
        records.peer_request = PeerFeedbackRequest.objects.create(
            enrolment=enrolment,
            requested_by=supervisor,
            reviewer=self.peer,
            prompt="How?",
            due_at=now + timedelta(days=2),
        )
        return records
