"""Writes for people, org units and job roles: the services the admin saves through."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError

from people.models import User
from people.services import (
    group_permissions_set,
    job_role_requirements_set,
    org_unit_update,
    person_create,
    person_password_set,
    person_update,
)
from tests.factories import (
    DEFAULT_PASSWORD,
    CompetencyFactory,
    JobRoleFactory,
    OrgUnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# person_create


def test_a_person_is_added_with_a_hashed_password_and_their_groups():
    group = Group.objects.create(name="Coaches")

    person = person_create(
        username="ada", password="analytical-engine-1843", groups=[group], job_title="Analyst"
    )

    person.refresh_from_db()
    assert person.password != "analytical-engine-1843"
    assert person.check_password("analytical-engine-1843")
    assert list(person.groups.all()) == [group]
    assert person.job_title == "Analyst"


def test_a_person_added_without_a_password_cannot_sign_in_with_one():
    person = person_create(username="sso-only")

    assert not person.has_usable_password()


def test_a_person_whose_username_is_taken_is_refused_and_not_added():
    UserFactory(username="ada")

    with pytest.raises(ValidationError) as excinfo:
        person_create(username="ada", password="analytical-engine-1843")

    assert "username" in excinfo.value.message_dict
    assert User.objects.filter(username="ada").count() == 1


# person_update


def test_a_persons_details_and_username_are_changed_and_the_rest_stays():
    person = UserFactory(job_title="Analyst")
    manager = UserFactory()

    person_update(person=person, username="ada.l", manager=manager)

    person.refresh_from_db()
    assert (person.username, person.manager, person.job_title) == ("ada.l", manager, "Analyst")


def test_changing_a_username_to_one_already_taken_is_refused_and_changes_nothing():
    UserFactory(username="taken")
    person = UserFactory(username="ada")

    with pytest.raises(ValidationError) as excinfo:
        person_update(person=person, username="taken", job_title="Analyst")

    assert "username" in excinfo.value.message_dict
    person.refresh_from_db()
    assert (person.username, person.job_title) == ("ada", "")


def test_a_manager_who_would_make_the_reporting_line_a_loop_is_refused():
    boss = UserFactory()
    report = UserFactory(manager=boss)

    with pytest.raises(ValidationError) as excinfo:
        person_update(person=boss, manager=report)

    assert excinfo.value.message_dict == {
        "manager": ["This manager would make the reporting line a loop."]
    }
    boss.refresh_from_db()
    assert boss.manager is None


def test_a_password_in_clear_is_not_accepted_by_person_update():
    person = UserFactory()

    with pytest.raises(TypeError, match="password"):
        person_update(person=person, password="in-clear-text")


# person_password_set


def test_a_new_password_replaces_the_old_one_stored_hashed():
    person = UserFactory()

    person_password_set(person=person, password="a-much-better-secret-42")

    person.refresh_from_db()
    assert person.check_password("a-much-better-secret-42")
    assert not person.check_password(DEFAULT_PASSWORD)
    assert "a-much-better-secret-42" not in person.password


def test_a_password_the_rules_refuse_is_not_set_and_the_old_one_still_works():
    person = UserFactory()

    with pytest.raises(ValidationError) as excinfo:
        person_password_set(person=person, password="password")

    assert "This password is too common." in excinfo.value.messages
    person.refresh_from_db()
    assert person.check_password(DEFAULT_PASSWORD)


def test_no_password_turns_password_sign_in_off():
    person = UserFactory()

    person_password_set(person=person, password=None)

    person.refresh_from_db()
    assert not person.has_usable_password()
    assert not person.check_password(DEFAULT_PASSWORD)


# org units and job roles


def test_an_org_unit_is_moved_under_another():
    unit, new_parent = OrgUnitFactory(), OrgUnitFactory()

    org_unit_update(unit=unit, parent=new_parent)

    unit.refresh_from_db()
    assert unit.parent == new_parent


def test_moving_an_org_unit_under_its_own_child_is_refused():
    top = OrgUnitFactory()
    child = OrgUnitFactory(parent=top)

    with pytest.raises(ValidationError) as excinfo:
        org_unit_update(unit=top, parent=child)

    assert excinfo.value.message_dict == {"parent": ["This parent would make the org tree a loop."]}
    top.refresh_from_db()
    assert top.parent is None


def test_a_role_requires_exactly_the_levels_given_and_drops_the_others():
    role = JobRoleFactory()
    kept, dropped = CompetencyFactory(), CompetencyFactory()
    job_role_requirements_set(
        role=role,
        requirements={kept: kept.scale.levels.get(rank=2), dropped: dropped.scale.levels.first()},
    )

    job_role_requirements_set(role=role, requirements={kept: kept.scale.levels.get(rank=3)})

    assert [(r.competency, r.required_level.rank) for r in role.requirements.all()] == [(kept, 3)]


def test_a_required_level_from_another_scale_is_refused_and_the_old_levels_stay():
    role = JobRoleFactory()
    competency, other = CompetencyFactory(), CompetencyFactory()
    job_role_requirements_set(role=role, requirements={competency: competency.scale.levels.first()})

    with pytest.raises(ValidationError) as excinfo:
        job_role_requirements_set(role=role, requirements={competency: other.scale.levels.first()})

    assert excinfo.value.message_dict == {
        "required_level": ["The level must come from the competency's own scale."]
    }
    assert role.requirements.get().required_level == competency.scale.levels.first()


# group_permissions_set


def _permissions(app_label):
    return Permission.objects.filter(content_type__app_label=app_label)


def test_a_group_is_created_with_exactly_the_permissions_given_and_kept_on_a_second_call():
    group = group_permissions_set(name="HR admins", permissions=_permissions("people"))

    again = group_permissions_set(name="HR admins", permissions=_permissions("programs"))

    assert again.pk == group.pk
    assert Group.objects.count() == 1
    assert set(again.permissions.all()) == set(_permissions("programs"))


def test_a_group_without_a_name_is_refused_and_not_saved():
    with pytest.raises(ValidationError) as excinfo:
        group_permissions_set(name="", permissions=_permissions("people"))

    assert excinfo.value.message_dict == {"name": ["This field cannot be blank."]}
    assert not Group.objects.exists()
