"""People, org units and job roles: read, created, updated and synced by HR systems."""

from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from measurement.models import Assessment
from measurement.selectors import competency_record
from objectives.models import Competency
from people import services
from people.filters import JobRoleFilterSet, OrgUnitFilterSet, PersonFilterSet
from people.models import JobRole, OrgUnit, RoleRequirement, User

from ..evidence.serializers import CompetencyRecordSerializer
from ..identity import ServiceIdentity
from ..problems import Refused, error, field_errors, problem
from ..rows import rows_serializer
from ..views.base import ApiViewSet
from .serializers import (
    JobRoleInputSerializer,
    JobRoleSerializer,
    OrgUnitInputSerializer,
    OrgUnitSerializer,
    PeopleBulkSerializer,
    PersonInputSerializer,
    PersonSerializer,
    PersonUpsertSerializer,
    codes_for,
)

PEOPLE_SCOPES = {"read": "people:read", "write": "people:write"}
PersonRows = rows_serializer(PersonSerializer)


class BulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    results = PersonSerializer(many=True)


@extend_schema_view(list=extend_schema(responses=PersonSerializer(many=True)))
class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """People, keyed by their HR employee ID. Never deleted: `active: false` deactivates."""

    scopes = PEOPLE_SCOPES
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    lookup_field = "uuid"
    lookup_url_kwarg = "id"

    def get_queryset(self):
        people = User.objects.visible_to(self.request.user)
        if self.action == "list":
            # Pages of up to 500 are read as rows, not instances: see api.rows.
            return people.values(*PersonRows.columns)
        return people.select_related("org_unit", "job_role", "manager")

    def get_serializer_class(self):
        return PersonRows if self.action == "list" else PersonSerializer

    @extend_schema(request=PersonInputSerializer, responses={201: PersonSerializer})
    def create(self, request):
        """Add a person; an employee ID another person has is refused."""
        record = self._valid(request.data)
        if User.objects.filter(employee_id=record["employee_id"]).exists():
            raise Refused([error("employee_id", _TAKEN, "unique")])
        ((person, _),) = self._upserted([record])
        return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PersonInputSerializer, responses=PersonSerializer)
    def partial_update(self, request, id=None):
        """Change what is sent; what is left out stays."""
        person = self.get_object()
        data = (
            {"employee_id": person.employee_id, **request.data}
            if isinstance(request.data, dict)
            else request.data
        )
        if not person.employee_id:
            raise serializers.ValidationError(
                {"employee_id": ["Give this person an employee ID to update them through the API."]}
            )
        record = self._valid(data)
        if record["employee_id"] != person.employee_id:
            raise serializers.ValidationError(
                {"employee_id": ["The employee ID is the person's key: it cannot change here."]}
            )
        ((person, _),) = self._upserted([record])
        return Response(PersonSerializer(person).data)

    @extend_schema(
        methods=["PUT"],
        request=PersonUpsertSerializer,
        responses={200: PersonSerializer, 201: PersonSerializer},
        operation_id="people_upsert_by_employee_id",
    )
    @extend_schema(
        methods=["GET"], responses=PersonSerializer, operation_id="people_by_employee_id"
    )
    @action(detail=False, methods=["get", "put"], url_path=r"by-employee-id/(?P<employee_id>[^/]+)")
    def by_employee_id(self, request, employee_id=None):
        """Read, or create-or-update, the person with this employee ID (idempotent)."""
        if request.method == "GET":
            person = get_object_or_404(self.get_queryset(), employee_id=employee_id)
            return Response(PersonSerializer(person).data)
        data = dict(request.data) if isinstance(request.data, dict) else request.data
        if isinstance(data, dict):
            if data.setdefault("employee_id", employee_id) != employee_id:
                raise serializers.ValidationError(
                    {
                        "employee_id": [
                            "The employee ID in the body differs from the one in the address."
                        ]
                    }
                )
        record = self._valid(data)
        ((person, created),) = self._upserted([record])
        return Response(
            PersonSerializer(person).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=PeopleBulkSerializer, responses=BulkResultSerializer)
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Create or update up to 500 people by employee ID, all or none: a refused
        record is reported with its index and field errors, and nothing is saved."""
        batch = PeopleBulkSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        raw = batch.validated_data["records"]
        codes = codes_for(request.user, raw)
        records, errors = [], []
        for index, item in enumerate(raw):
            one = PersonInputSerializer(data=item, context={"codes": codes})
            if one.is_valid():
                records.append(one.validated_data)
            else:
                errors.extend(field_errors(one.errors, f"records.{index}"))
                records.append(None)
        if errors:
            raise Refused(errors)
        done = self._upserted(records, bulk=True)
        created = sum(1 for _, was_created in done if was_created)
        return Response(
            {
                "created": created,
                "updated": len(done) - created,
                "results": PersonSerializer([person for person, _ in done], many=True).data,
            }
        )

    @extend_schema(
        responses=CompetencyRecordSerializer(many=True), operation_id="people_competencies"
    )
    @action(
        detail=True,
        methods=["get"],
        scopes={"read": "evidence:read"},
        pagination_class=None,
        filterset_class=None,
    )
    def competencies(self, request, id=None):
        """The person's competency record: for each competency, the level their latest
        baseline or checkpoint assessment found, its source and since when."""
        person = self.get_object()
        assessments = Assessment.objects.visible_to(request.user).filter(enrolment__learner=person)
        rows = competency_record(assessments=assessments)
        return Response(CompetencyRecordSerializer(rows, many=True).data)

    def _valid(self, data) -> dict:
        one = PersonInputSerializer(
            data=data, context={"codes": codes_for(self.request.user, [data])}
        )
        one.is_valid(raise_exception=True)
        return one.validated_data

    def _upserted(self, records: list[dict], *, bulk: bool = False):
        """Save the records through the people service, within the caller's data scope."""

        def at(index, field):
            return f"records.{index}.{field}" if bulk else field

        actor = self.request.user
        visible = User.objects.visible_to(actor)
        errors = []
        index_of = {record["employee_id"]: index for index, record in enumerate(records)}
        if isinstance(actor, ServiceIdentity) and not actor.whole_company:
            # Where each person will be: the unit sent, or the one they are in now.
            now_in = dict(
                visible.filter(employee_id__in=index_of).values_list("employee_id", "org_unit")
            )
            for index, record in enumerate(records):
                if "org_unit" in record:
                    unit = record["org_unit"].pk if record["org_unit"] else None
                else:
                    unit = now_in.get(record["employee_id"])
                if unit is None or not actor.covers_org_unit(unit):
                    errors.append(error(at(index, "org_unit"), _OUTSIDE, "scope"))
        # Someone outside the caller's sight with this employee ID is not theirs to change,
        # and is refused as any taken ID is, so the answer reveals no one.
        hidden = User.objects.filter(employee_id__in=index_of).exclude(pk__in=visible.values("pk"))
        for employee_id in hidden.values_list("employee_id", flat=True):
            errors.append(error(at(index_of[employee_id], "employee_id"), _TAKEN, "unique"))
        if errors:
            raise Refused(errors)
        try:
            return services.people_upsert(records=records, people=visible)
        except services.BatchRefused as refused:
            raise Refused(
                [
                    error(at(index, _API_NAMES.get(name, name) or "non_field"), message)
                    for index, by_field in refused.errors.items()
                    for name, messages in by_field.items()
                    for message in messages
                ]
            ) from None


_TAKEN = "Another person already has this employee ID."
# A person's model fields, as the API names them.
_API_NAMES = {"is_active": "active"}
_OUTSIDE = "A client limited to org units places each person in one of its units."


class OrgUnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The org tree; units are kept in step by code."""

    scopes = PEOPLE_SCOPES
    serializer_class = OrgUnitSerializer
    filterset_class = OrgUnitFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return OrgUnit.objects.visible_to(self.request.user).select_related("parent")

    @extend_schema(
        request=OrgUnitInputSerializer,
        responses={200: OrgUnitSerializer, 201: OrgUnitSerializer},
        operation_id="org_units_upsert",
    )
    def update(self, request, code=None):
        """Create or update the unit with this code (idempotent)."""
        given = OrgUnitInputSerializer(data=request.data, context={"actor": request.user})
        given.is_valid(raise_exception=True)
        fields = given.validated_data
        unit = OrgUnit.objects.filter(code=code).first()
        actor = request.user
        if isinstance(actor, ServiceIdentity) and not actor.whole_company:
            # A client limited to org units works inside them: it renames its units, and
            # adds or moves units only under them (a parent outside is unknown to it).
            if unit is not None and not actor.covers_org_unit(unit.pk):
                raise NotFound()
            if (unit is None or "parent" in fields) and fields.get("parent") is None:
                return problem(403, "A client limited to org units adds units only under its own.")
        with transaction.atomic():
            if unit is None:
                unit = services.org_unit_create(code=code, **fields)
                return Response(OrgUnitSerializer(unit).data, status=status.HTTP_201_CREATED)
            unit = services.org_unit_update(unit=unit, **fields)
        return Response(OrgUnitSerializer(unit).data)


class JobRoleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Job roles with the competency levels they require; kept in step by code."""

    scopes = PEOPLE_SCOPES
    serializer_class = JobRoleSerializer
    filterset_class = JobRoleFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_queryset(self):
        requirements = RoleRequirement.objects.select_related("competency", "required_level")
        return JobRole.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("requirements", queryset=requirements)
        )

    @extend_schema(
        request=JobRoleInputSerializer,
        responses={200: JobRoleSerializer, 201: JobRoleSerializer},
        operation_id="job_roles_upsert",
    )
    def update(self, request, code=None):
        """Create or update the role with this code; `requirements`, when sent, become
        exactly the levels it requires."""
        given = JobRoleInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        wanted = fields.pop("requirements", None)
        requirements = None if wanted is None else _levels(wanted)
        if isinstance(request.user, ServiceIdentity) and not request.user.whole_company:
            return problem(403, "Only a client of the whole company changes job roles.")
        role = JobRole.objects.filter(code=code).first()
        with transaction.atomic():
            if role is None:
                role = services.job_role_create(code=code, requirements=requirements, **fields)
                created = True
            else:
                role = services.job_role_update(role=role, requirements=requirements, **fields)
                created = False
        role = self.get_queryset().get(pk=role.pk)
        return Response(
            JobRoleSerializer(role).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


def _levels(wanted: list[dict]) -> dict:
    """{competency: level} from [{competency_id, level}], found in one query."""
    ids = [item["competency_id"] for item in wanted]
    competencies = {
        c.uuid: c for c in Competency.objects.filter(uuid__in=ids).prefetch_related("scale__levels")
    }
    found, errors = {}, []
    for index, item in enumerate(wanted):
        competency = competencies.get(item["competency_id"])
        if competency is None:
            errors.append(
                error(f"requirements.{index}.competency_id", "No competency has this id.")
            )
            continue
        level = next((lv for lv in competency.scale.levels.all() if lv.rank == item["level"]), None)
        if level is None:
            errors.append(
                error(
                    f"requirements.{index}.level",
                    "The competency's scale has no level at this rank.",
                )
            )
            continue
        if competency in found:
            errors.append(
                error(f"requirements.{index}.competency_id", "This competency is listed twice.")
            )
            continue
        found[competency] = level
    if errors:
        raise Refused(errors)
    return found
