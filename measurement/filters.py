"""The filters lists of assessments, metrics and reviews share, the API's and the pages'."""

from talentdev.core.filters import ChangedSinceFilterSet, by_uuid

from .models import Assessment, Measurement, OutcomeMetric, SponsorReview


class AssessmentFilterSet(ChangedSinceFilterSet):
    enrolment = by_uuid("enrolment", "enrolment")
    competency = by_uuid("competency", "competency")

    class Meta:
        model = Assessment
        fields = ["updated_since", "enrolment", "competency", "kind"]


class OutcomeMetricFilterSet(ChangedSinceFilterSet):
    program = by_uuid("program", "program")

    class Meta:
        model = OutcomeMetric
        fields = ["updated_since", "program", "kind"]


class MeasurementFilterSet(ChangedSinceFilterSet):
    metric = by_uuid("metric", "metric")
    enrolment = by_uuid("enrolment", "enrolment")

    class Meta:
        model = Measurement
        fields = ["updated_since", "metric", "enrolment"]


class SponsorReviewFilterSet(ChangedSinceFilterSet):
    program = by_uuid("program", "program")

    class Meta:
        model = SponsorReview
        fields = ["updated_since", "program", "status"]
