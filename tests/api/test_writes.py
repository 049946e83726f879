"""What HR systems write: enrolments (one, in bulk, their status), outcome measurements
upserted in bulk, and assessments from an external tool. Refused input saves nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from measurement.models import Assessment, Measurement, OutcomeMetric
from programs.models import Enrolment, ProgressEvent
from tests.factories import (
    CohortFactory,
    CompetencyFactory,
    EnrolmentFactory,
    LearningObjectiveFactory,
    OrgUnitFactory,
    OutcomeMetricFactory,
    PathwayFactory,
    StepFactory,
    UserFactory,
)

from .conftest import fields_of, problem_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    pathway = PathwayFactory()
    StepFactory(pathway=pathway, position=1)
    return pathway.program


def enrol(caller, **fields):
    return caller.post("/api/v1/enrolments", fields, format="json")


def test_a_learner_is_enrolled_with_their_manager_as_supervisor(client_with, program):
    caller = client_with(["enrolments:write", "evidence:read"])
    boss = UserFactory(employee_id="B1")
    UserFactory(employee_id="L1", manager=boss)

    response = enrol(
        caller, learner_employee_id="L1", program_id=str(program.uuid), enrolled_on="2026-02-01"
    )

    assert response.status_code == 201, response.content
    enrolment = Enrolment.objects.get(learner__employee_id="L1")
    assert (enrolment.program, enrolment.supervisor, str(enrolment.enrolled_on)) == (
        program,
        boss,
        "2026-02-01",
    )
    assert enrolment.progress.count() == 1
    assert response.json()["id"] == str(enrolment.uuid)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"learner_employee_id": "GHOST"},
            "learner_employee_id",
            "No person you may see has this employee ID.",
        ),
        (
            {"program_id": "00000000-0000-0000-0000-000000000000"},
            "program_id",
            "No program you may see has this id.",
        ),
        (
            {"enrolled_on": "2025-12-31"},
            "enrolled_on",
            "starts on 1 Jan 2026: enrol from that day on.",
        ),
        ({"enrolled_on": "31/12/2026"}, "enrolled_on", "Date has wrong format."),
        ({"program_id": "not-a-uuid"}, "program_id", "Must be a valid UUID."),
        ({"cohort": "x"}, "cohort", "This field is unknown here."),
    ],
)
def test_a_bad_enrolment_is_refused_field_by_field(client_with, program, fields, field, message):
    caller = client_with(["enrolments:write"])
    UserFactory(employee_id="L1")

    response = enrol(
        caller, **{"learner_employee_id": "L1", "program_id": str(program.uuid), **fields}
    )

    assert response.status_code == 400
    errors = fields_of(response)
    assert list(errors) == [field]
    assert message in errors[field]
    assert not Enrolment.objects.exists()


def test_a_cohort_of_another_program_is_refused(client_with, program):
    caller = client_with(["enrolments:write"])
    UserFactory(employee_id="L1")
    elsewhere = CohortFactory()

    response = enrol(
        caller,
        learner_employee_id="L1",
        program_id=str(program.uuid),
        cohort_id=str(elsewhere.uuid),
    )

    assert fields_of(response) == {
        "cohort_id": "The cohort must belong to the enrolment's program."
    }


def test_enrolling_needs_the_scope(client_with, program):
    UserFactory(employee_id="L1")

    response = enrol(
        client_with(["evidence:read"]), learner_employee_id="L1", program_id=str(program.uuid)
    )

    assert response.status_code == 403
    assert not Enrolment.objects.exists()


def test_a_bulk_enrolment_with_one_refused_record_enrols_no_one(client_with, program):
    caller = client_with(["enrolments:write"])
    for n in range(3):
        UserFactory(employee_id=f"L{n}")

    response = caller.post(
        "/api/v1/enrolments/bulk",
        {
            "records": [
                {"learner_employee_id": "L0", "program_id": str(program.uuid)},
                {"learner_employee_id": "L1", "program_id": str(program.uuid)},
                {"learner_employee_id": "NOBODY", "program_id": str(program.uuid)},
            ]
        },
        format="json",
    )

    assert response.status_code == 400
    assert fields_of(response) == {
        "records.2.learner_employee_id": "No person you may see has this employee ID."
    }
    assert not Enrolment.objects.exists()


def test_a_bulk_enrolment_enrols_everyone(client_with, program):
    caller = client_with(["enrolments:write", "evidence:read"])
    for n in range(3):
        UserFactory(employee_id=f"L{n}")

    response = caller.post(
        "/api/v1/enrolments/bulk",
        {
            "records": [
                {"learner_employee_id": f"L{n}", "program_id": str(program.uuid)} for n in range(3)
            ]
        },
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["created"] == 3
    assert Enrolment.objects.filter(program=program).count() == 3


def test_a_limited_client_enrols_only_its_people(client_with, program):
    mine = OrgUnitFactory()
    UserFactory(employee_id="IN", org_unit=mine)
    UserFactory(employee_id="OUT", org_unit=OrgUnitFactory())
    caller = client_with(["enrolments:write"], data_scope="org_units", org_units=[mine])

    inside = enrol(caller, learner_employee_id="IN", program_id=str(program.uuid))
    outside = enrol(caller, learner_employee_id="OUT", program_id=str(program.uuid))

    assert inside.status_code == 201
    assert fields_of(outside) == {
        "learner_employee_id": "No person you may see has this employee ID."
    }
    assert not Enrolment.objects.filter(learner__employee_id="OUT").exists()


def test_an_enrolment_is_paused_and_resumed_with_its_history(client_with):
    enrolment = EnrolmentFactory()
    caller = client_with(["enrolments:write", "evidence:read"])
    url = f"/api/v1/enrolments/{enrolment.uuid}/status"

    paused = caller.post(url, {"status": "paused", "reason": "Parental leave"}, format="json")
    again = caller.post(url, {"status": "paused"}, format="json")
    completed = caller.post(url, {"status": "completed"}, format="json")

    assert paused.json()["status"] == "paused"
    event = ProgressEvent.objects.get(enrolment=enrolment, to_status="paused")
    assert (event.actor, event.detail) == (None, {"reason": "Parental leave"})
    assert fields_of(again) == {"status": "This enrolment is already paused."}
    assert fields_of(completed) == {"status": '"completed" is not a valid choice.'}
    enrolment.refresh_from_db()
    assert enrolment.status == "paused"


def test_a_pause_reason_may_run_over_several_lines(client_with):
    enrolment = EnrolmentFactory()
    caller = client_with(["enrolments:write", "evidence:read"])
    reason = "Parental leave\r\nback in May"

    response = caller.post(
        f"/api/v1/enrolments/{enrolment.uuid}/status",
        {"status": "paused", "reason": reason},
        format="json",
    )

    assert response.status_code == 200, response.content
    event = ProgressEvent.objects.get(enrolment=enrolment, to_status="paused")
    assert event.detail == {"reason": reason}


def measure(caller, *records):
    return caller.post("/api/v1/measurements/bulk", {"records": list(records)}, format="json")


def test_measurements_are_upserted_by_metric_moment_and_learner(client_with):
    caller = client_with(["measurements:write", "evidence:read"])
    enrolment = EnrolmentFactory()
    metric = OutcomeMetricFactory(program=enrolment.program)
    at = "2026-03-01T00:00:00Z"
    program_value = {"metric_id": str(metric.uuid), "measured_at": at, "value": "71.5"}
    learner_value = {**program_value, "enrolment_id": str(enrolment.uuid), "value": "3"}

    first = measure(caller, program_value, learner_value)
    again = measure(caller, {**program_value, "value": "72"}, learner_value)

    assert (first.json()["created"], first.json()["updated"]) == (2, 0)
    assert (again.json()["created"], again.json()["updated"]) == (0, 2)
    values = dict(Measurement.objects.values_list("enrolment", "value"))
    assert values == {None: Decimal("72"), enrolment.pk: Decimal("3")}
    assert OutcomeMetric.objects.get(pk=metric.pk).values_count == 2
    assert set(Measurement.objects.values_list("source", flat=True)) == {"api"}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"value": "1e20"},
            "records.1.value",
            "Ensure that there are no more than 14 digits in total.",
        ),
        ({"value": "NaN"}, "records.1.value", "A valid number is required."),
        ({"measured_at": "soon"}, "records.1.measured_at", "Datetime has wrong format."),
        (
            {"note": "bell\x07"},
            "records.1.note",
            "Remove the invisible control characters (such as NUL) from this text.",
        ),
        (
            {"note": "two\nlines"},
            "records.1.note",
            "Keep this text on one line: remove the line breaks.",
        ),
        (
            {"measured_at": "9999-12-31T23:59:00Z"},
            "records.1.measured_at",
            "Enter a date between the years 1900 and 2100.",
        ),
        (
            {"metric_id": "00000000-0000-0000-0000-000000000000"},
            "records.1.metric_id",
            "No metric you may see has this id.",
        ),
    ],
)
def test_a_bad_measurement_refuses_the_whole_batch(client_with, change, field, message):
    caller = client_with(["measurements:write"])
    metric = OutcomeMetricFactory()
    good = {"metric_id": str(metric.uuid), "measured_at": "2026-03-01T00:00:00Z", "value": "70"}

    response = measure(caller, good, {**good, "measured_at": "2026-04-01T00:00:00Z", **change})

    assert response.status_code == 400
    errors = fields_of(response)
    assert list(errors) == [field]
    assert errors[field].startswith(message)
    assert not Measurement.objects.exists()
    assert OutcomeMetric.objects.get(pk=metric.pk).values_count == 0


def test_a_measurement_at_the_first_minute_is_taken_whatever_offset_it_is_sent_with(client_with):
    caller = client_with(["measurements:write"])
    metric = OutcomeMetricFactory()
    value = {"metric_id": str(metric.uuid), "value": "70"}

    taken = measure(
        caller,
        {**value, "measured_at": "1900-01-01T14:00:00+14:00"},
        {**value, "measured_at": "1899-12-31T13:00:00-11:00", "value": "71"},
    )
    beyond = measure(caller, {**value, "measured_at": "1900-01-01T13:59:00+14:00"})

    assert taken.status_code == 200, taken.content
    assert set(Measurement.objects.values_list("measured_at", flat=True)) == {
        dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
    }
    assert fields_of(beyond) == {
        "records.0.measured_at": (
            "Enter a time from 1 Jan 1900, 00:00 UTC to 31 Dec 2100, 23:59 UTC."
        )
    }


def test_a_learner_value_must_be_on_the_metric_program(client_with):
    caller = client_with(["measurements:write"])
    metric = OutcomeMetricFactory()
    stranger = EnrolmentFactory()

    response = measure(
        caller,
        {
            "metric_id": str(metric.uuid),
            "enrolment_id": str(stranger.uuid),
            "measured_at": "2026-03-01T00:00:00Z",
            "value": "1",
        },
    )

    assert fields_of(response) == {
        "records.0.enrolment_id": "The learner must be on the metric's program."
    }


def test_a_limited_client_sends_no_program_level_value(client_with):
    metric = OutcomeMetricFactory()
    caller = client_with(
        ["measurements:write"], data_scope="org_units", org_units=[OrgUnitFactory()]
    )

    response = measure(
        caller, {"metric_id": str(metric.uuid), "measured_at": "2026-03-01T00:00:00Z", "value": "1"}
    )

    assert response.status_code == 400
    assert not Measurement.objects.exists()


def built_competency(enrolment):
    """A competency the enrolment's program builds (a learning objective of it)."""
    return LearningObjectiveFactory(program=enrolment.program).competency


def test_an_external_assessment_is_recorded(client_with):
    caller = client_with(["measurements:write", "evidence:read"])
    enrolment = EnrolmentFactory()
    competency = built_competency(enrolment)
    UserFactory(employee_id="ASSESSOR")

    response = caller.post(
        "/api/v1/assessments",
        {
            "enrolment_id": str(enrolment.uuid),
            "competency_id": str(competency.uuid),
            "kind": "checkpoint",
            "level": 2,
            "score": "87.5",
            "assessor_employee_id": "ASSESSOR",
            "assessed_on": "2026-02-10",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assessment = Assessment.objects.get()
    assert (assessment.assessed_level.rank, assessment.assessor.employee_id) == (2, "ASSESSOR")
    assert assessment.assessed_on == dt.date(2026, 2, 10)
    assert response.json()["level"] == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"level": 9}, "level"),
        ({"score": "101"}, "score"),
        ({"assessor_employee_id": "NOBODY"}, "assessor_employee_id"),
        ({"kind": "exam"}, "kind"),
        ({"competency_id": "other"}, "competency_id"),
    ],
)
def test_a_bad_assessment_is_refused(client_with, change, field):
    caller = client_with(["measurements:write"])
    enrolment = EnrolmentFactory()
    competency = built_competency(enrolment)
    UserFactory(employee_id="ASSESSOR")
    if change.get("competency_id") == "other":
        change = {"competency_id": str(CompetencyFactory().uuid)}  # not one the program builds
    body = {
        "enrolment_id": str(enrolment.uuid),
        "competency_id": str(competency.uuid),
        "kind": "checkpoint",
        "level": 2,
        "assessor_employee_id": "ASSESSOR",
        "assessed_on": "2026-02-10",
        **change,
    }

    response = caller.post("/api/v1/assessments", body, format="json")

    assert response.status_code == 400
    assert list(fields_of(response)) == [field]
    assert problem_of(response)["status"] == 400
    assert not Assessment.objects.exists()


@pytest.fixture
def outside_enrolment():
    return EnrolmentFactory(learner=UserFactory(org_unit=OrgUnitFactory()))


def test_every_write_needs_its_scope(client_with, program):
    caller = client_with(["people:read", "evidence:read", "programs:read"])
    enrolment = EnrolmentFactory()

    answers = [
        caller.post("/api/v1/enrolments", {}, format="json"),
        caller.post("/api/v1/enrolments/bulk", {"records": [{}]}, format="json"),
        caller.post(
            f"/api/v1/enrolments/{enrolment.uuid}/status", {"status": "paused"}, format="json"
        ),
        caller.post("/api/v1/measurements/bulk", {"records": [{}]}, format="json"),
        caller.post("/api/v1/assessments", {}, format="json"),
    ]

    assert [a.status_code for a in answers] == [403] * 5
    enrolment.refresh_from_db()
    assert enrolment.status == "active"


def test_a_limited_client_cannot_touch_an_enrolment_outside(client_with, outside_enrolment):
    caller = client_with(
        ["enrolments:write", "measurements:write"],
        data_scope="org_units",
        org_units=[OrgUnitFactory()],
    )
    metric = OutcomeMetricFactory(program=outside_enrolment.program)
    competency = built_competency(outside_enrolment)
    UserFactory(employee_id="ASSESSOR")

    status = caller.post(
        f"/api/v1/enrolments/{outside_enrolment.uuid}/status", {"status": "paused"}, format="json"
    )
    value = measure(
        caller,
        {
            "metric_id": str(metric.uuid),
            "enrolment_id": str(outside_enrolment.uuid),
            "measured_at": "2026-03-01T00:00:00Z",
            "value": "1",
        },
    )
    assessment = caller.post(
        "/api/v1/assessments",
        {
            "enrolment_id": str(outside_enrolment.uuid),
            "competency_id": str(competency.uuid),
            "kind": "checkpoint",
            "level": 1,
            "assessor_employee_id": "ASSESSOR",
            "assessed_on": "2026-02-10",
        },
        format="json",
    )

    assert status.status_code == 404
    assert fields_of(value) == {"records.0.enrolment_id": "No enrolment you may see has this id."}
    assert "enrolment_id" in fields_of(assessment)
    outside_enrolment.refresh_from_db()
    assert outside_enrolment.status == "active"
    assert not Measurement.objects.exists()
    assert not Assessment.objects.exists()
