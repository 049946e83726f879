"""People, org units and job roles as the API shows them and takes them in."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from people.models import TIME_ZONE_CHOICES, JobRole, OrgUnit, RoleRequirement, User

from ..views.base import MULTILINE, StrictSerializer

MAX_BULK = 500


class PersonSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    # "" for a person whose address is not known, which the schema then says too.
    email = serializers.EmailField(read_only=True, allow_blank=True)
    active = serializers.BooleanField(source="is_active", read_only=True)
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    job_role = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    manager_id = serializers.UUIDField(source="manager.uuid", read_only=True, allow_null=True)
    manager_employee_id = serializers.CharField(
        source="manager.employee_id", read_only=True, allow_null=True
    )

    class Meta:
        model = User
        fields = [
            "id",
            "employee_id",
            "username",
            "first_name",
            "last_name",
            "email",
            "job_title",
            "org_unit",
            "job_role",
            "manager_id",
            "manager_employee_id",
            "time_zone",
            "active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PersonInputSerializer(StrictSerializer):
    """A person as an HR system sends them; org unit and job role by code, the manager
    by employee ID ("" or null for none). Fields left out stay as they are."""

    employee_id = serializers.CharField(max_length=64)
    username = serializers.CharField(max_length=150, required=False)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    job_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    org_unit = serializers.CharField(max_length=50, required=False, allow_null=True)
    job_role = serializers.CharField(max_length=50, required=False, allow_null=True)
    manager_employee_id = serializers.CharField(
        max_length=64, required=False, allow_blank=True, allow_null=True
    )
    time_zone = serializers.ChoiceField(choices=TIME_ZONE_CHOICES, required=False)
    active = serializers.BooleanField(required=False, source="is_active")

    def validate_employee_id(self, value):
        return value.strip()

    def validate_org_unit(self, code):
        return self._by_code(OrgUnit, code, "org unit")

    def validate_job_role(self, code):
        return self._by_code(JobRole, code, "job role")

    def validate_manager_employee_id(self, value):
        return (value or "").strip()

    def _by_code(self, model, code, label):
        if code in (None, ""):
            return None
        found = self.context["codes"][model].get(code)
        if found is None:
            raise serializers.ValidationError(f"No {label} has the code {code!r}.")
        return found


class PersonUpsertSerializer(PersonInputSerializer):
    """The body of PUT /people/by-employee-id/{employee_id}, which may leave the employee
    ID out: the address gives it."""

    employee_id = serializers.CharField(
        max_length=64, required=False, help_text="The one in the address, when sent."
    )


@extend_schema_field(PersonInputSerializer(many=True))
class PersonRecordsField(serializers.ListField):
    """The records of a bulk request, taken in as they come: each is then checked on its
    own, so that a refused one is reported by its index. The schema shows what each is."""

    child = serializers.DictField()


class PeopleBulkSerializer(StrictSerializer):
    """Up to 500 people, created or updated all or none."""

    records = PersonRecordsField(min_length=1, max_length=MAX_BULK)


def codes_for(actor, records: list) -> dict:
    """The org units and job roles `records` name by code, found in two queries."""

    def named(field):
        return {
            r.get(field) for r in records if isinstance(r, dict) and isinstance(r.get(field), str)
        }

    return {
        OrgUnit: {
            u.code: u for u in OrgUnit.objects.visible_to(actor).filter(code__in=named("org_unit"))
        },
        JobRole: {
            r.code: r for r in JobRole.objects.visible_to(actor).filter(code__in=named("job_role"))
        },
    }


class OrgUnitSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name", "parent", "created_at", "updated_at"]
        read_only_fields = fields


class OrgUnitInputSerializer(StrictSerializer):
    """An org unit as an HR system sends it; the parent by code ("" or null for a root)."""

    name = serializers.CharField(max_length=200)
    parent = serializers.CharField(max_length=50, required=False, allow_null=True, allow_blank=True)

    def validate_parent(self, code):
        if not code:
            return None
        found = OrgUnit.objects.visible_to(self.context["actor"]).filter(code=code).first()
        if found is None:
            raise serializers.ValidationError(f"No org unit has the code {code!r}.")
        return found


class RequirementSerializer(serializers.ModelSerializer):
    competency_id = serializers.UUIDField(source="competency.uuid", read_only=True)
    competency_code = serializers.CharField(source="competency.code", read_only=True)
    level = serializers.IntegerField(source="required_level.rank", read_only=True)

    class Meta:
        model = RoleRequirement
        fields = ["competency_id", "competency_code", "level"]


class JobRoleSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    requirements = RequirementSerializer(many=True, read_only=True)

    class Meta:
        model = JobRole
        fields = ["id", "code", "title", "description", "requirements", "created_at", "updated_at"]
        read_only_fields = fields


class RequirementInputSerializer(StrictSerializer):
    """A competency the role requires, at the level of this rank on its scale."""

    competency_id = serializers.UUIDField()
    level = serializers.IntegerField(min_value=1, max_value=1000, help_text="The level's rank.")


class JobRoleInputSerializer(StrictSerializer):
    """A job role as an HR system sends it."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, style=MULTILINE)
    requirements = RequirementInputSerializer(many=True, required=False)
