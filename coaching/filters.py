"""The filters lists of coaching records share, the API's and the pages'."""

from talentdev.core.filters import ChangedSinceFilterSet, by_uuid

from .models import CoachingSession, Debrief, Feedback, FeedbackWindow, Observation


class ObservationFilterSet(ChangedSinceFilterSet):
    enrolment = by_uuid("enrolment", "enrolment")
    learner = by_uuid("learner", "learner")

    class Meta:
        model = Observation
        fields = ["updated_since", "enrolment", "learner"]


class FeedbackWindowFilterSet(ChangedSinceFilterSet):
    observation = by_uuid("observation", "observation")

    class Meta:
        model = FeedbackWindow
        fields = ["updated_since", "observation", "status"]


class FeedbackFilterSet(ChangedSinceFilterSet):
    observation = by_uuid("observation", "observation")

    class Meta:
        model = Feedback
        fields = ["updated_since", "observation"]


class DebriefFilterSet(ChangedSinceFilterSet):
    enrolment = by_uuid("enrolment", "enrolment")

    class Meta:
        model = Debrief
        fields = ["updated_since", "enrolment"]


class CoachingSessionFilterSet(ChangedSinceFilterSet):
    enrolment = by_uuid("enrolment", "enrolment")

    class Meta:
        model = CoachingSession
        fields = ["updated_since", "enrolment"]
