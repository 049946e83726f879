"""People in through the API: created, updated, upserted by employee ID and in bulk, with
their org unit, job role and manager by key; never deleted."""

import pytest
from django.test import override_settings

from people.models import JobRole, OrgUnit, User
from tests.factories import CompetencyFactory, JobRoleFactory, OrgUnitFactory, UserFactory

from .conftest import fields_of, problem_of

pytestmark = pytest.mark.django_db

WRITE = ["people:read", "people:write"]


def put_person(caller, employee_id, **fields):
    return caller.put(f"/api/v1/people/by-employee-id/{employee_id}", fields, format="json")


def bulk(caller, records):
    return caller.post("/api/v1/people/bulk", {"records": records}, format="json")


def test_put_by_employee_id_creates_then_updates_the_same_person(client_with):
    caller = client_with(WRITE)
    unit = OrgUnitFactory(code="sales")
    role = JobRoleFactory(code="ae")

    created = put_person(
        caller, "E100", first_name="Ada", last_name="Lovelace", org_unit="sales", job_role="ae"
    )
    updated = put_person(caller, "E100", job_title="Account executive")

    assert created.status_code == 201
    assert updated.status_code == 200
    person = User.objects.get(employee_id="E100")
    assert (person.first_name, person.org_unit, person.job_role) == ("Ada", unit, role)
    assert person.job_title == "Account executive"
    assert updated.json()["id"] == created.json()["id"] == str(person.uuid)
    assert User.objects.filter(employee_id="E100").count() == 1


def test_the_same_put_twice_changes_nothing_the_second_time(client_with):
    caller = client_with(WRITE)
    first = put_person(caller, "E1", first_name="Ada").json()

    again = put_person(caller, "E1", first_name="Ada")

    assert again.status_code == 200
    assert again.json()["updated_at"] == first["updated_at"]


def test_a_person_is_deactivated_never_deleted(client_with):
    caller = client_with(WRITE)
    person = UserFactory(employee_id="E7")

    response = put_person(caller, "E7", active=False)

    assert response.json()["active"] is False
    person.refresh_from_db()
    assert person.is_active is False
    assert caller.delete(f"/api/v1/people/{person.uuid}").status_code == 405
    assert User.objects.filter(pk=person.pk).exists()


def test_the_manager_is_named_by_employee_id(client_with):
    caller = client_with(WRITE)
    boss = UserFactory(employee_id="B1")

    body = put_person(caller, "E1", manager_employee_id="B1").json()

    assert body["manager_employee_id"] == "B1"
    assert body["manager_id"] == str(boss.uuid)
    assert put_person(caller, "E1", manager_employee_id="").json()["manager_id"] is None


def test_an_unknown_manager_is_refused_and_nothing_is_saved(client_with):
    caller = client_with(WRITE)

    response = put_person(caller, "E1", first_name="Ada", manager_employee_id="NOBODY")

    assert response.status_code == 400
    assert fields_of(response) == {"manager_employee_id": "No person has this employee ID."}
    assert not User.objects.filter(employee_id="E1").exists()


def test_a_reporting_line_that_would_loop_is_refused(client_with):
    caller = client_with(WRITE)
    a = UserFactory(employee_id="A")
    UserFactory(employee_id="B", manager=a)

    response = put_person(caller, "A", manager_employee_id="B")

    assert response.status_code == 400
    assert fields_of(response) == {
        "manager_employee_id": "This manager would make the reporting line a loop."
    }
    a.refresh_from_db()
    assert a.manager is None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"org_unit": "nowhere"}, "org_unit", "No org unit has the code 'nowhere'."),
        ({"job_role": "nothing"}, "job_role", "No job role has the code 'nothing'."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"active": "perhaps"}, "active", "Must be a valid boolean."),
        ({"time_zone": "Mars/Olympus"}, "time_zone", '"Mars/Olympus" is not a valid choice.'),
        ({"first_name": ["Ada"]}, "first_name", "Not a valid string."),
        ({"salary": 100}, "salary", "This field is unknown here."),
    ],
)
def test_bad_fields_are_refused_one_by_one(client_with, fields, field, message):
    caller = client_with(WRITE)

    response = put_person(caller, "E1", **fields)

    assert response.status_code == 400
    assert fields_of(response) == {field: message}
    assert problem_of(response)["type"] == "urn:talentdev:problem:validation"
    assert not User.objects.filter(employee_id="E1").exists()


ONE_LINE = "Keep this text on one line: remove the line breaks."


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", "Ada\nLovelace"),
        ("last_name", "Love\rlace"),
        ("job_title", "Account\r\nexecutive"),
        ("username", "ada\x0blovelace"),
        ("job_title", "Account\x0cexecutive"),
        ("job_title", "Account\u2028executive"),
    ],
)
def test_a_one_line_field_refuses_a_line_break(client_with, field, value):
    caller = client_with(WRITE)

    response = put_person(caller, "E1", **{field: value})

    assert response.status_code == 400
    assert fields_of(response) == {field: ONE_LINE}
    assert problem_of(response)["errors"][0]["code"] == "line_breaks"
    assert not User.objects.filter(employee_id="E1").exists()


@pytest.mark.parametrize("invisible", ["\x1e", "\x85"], ids=["record separator", "NEL"])
def test_a_separator_nobody_sees_is_refused_as_a_control_character(client_with, invisible):
    caller = client_with(WRITE)

    response = put_person(caller, "E1", job_title=f"Account{invisible}executive")

    assert fields_of(response) == {
        "job_title": "Remove the invisible control characters (such as NUL) from this text."
    }
    assert not User.objects.filter(employee_id="E1").exists()


def test_a_line_break_beside_a_nul_is_refused_for_the_nul(client_with):
    caller = client_with(WRITE)

    response = put_person(caller, "E1", first_name="Ada\n\x00")

    assert fields_of(response) == {
        "first_name": "Remove the invisible control characters (such as NUL) from this text."
    }


def test_a_body_that_is_not_an_object_is_refused(client_with):
    caller = client_with(WRITE)

    response = caller.put("/api/v1/people/by-employee-id/E1", [1, 2], format="json")

    assert response.status_code == 400
    assert not User.objects.filter(employee_id="E1").exists()


def test_an_employee_id_in_the_body_must_match_the_address(client_with):
    caller = client_with(WRITE)

    response = caller.put("/api/v1/people/by-employee-id/E1", {"employee_id": "E2"}, format="json")

    assert response.status_code == 400
    assert "employee_id" in fields_of(response)


def test_create_refuses_an_employee_id_someone_has(client_with):
    caller = client_with(WRITE)
    UserFactory(employee_id="E1")

    response = caller.post("/api/v1/people", {"employee_id": "E1"}, format="json")

    assert response.status_code == 400
    assert fields_of(response) == {"employee_id": "Another person already has this employee ID."}


def test_create_then_patch_by_id(client_with):
    caller = client_with(WRITE)

    created = caller.post(
        "/api/v1/people", {"employee_id": "E1", "first_name": "Ada"}, format="json"
    )
    patched = caller.patch(
        f"/api/v1/people/{created.json()['id']}", {"last_name": "King"}, format="json"
    )

    assert created.status_code == 201
    assert patched.status_code == 200
    person = User.objects.get(employee_id="E1")
    assert (person.first_name, person.last_name, person.username) == ("Ada", "King", "E1")


def test_an_oversized_body_is_refused_before_it_is_read(client_with):
    caller = client_with(WRITE)

    with override_settings(API_MAX_BODY_BYTES=1000):
        response = put_person(caller, "E1", job_title="x" * 2000)

    assert response.status_code == 413
    assert problem_of(response)["type"] == "urn:talentdev:problem:too-large"
    assert not User.objects.filter(employee_id="E1").exists()


def test_bulk_creates_and_updates_everyone_and_reports_the_counts(client_with):
    caller = client_with(WRITE)
    UserFactory(employee_id="E1", first_name="Old")

    response = bulk(
        caller,
        [
            {"employee_id": "E1", "first_name": "New"},
            {"employee_id": "M9", "first_name": "Manager"},
            # a report whose manager arrives in the same batch, listed before or after
            {"employee_id": "E2", "manager_employee_id": "M9"},
        ],
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["updated"]) == (2, 1)
    assert [row["employee_id"] for row in body["results"]] == ["E1", "M9", "E2"]
    assert User.objects.get(employee_id="E2").manager.employee_id == "M9"
    assert User.objects.get(employee_id="E1").first_name == "New"


def test_a_bulk_with_one_bad_record_saves_nothing_and_names_the_record(client_with):
    caller = client_with(WRITE)
    UserFactory(employee_id="E1", first_name="Old")

    response = bulk(
        caller,
        [
            {"employee_id": "E1", "first_name": "New"},
            {"employee_id": "E2"},
            {"employee_id": "E3", "email": "nope"},
        ],
    )

    assert response.status_code == 400
    assert fields_of(response) == {"records.2.email": "Enter a valid email address."}
    assert User.objects.get(employee_id="E1").first_name == "Old"
    assert not User.objects.filter(employee_id__in=["E2", "E3"]).exists()


def test_a_bulk_reports_every_refused_record_of_the_service(client_with):
    caller = client_with(WRITE)

    response = bulk(
        caller,
        [
            {"employee_id": "A", "manager_employee_id": "B"},
            {"employee_id": "B", "manager_employee_id": "A"},
            {"employee_id": "C", "manager_employee_id": "GHOST"},
            {"employee_id": "A"},
        ],
    )

    assert response.status_code == 400
    assert fields_of(response) == {
        "records.1.manager_employee_id": "This manager would make the reporting line a loop.",
        "records.2.manager_employee_id": "No person has this employee ID.",
        "records.3.employee_id": "Record 0 has this employee ID too.",
    }
    assert not User.objects.filter(employee_id__in=["A", "B", "C"]).exists()


def test_a_bulk_is_at_most_500_records(client_with):
    caller = client_with(WRITE)

    response = bulk(caller, [{"employee_id": f"E{n}"} for n in range(501)])

    assert response.status_code == 400
    assert fields_of(response) == {"records": "Ensure this field has no more than 500 elements."}
    assert not User.objects.filter(employee_id="E0").exists()


def test_org_units_are_kept_in_step_by_code(client_with):
    caller = client_with(WRITE)
    OrgUnitFactory(code="emea")

    created = caller.put(
        "/api/v1/org-units/sales-uk", {"name": "Sales UK", "parent": "emea"}, format="json"
    )
    renamed = caller.put("/api/v1/org-units/sales-uk", {"name": "UK sales"}, format="json")
    loop = caller.put(
        "/api/v1/org-units/emea", {"name": "EMEA", "parent": "sales-uk"}, format="json"
    )

    assert (created.status_code, renamed.status_code) == (201, 200)
    unit = OrgUnit.objects.get(code="sales-uk")
    # What is left out stays; a parent of null makes the unit a root.
    assert (unit.name, unit.parent.code) == ("UK sales", "emea")
    assert renamed.json()["id"] == created.json()["id"]
    caller.put("/api/v1/org-units/sales-uk", {"name": "UK sales", "parent": None}, format="json")
    assert OrgUnit.objects.get(code="sales-uk").parent is None
    assert loop.status_code == 400
    assert fields_of(loop) == {"parent": "This parent would make the org tree a loop."}
    assert OrgUnit.objects.get(code="emea").parent is None


def test_a_job_role_states_the_levels_it_requires(client_with):
    caller = client_with(WRITE)
    competency = CompetencyFactory(code="NEG")

    response = caller.put(
        "/api/v1/job-roles/ae",
        {
            "title": "Account executive",
            "requirements": [{"competency_id": str(competency.uuid), "level": 3}],
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["requirements"] == [
        {"competency_id": str(competency.uuid), "competency_code": "NEG", "level": 3}
    ]
    role = JobRole.objects.get(code="ae")
    assert role.requirements.get().required_level.rank == 3


def test_a_job_role_description_takes_several_lines_and_its_title_one(client_with):
    caller = client_with(WRITE)
    description = "Wins new accounts.\r\nReports to the sales lead."

    refused = caller.put(
        "/api/v1/job-roles/ae",
        {"title": "Account\nexecutive", "description": description},
        format="json",
    )
    accepted = caller.put(
        "/api/v1/job-roles/ae",
        {"title": "Account executive", "description": description},
        format="json",
    )

    assert refused.status_code == 400
    assert fields_of(refused) == {"title": ONE_LINE}
    assert accepted.status_code == 201, accepted.content
    assert JobRole.objects.get(code="ae").description == description


def test_an_org_unit_name_takes_one_line(client_with):
    caller = client_with(WRITE)

    response = caller.put("/api/v1/org-units/emea", {"name": "Europe\nand Africa"}, format="json")

    assert response.status_code == 400
    assert fields_of(response) == {"name": ONE_LINE}
    assert not OrgUnit.objects.filter(code="emea").exists()


def test_a_bulk_names_the_record_whose_field_breaks_a_line(client_with):
    caller = client_with(WRITE)

    response = bulk(caller, [{"employee_id": "E1"}, {"employee_id": "E2", "last_name": "A\nB"}])

    assert response.status_code == 400
    assert fields_of(response) == {"records.1.last_name": ONE_LINE}
    assert not User.objects.filter(employee_id__in=["E1", "E2"]).exists()


def test_a_job_role_level_must_exist_on_the_competency_scale(client_with):
    caller = client_with(WRITE)
    competency = CompetencyFactory()

    response = caller.put(
        "/api/v1/job-roles/ae",
        {"title": "AE", "requirements": [{"competency_id": str(competency.uuid), "level": 9}]},
        format="json",
    )

    assert response.status_code == 400
    assert fields_of(response) == {
        "requirements.0.level": "The competency's scale has no level at this rank."
    }
    assert not JobRole.objects.filter(code="ae").exists()
