"""The resources HR systems read: each lists in sync order in a constant number of
queries, shows a person's records only to whoever may see that person, and needs its scope."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import ProgressEvent
from tests.factories import (
    AssessmentFactory,
    AssignmentFactory,
    CoachingSessionFactory,
    CohortFactory,
    CompetencyFactory,
    DebriefFactory,
    EnrolmentFactory,
    FeedbackFactory,
    FeedbackWindowFactory,
    FrameworkFactory,
    LearningObjectiveFactory,
    MeasurementFactory,
    ObservationFactory,
    OrgUnitFactory,
    OutcomeMetricFactory,
    PathwayFactory,
    PerformanceObjectiveFactory,
    ProgramFactory,
    ScaleFactory,
    SponsorReviewFactory,
    StepFactory,
    StepProgressFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _enrolment(learner):
    return EnrolmentFactory(learner=learner)


def _event(learner):
    enrolment = _enrolment(learner)
    return ProgressEvent.objects.create(
        type=ProgressEvent.Type.ENROLMENT_STATUS,
        enrolment=enrolment,
        from_status="active",
        to_status="paused",
        occurred_at=enrolment.created_at,
        cause=ProgressEvent.Cause.PERSON,
    )


def _pathway(_learner):
    pathway = PathwayFactory()
    StepFactory(pathway=pathway, position=1)
    return pathway


def _performance_objective(_learner):
    objective = PerformanceObjectiveFactory()
    objective.learning_objectives.add(LearningObjectiveFactory(program=objective.program))
    return objective


def _program(_learner):
    program = ProgramFactory()
    program.sponsors.add(UserFactory())
    return program


# resource -> (address, what builds one row about `learner`, about a person or a program)
RESOURCES = {
    "frameworks": (lambda _: FrameworkFactory(), "program"),
    "scales": (lambda _: ScaleFactory(), "program"),
    "competencies": (lambda _: CompetencyFactory(), "program"),
    "learning-objectives": (lambda _: LearningObjectiveFactory(), "program"),
    "performance-objectives": (_performance_objective, "program"),
    "programs": (_program, "program"),
    "pathways": (_pathway, "program"),
    "cohorts": (lambda _: CohortFactory(), "program"),
    "outcome-metrics": (lambda _: OutcomeMetricFactory(), "program"),
    "sponsor-reviews": (lambda _: SponsorReviewFactory(), "company"),
    "enrolments": (_enrolment, "person"),
    "step-progress": (lambda learner: StepProgressFactory(enrolment=_enrolment(learner)), "person"),
    "progression-events": (_event, "person"),
    "assignments": (lambda learner: AssignmentFactory(enrolment=_enrolment(learner)), "person"),
    "observations": (lambda learner: ObservationFactory(enrolment=_enrolment(learner)), "person"),
    "feedback-windows": (
        lambda learner: FeedbackWindowFactory(
            observation=ObservationFactory(enrolment=_enrolment(learner))
        ),
        "person",
    ),
    "feedback": (
        lambda learner: FeedbackFactory(
            observation=ObservationFactory(enrolment=_enrolment(learner))
        ),
        "person",
    ),
    "debriefs": (lambda learner: DebriefFactory(enrolment=_enrolment(learner)), "person"),
    "coaching-sessions": (
        lambda learner: CoachingSessionFactory(enrolment=_enrolment(learner)),
        "person",
    ),
    "assessments": (lambda learner: AssessmentFactory(enrolment=_enrolment(learner)), "person"),
    "measurements": (
        lambda learner: MeasurementFactory(
            metric=OutcomeMetricFactory(program=(e := _enrolment(learner)).program), enrolment=e
        ),
        "person",
    ),
}
SCOPE = {name: "programs:read" for name, (_, kind) in RESOURCES.items() if kind != "person"}
SCOPE.update({name: "evidence:read" for name, (_, kind) in RESOURCES.items() if kind == "person"})

# Queries a page runs: the token, its OAuth client, the API client, then the page's rows
# with their keys, and one more for each list a row shows.
QUERIES = {
    "frameworks": 4,
    "scales": 5,
    "competencies": 5,
    "learning-objectives": 4,
    "performance-objectives": 5,
    "programs": 5,
    "pathways": 7,
    "cohorts": 4,
    "outcome-metrics": 4,
    "sponsor-reviews": 4,
    "enrolments": 4,
    "step-progress": 4,
    "progression-events": 4,
    "assignments": 4,
    "observations": 4,
    "feedback-windows": 4,
    "feedback": 4,
    "debriefs": 5,
    "coaching-sessions": 4,
    "assessments": 4,
    "measurements": 4,
}


def row_id(row) -> str:
    return str(getattr(row, "uuid", None) or row.pk)


@pytest.mark.parametrize("resource", sorted(RESOURCES))
@pytest.mark.parametrize("count", [2, 12])
def test_a_page_runs_the_same_queries_whatever_its_size(
    client_with, django_assert_num_queries, resource, count
):
    build, _ = RESOURCES[resource]
    learner = UserFactory()
    made = {row_id(build(learner)) for _ in range(count)}
    caller = client_with([SCOPE[resource]])
    caller.get("/api/v1/me")  # the first call of a minute marks the client used

    with django_assert_num_queries(QUERIES[resource]):
        response = caller.get(f"/api/v1/{resource}?page_size=500")

    assert response.status_code == 200, response.content
    assert made <= {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("resource", sorted(RESOURCES))
def test_a_row_is_read_by_its_id_and_needs_the_scope(client_with, resource):
    build, _ = RESOURCES[resource]
    row = build(UserFactory())
    url = f"/api/v1/{resource}/{row_id(row)}"

    allowed = client_with([SCOPE[resource]]).get(url)
    refused = client_with(["people:read"]).get(url)

    assert allowed.status_code == 200
    assert allowed.json()["id"] == row_id(row)
    assert refused.status_code == 403
    assert "id" not in refused.json()


@pytest.mark.parametrize(
    "resource", sorted(name for name, (_, kind) in RESOURCES.items() if kind == "person")
)
def test_a_client_limited_to_org_units_reads_only_their_people_records(client_with, resource):
    build, _ = RESOURCES[resource]
    mine, other = OrgUnitFactory(), OrgUnitFactory()
    inside = build(UserFactory(org_unit=mine))
    outside = build(UserFactory(org_unit=other))
    caller = client_with([SCOPE[resource]], data_scope="org_units", org_units=[mine])

    listed = {row["id"] for row in caller.get(f"/api/v1/{resource}").json()["results"]}

    assert row_id(inside) in listed
    assert row_id(outside) not in listed
    assert caller.get(f"/api/v1/{resource}/{row_id(outside)}").status_code == 404


@pytest.mark.parametrize(
    "resource", sorted(name for name, (_, kind) in RESOURCES.items() if kind == "person")
)
def test_a_learner_in_the_browser_reads_their_own_records_only(person_caller, resource):
    build, _ = RESOURCES[resource]
    me, colleague = UserFactory(), UserFactory()
    mine, theirs = build(me), build(colleague)

    caller = person_caller(me)
    listed = {row["id"] for row in caller.get(f"/api/v1/{resource}").json()["results"]}

    assert row_id(mine) in listed
    assert row_id(theirs) not in listed
    assert caller.get(f"/api/v1/{resource}/{row_id(theirs)}").status_code == 404


def test_a_limited_client_reads_no_sponsor_review(client_with):
    review = SponsorReviewFactory()
    caller = client_with(["programs:read"], data_scope="org_units", org_units=[OrgUnitFactory()])

    assert caller.get("/api/v1/sponsor-reviews").json()["results"] == []
    assert caller.get(f"/api/v1/sponsor-reviews/{review.uuid}").status_code == 404


def test_coaching_notes_and_reflections_never_leave(client_with):
    session = CoachingSessionFactory(notes="Private: worried about the move.")
    caller = client_with(["evidence:read"])

    shown = caller.get(f"/api/v1/coaching-sessions/{session.uuid}")

    assert set(shown.json()) == {
        "id",
        "enrolment_id",
        "coach_id",
        "held_at",
        "created_at",
        "updated_at",
    }
    assert "Private" not in shown.content.decode()
    assert caller.get("/api/v1/reflections").status_code == 404
    assert caller.get("/api/v1/peer-feedback").status_code == 404


def test_a_person_competency_record_shows_their_latest_level(client_with):
    competency = CompetencyFactory(code="NEG")
    enrolment = EnrolmentFactory()
    levels = list(competency.scale.levels.all())
    AssessmentFactory(enrolment=enrolment, competency=competency, assessed_level=levels[0])
    latest = AssessmentFactory(
        enrolment=enrolment,
        competency=competency,
        assessed_level=levels[2],
        kind="checkpoint",
        assessed_on=dt.date(2026, 3, 10),
    )
    # A self-assessment is the learner's own view: it does not set the record.
    AssessmentFactory(
        enrolment=enrolment,
        competency=competency,
        assessed_level=levels[3],
        kind="self",
        assessed_on=dt.date(2026, 4, 1),
    )
    caller = client_with(["evidence:read", "people:read"])

    record = caller.get(f"/api/v1/people/{enrolment.learner.uuid}/competencies").json()

    assert record == [
        {
            "competency_id": str(competency.uuid),
            "competency_code": "NEG",
            "level": 3,
            "level_name": levels[2].name,
            "source": "checkpoint",
            "assessment_id": str(latest.uuid),
            "as_of": "2026-03-10",
        }
    ]
    assert (
        client_with(["people:read"])
        .get(f"/api/v1/people/{enrolment.learner.uuid}/competencies")
        .status_code
        == 403
    )


def test_every_list_is_in_change_order(client_with):
    caller = client_with(["evidence:read"])
    learner = UserFactory()
    for _ in range(3):
        _enrolment(learner)

    with CaptureQueriesContext(connection):
        rows = caller.get("/api/v1/enrolments").json()["results"]

    stamps = [(row["updated_at"], row["id"]) for row in rows]
    assert stamps == sorted(stamps)


def test_enrolments_filter_as_the_designer_roster_does(client_with):
    okafor = _enrolment(UserFactory(last_name="Okafor"))
    EnrolmentFactory(learner=UserFactory(last_name="Okafor"), status="paused")
    _enrolment(UserFactory(last_name="Lindqvist"))
    caller = client_with(["evidence:read"])

    def ids(**query):
        return {row["id"] for row in caller.get("/api/v1/enrolments", query).json()["results"]}

    assert len(ids(q="okaf")) == 2
    assert ids(q="okaf", status="active") == {str(okafor.uuid)}
    assert ids(competent="yes") == set()
    assert caller.get("/api/v1/enrolments", {"status": "finished"}).status_code == 400
