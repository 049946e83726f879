"""What HR systems write: enrolments, outcome measurements and external assessments."""

from rest_framework import serializers

from measurement.models import Assessment, Measurement
from programs.services import PERSON_STATUSES

from ..views.base import MULTILINE, StrictSerializer

MAX_BULK = 500


class EnrolmentInputSerializer(StrictSerializer):
    learner_employee_id = serializers.CharField(max_length=64)
    program_id = serializers.UUIDField()
    enrolled_on = serializers.DateField(required=False, help_text="Today unless given.")
    supervisor_employee_id = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="Who observes and coaches; the learner's manager unless given.",
    )
    coach_employee_id = serializers.CharField(max_length=64, required=False, allow_blank=True)
    cohort_id = serializers.UUIDField(required=False, allow_null=True)


class EnrolmentBulkSerializer(StrictSerializer):
    records = serializers.ListField(
        child=serializers.DictField(), min_length=1, max_length=MAX_BULK
    )


class EnrolmentStatusSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=[(s.value, s.label) for s in PERSON_STATUSES])
    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, style=MULTILINE
    )


class MeasurementInputSerializer(StrictSerializer):
    metric_id = serializers.UUIDField()
    enrolment_id = serializers.UUIDField(
        required=False, allow_null=True, help_text="Empty for a program-level value."
    )
    measured_at = serializers.DateTimeField()
    value = serializers.DecimalField(
        max_digits=Measurement._meta.get_field("value").max_digits,
        decimal_places=Measurement._meta.get_field("value").decimal_places,
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class MeasurementBulkSerializer(StrictSerializer):
    records = serializers.ListField(
        child=serializers.DictField(), min_length=1, max_length=MAX_BULK
    )


class AssessmentInputSerializer(StrictSerializer):
    enrolment_id = serializers.UUIDField()
    competency_id = serializers.UUIDField()
    learning_objective_id = serializers.UUIDField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=Assessment.Kind.choices)
    level = serializers.IntegerField(min_value=1, max_value=1000, help_text="The level's rank.")
    score = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False, allow_null=True
    )
    assessor_employee_id = serializers.CharField(max_length=64)
    assessed_on = serializers.DateField()


class BulkCountsSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
