"""What a sync sees beyond edits of a row itself: changes to what a row shows, and
deletions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import Deletion
from programs.models import Pathway, Program
from programs.services import step_remove
from tests.factories import (
    CompetencyFactory,
    IndicatorFactory,
    OrgUnitFactory,
    PathwayFactory,
    ProgramFactory,
    StepFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def long_ago(row):
    type(row).objects.filter(pk=row.pk).update(updated_at=timezone.now() - timedelta(days=3))


def synced_since(caller, resource, moment):
    rows = caller.get(f"/api/v1/{resource}", {"updated_since": moment.isoformat()}).json()
    return {row["id"] for row in rows["results"]}


def test_a_new_sponsor_is_a_change_to_the_program(client_with):
    program = ProgramFactory()
    long_ago(program)
    since = timezone.now()

    program.sponsors.add(UserFactory())

    assert str(program.uuid) in synced_since(client_with(["programs:read"]), "programs", since)
    assert Program.objects.get(pk=program.pk).updated_at >= since


def test_a_removed_step_changes_its_pathway_and_is_a_deletion(client_with):
    pathway = PathwayFactory(status=Pathway.Status.DRAFT, published_at=None)
    step = StepFactory(pathway=pathway, position=1)
    StepFactory(pathway=pathway, position=2)
    long_ago(pathway)
    since = timezone.now()
    reader = client_with(["programs:read"])

    step_remove(step=step)

    assert str(pathway.uuid) in synced_since(reader, "pathways", since)
    shown = reader.get(f"/api/v1/pathways/{pathway.uuid}").json()
    assert str(step.uuid) not in [s["id"] for s in shown["steps"]]
    deleted = reader.get("/api/v1/deletions", {"updated_since": since.isoformat()}).json()
    assert [(d["resource"], d["object_id"]) for d in deleted["results"]] == [
        ("steps", str(step.uuid))
    ]


def test_a_new_indicator_is_a_change_to_the_competency(client_with):
    competency = CompetencyFactory()
    long_ago(competency)
    since = timezone.now()

    IndicatorFactory(competency=competency, level=competency.scale.levels.first())

    assert str(competency.uuid) in synced_since(
        client_with(["programs:read"]), "competencies", since
    )


def test_deletions_show_only_what_the_caller_may_read(client_with):
    mine, other = OrgUnitFactory(), OrgUnitFactory()
    inside, outside = UserFactory(org_unit=mine), UserFactory(org_unit=other)
    gone = {str(inside.uuid): "inside", str(outside.uuid): "outside"}
    inside.delete()
    outside.delete()  # as an admin might, though people are deactivated, not deleted

    def seen(caller):
        rows = caller.get("/api/v1/deletions").json()["results"]
        return sorted(gone[row["object_id"]] for row in rows if row["resource"] == "people")

    assert Deletion.objects.filter(resource="people").count() == 2
    assert seen(client_with(["people:read"])) == ["inside", "outside"]
    assert seen(client_with(["people:read"], data_scope="org_units", org_units=[mine])) == [
        "inside"
    ]
    assert seen(client_with(["programs:read"])) == []


def test_a_tampered_or_bad_deletions_filter_is_refused(client_with):
    caller = client_with(["people:read"])

    response = caller.get("/api/v1/deletions", {"updated_since": "last week"})

    assert response.status_code == 400


@pytest.mark.parametrize("resource", ["deletions", "progression-events"])
def test_a_moment_beyond_the_calendar_is_refused_on_every_list(client_with, resource):
    caller = client_with(["people:read", "evidence:read"])

    for moment in ("9999-12-31T23:00:00-10:00", "2026-01-01T00:00:00+23:00"):
        response = caller.get(f"/api/v1/{resource}", {"updated_since": moment})
        assert response.status_code in (200, 400), response.content
    assert (
        caller.get(
            f"/api/v1/{resource}", {"updated_since": "9999-12-31T23:00:00-10:00"}
        ).status_code
        == 400
    )
