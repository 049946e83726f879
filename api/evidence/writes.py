"""Turning what an HR system sends into calls of the services: keys found in one query
each, among the rows the caller may see, and every refused record reported at once."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from measurement.models import Measurement, OutcomeMetric
from measurement.services import assessment_record, measurement_upsert
from objectives.models import Competency, LearningObjective
from people.models import User
from programs.models import Cohort, Enrolment, Program
from programs.services import enrolment_create

from ..identity import ServiceIdentity
from ..problems import Refused, error, field_errors
from .inputs import AssessmentInputSerializer, EnrolmentInputSerializer, MeasurementInputSerializer


class Lookup:
    """The rows a batch names, found per kind in one query among what `actor` may see."""

    def __init__(self, actor, records: list[dict]):
        self.actor, self.records = actor, records

    def _values(self, field):
        return {r.get(field) for r in self.records if r.get(field) not in (None, "")}

    def people(self, *fields) -> dict:
        ids = set().union(*(self._values(field) for field in fields))
        return {
            p.employee_id: p
            for p in User.objects.visible_to(self.actor).filter(employee_id__in=ids)
        }

    def by_uuid(self, model, field, with_=()) -> dict:
        rows = model.objects.visible_to(self.actor).filter(uuid__in=self._values(field))
        return {row.uuid: row for row in rows.select_related(*with_)}


def _valid(serializer_class, items: list, prefix: bool):
    """Each item checked on its own; field errors named `records.<i>.<field>` in a bulk."""
    records, errors = [], []
    for index, item in enumerate(items):
        one = serializer_class(data=item)
        if one.is_valid():
            records.append(one.validated_data)
        else:
            errors.extend(field_errors(one.errors, f"records.{index}" if prefix else ""))
            records.append(None)
    if errors:
        raise Refused(errors)
    return records


def _saved_each(records, save, prefix: bool) -> list:
    """Run `save(index, record)` for every record in one transaction; if any is refused,
    report them all and keep none."""
    errors, done = [], []

    def at(index, field):
        return f"records.{index}.{field}" if prefix else field

    with transaction.atomic():
        for index, record in enumerate(records):
            try:
                with transaction.atomic():
                    done.append(save(index, record))
            except ValidationError as refused:
                by_field = (
                    refused.message_dict
                    if hasattr(refused, "error_dict")
                    else {"": refused.messages}
                )
                errors.extend(
                    error(at(index, _API_NAMES.get(name, name) or "non_field"), message)
                    for name, messages in by_field.items()
                    for message in messages
                )
            except _Missing as missing:
                errors.append(error(at(index, missing.field), missing.message, "unknown"))
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise Refused(errors)
    return done


# Model field names a refusal may carry, as the API calls them.
_API_NAMES = {
    "learner": "learner_employee_id",
    "supervisor": "supervisor_employee_id",
    "coach": "coach_employee_id",
    "cohort": "cohort_id",
    "program": "program_id",
    "enrolment": "enrolment_id",
    "metric": "metric_id",
    "assessed_level": "level",
    "assessor": "assessor_employee_id",
    "competency": "competency_id",
    "learning_objective": "learning_objective_id",
}


class _Missing(Exception):  # noqa: N818 - a key that names no row the caller may see
    def __init__(self, field: str, message: str):
        self.field, self.message = field, message


def _need(found: dict, key, field: str, what: str):
    if key in (None, ""):
        return None
    row = found.get(key)
    if row is None:
        raise _Missing(
            field,
            f"No {what} you may see has this {'employee ID' if 'employee' in field else 'id'}.",
        )
    return row


def enrolments_create(*, actor, items: list, bulk: bool) -> list[Enrolment]:
    records = _valid(EnrolmentInputSerializer, items, bulk)
    find = Lookup(actor, records)
    people = find.people("learner_employee_id", "supervisor_employee_id", "coach_employee_id")
    programs = find.by_uuid(Program, "program_id")
    cohorts = find.by_uuid(Cohort, "cohort_id")
    today = timezone.localdate()

    def save(index, record):
        learner = _need(people, record["learner_employee_id"], "learner_employee_id", "person")
        program = _need(programs, record["program_id"], "program_id", "program")
        supervisor_id = record.get("supervisor_employee_id")
        supervisor = (
            _need(people, supervisor_id, "supervisor_employee_id", "person")
            if supervisor_id
            else learner.manager
        )
        cohort = _need(cohorts, record.get("cohort_id"), "cohort_id", "cohort")
        return enrolment_create(
            learner=learner,
            program=program,
            enrolled_on=record.get("enrolled_on") or today,
            supervisor=supervisor,
            coach=_need(people, record.get("coach_employee_id"), "coach_employee_id", "person"),
            cohort=cohort,
        )

    return _saved_each(records, save, bulk)


def measurements_upsert(*, actor, items: list) -> list[tuple]:
    records = _valid(MeasurementInputSerializer, items, True)
    find = Lookup(actor, records)
    metrics = find.by_uuid(OutcomeMetric, "metric_id")
    enrolments = find.by_uuid(Enrolment, "enrolment_id")
    # A program-level value speaks for everyone on the program: a client limited to some
    # org units sends only its learners' values.
    program_wide = not isinstance(actor, ServiceIdentity) or actor.whole_company
    # Sent by an HR system, or typed by an HR admin calling the API from the browser.
    source = (
        Measurement.Source.API if isinstance(actor, ServiceIdentity) else Measurement.Source.MANUAL
    )

    def save(index, record):
        metric = _need(metrics, record["metric_id"], "metric_id", "metric")
        enrolment = _need(enrolments, record.get("enrolment_id"), "enrolment_id", "enrolment")
        if enrolment is None and not program_wide:
            raise _Missing(
                "enrolment_id", "A client limited to org units sends learners' values only."
            )
        return measurement_upsert(
            source=source,
            metric=metric,
            value=record["value"],
            measured_at=record["measured_at"],
            enrolment=enrolment,
            note=record.get("note", ""),
        )

    return _saved_each(records, save, True)


def assessment_create(*, actor, data):
    records = _valid(AssessmentInputSerializer, [data], False)
    find = Lookup(actor, records)
    enrolments = find.by_uuid(Enrolment, "enrolment_id")
    competencies = find.by_uuid(Competency, "competency_id", with_=("scale",))
    objectives = find.by_uuid(LearningObjective, "learning_objective_id")
    assessors = find.people("assessor_employee_id")

    def save(index, record):
        competency = _need(competencies, record["competency_id"], "competency_id", "competency")
        level = competency.scale.levels.filter(rank=record["level"]).first()
        if level is None:
            raise _Missing("level", "The competency's scale has no level at this rank.")
        return assessment_record(
            enrolment=_need(enrolments, record["enrolment_id"], "enrolment_id", "enrolment"),
            competency=competency,
            learning_objective=_need(
                objectives,
                record.get("learning_objective_id"),
                "learning_objective_id",
                "learning objective",
            ),
            kind=record["kind"],
            assessed_level=level,
            score=record.get("score"),
            assessor=_need(
                assessors, record["assessor_employee_id"], "assessor_employee_id", "person"
            ),
            assessed_on=record["assessed_on"],
        )

    (assessment,) = _saved_each(records, save, False)
    return assessment
