"""Services for people and the groups that grant their access."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError

from people.services import group_permissions_set, person_create, person_update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


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


def test_a_persons_details_and_reporting_line_are_changed_in_place():
    person, manager = UserFactory(), UserFactory()

    updated = person_update(person=person, job_title="Team Lead", manager=manager)

    person.refresh_from_db()
    assert updated.pk == person.pk
    assert (person.job_title, person.manager) == ("Team Lead", manager)


def test_a_reporting_line_that_loops_is_refused_and_not_saved():
    manager = person_create(username="maya")
    report = person_create(username="lena", manager=manager)

    with pytest.raises(ValidationError) as excinfo:
        person_update(person=manager, manager=report)

    assert excinfo.value.message_dict == {
        "manager": ["This manager would make the reporting line a loop."]
    }
    manager.refresh_from_db()
    assert manager.manager is None
