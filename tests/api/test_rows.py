"""The people list is read as rows rather than instances, for speed: each person reads in
it exactly as their own record does, whatever they have or lack."""

import pytest
from rest_framework import serializers

from api.rows import rows_serializer
from people.models import User
from tests.factories import JobRoleFactory, OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_each_person_in_the_list_reads_as_their_own_record(client_with):
    unit, role = OrgUnitFactory(), JobRoleFactory()
    boss = UserFactory(org_unit=unit, job_role=role, employee_id="E1", job_title="Head")
    UserFactory(org_unit=unit, job_role=role, manager=boss, employee_id="E2", is_active=False)
    UserFactory(employee_id="", time_zone="Asia/Singapore")  # no unit, role or manager
    caller = client_with(["people:read"])

    listed = caller.get("/api/v1/people?page_size=2")
    rest = caller.get(listed.json()["next"])
    rows = listed.json()["results"] + rest.json()["results"]

    assert len(rows) == User.objects.count() == 3
    for row in rows:
        assert row == caller.get(f"/api/v1/people/{row['id']}").json()
    by_employee = {row["employee_id"]: row for row in rows}
    assert by_employee["E2"]["manager_id"] == str(boss.uuid)
    assert by_employee["E2"]["active"] is False
    assert by_employee[""]["org_unit"] is None
    assert by_employee[""]["manager_id"] is None


def test_a_field_that_is_no_column_of_a_row_is_refused_when_the_list_is_defined():
    class Nested(serializers.ModelSerializer):
        org_unit = serializers.StringRelatedField()

        class Meta:
            model = User
            fields = ["username", "org_unit"]

    with pytest.raises(TypeError, match=r"Nested\.org_unit is not a column of a row"):
        rows_serializer(Nested)

    class Computed(serializers.ModelSerializer):
        name = serializers.SerializerMethodField()

        class Meta:
            model = User
            fields = ["name"]

    with pytest.raises(TypeError, match=r"Computed\.name is not a column of a row"):
        rows_serializer(Computed)
