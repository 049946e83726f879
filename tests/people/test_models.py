"""People's invariants: the org tree, reporting lines, employee IDs and role requirements."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError, transaction

from people.models import OrgUnit, RoleRequirement, User
from tests.factories import (
    CompetencyFactory,
    JobRoleFactory,
    OrgUnitFactory,
    ScaleFactory,
    UserFactory,
)
from tests.validation import constraint_errors, full_clean_errors

pytestmark = pytest.mark.django_db


# Org units


def test_an_org_unit_as_its_own_parent_is_refused_by_the_database():
    unit = OrgUnitFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.filter(pk=unit.pk).update(parent=unit)


def test_an_org_unit_under_another_is_stored():
    parent = OrgUnitFactory()
    child = OrgUnitFactory.build(parent=parent)

    child.full_clean()
    child.save()

    assert list(parent.children.all()) == [child]


def test_the_own_parent_constraint_explains_itself():
    unit = OrgUnitFactory()
    unit.parent = unit

    assert constraint_errors(unit) == {NON_FIELD_ERRORS: ["An org unit cannot be its own parent."]}


def test_an_org_unit_as_its_own_parent_is_reported_as_a_loop():
    unit = OrgUnitFactory()
    unit.parent = unit

    assert full_clean_errors(unit) == {"parent": ["This parent would make the org tree a loop."]}


def test_an_org_unit_under_its_own_grandchild_is_rejected_as_a_loop():
    top = OrgUnitFactory()
    middle = OrgUnitFactory(parent=top)
    bottom = OrgUnitFactory(parent=middle)
    top.parent = bottom

    assert full_clean_errors(top) == {"parent": ["This parent would make the org tree a loop."]}


def test_moving_an_org_unit_under_another_branch_is_accepted():
    top = OrgUnitFactory()
    left = OrgUnitFactory(parent=top)
    right = OrgUnitFactory(parent=top)
    right.parent = left

    right.full_clean()


# Reporting lines


def test_a_person_as_their_own_manager_is_refused_by_the_database():
    person = UserFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=person.pk).update(manager=person)


def test_a_person_with_a_manager_is_stored():
    manager = UserFactory()
    person = UserFactory.build(manager=manager)

    person.full_clean()
    person.save()

    assert list(manager.reports.all()) == [person]


def test_the_own_manager_constraint_explains_itself():
    person = UserFactory()
    person.manager = person

    assert constraint_errors(person) == {
        NON_FIELD_ERRORS: ["A person cannot be their own manager."]
    }


def test_a_person_as_their_own_manager_is_reported_as_a_loop():
    person = UserFactory()
    person.manager = person

    assert full_clean_errors(person) == {
        "manager": ["This manager would make the reporting line a loop."]
    }


def test_a_manager_reporting_to_their_own_report_is_rejected_as_a_loop():
    head = UserFactory()
    lead = UserFactory(manager=head)
    member = UserFactory(manager=lead)
    head.manager = member

    assert full_clean_errors(head) == {
        "manager": ["This manager would make the reporting line a loop."]
    }


def test_a_reporting_line_without_a_loop_is_accepted():
    head = UserFactory()
    lead = UserFactory(manager=head)
    member = UserFactory(manager=lead)
    member.manager = head

    member.full_clean()


# Employee IDs


def test_two_people_with_the_same_employee_id_are_refused_by_the_database():
    UserFactory(employee_id="E-1001")

    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(employee_id="E-1001")


def test_many_people_without_an_employee_id_are_stored():
    UserFactory(employee_id="")
    UserFactory(employee_id="")

    assert User.objects.filter(employee_id="").count() == 2


def test_a_second_person_without_an_employee_id_passes_validation():
    UserFactory(employee_id="")

    UserFactory.build(employee_id="").full_clean()


def test_a_duplicate_employee_id_is_reported_to_the_user():
    UserFactory(employee_id="E-1001")
    newcomer = UserFactory.build(employee_id="E-1001")

    assert full_clean_errors(newcomer) == {
        NON_FIELD_ERRORS: ["Another person already has this employee ID."]
    }


def test_a_duplicate_employee_id_typed_with_spaces_is_caught_after_trimming():
    UserFactory(employee_id="E-1001")
    newcomer = UserFactory.build(employee_id="  E-1001 ")

    assert full_clean_errors(newcomer) == {
        NON_FIELD_ERRORS: ["Another person already has this employee ID."]
    }


def test_a_new_employee_id_is_accepted_and_trimmed():
    UserFactory(employee_id="E-1001")
    newcomer = UserFactory.build(employee_id=" E-1002 ")

    newcomer.full_clean()

    assert newcomer.employee_id == "E-1002"


def test_a_person_keeping_their_own_employee_id_passes_validation():
    person = UserFactory(employee_id="E-1001")

    person.full_clean()


# Role requirements


@pytest.fixture
def competency():
    return CompetencyFactory()


def test_a_role_stating_two_levels_for_one_competency_is_refused_by_the_database(competency):
    role = JobRoleFactory()
    developing, proficient = competency.scale.levels.all()[1:3]
    RoleRequirement.objects.create(job_role=role, competency=competency, required_level=developing)

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleRequirement.objects.create(
            job_role=role, competency=competency, required_level=proficient
        )


def test_two_roles_stating_a_level_for_one_competency_are_stored(competency):
    level = competency.scale.levels.first()
    RoleRequirement.objects.create(
        job_role=JobRoleFactory(), competency=competency, required_level=level
    )
    second = RoleRequirement(job_role=JobRoleFactory(), competency=competency, required_level=level)

    second.full_clean()
    second.save()


def test_a_second_level_for_the_same_competency_is_reported_to_the_user(competency):
    role = JobRoleFactory()
    level = competency.scale.levels.first()
    RoleRequirement.objects.create(job_role=role, competency=competency, required_level=level)
    again = RoleRequirement(job_role=role, competency=competency, required_level=level)

    assert full_clean_errors(again) == {
        NON_FIELD_ERRORS: ["This role already states a level for that competency."]
    }


def test_a_required_level_from_another_scale_is_rejected(competency):
    other_scale = ScaleFactory(framework=competency.framework)
    requirement = RoleRequirement(
        job_role=JobRoleFactory(),
        competency=competency,
        required_level=other_scale.levels.first(),
    )

    assert full_clean_errors(requirement) == {
        "required_level": ["The level must come from the competency's own scale."]
    }


def test_a_required_level_from_the_competencys_scale_is_accepted(competency):
    requirement = RoleRequirement(
        job_role=JobRoleFactory(),
        competency=competency,
        required_level=competency.scale.levels.last(),
    )

    requirement.full_clean()
