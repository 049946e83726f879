"""Creating notifications, one or many: each key exists once, and emails follow the commit."""

import pytest

from people.models import Notification
from people.notifications import Notice, _enqueue_delivery, notify, notify_many
from tests import factories as f

pytestmark = pytest.mark.django_db


def _notice(person, key, title="Step open: Kick-off"):
    return Notice(person.pk, Notification.Kind.STEP_OPEN, key, title, "It is open.", "/learn/")


def test_many_notices_are_created_in_one_insert_and_their_emails_sent_once_after_commit(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    people = [f.UserFactory() for _ in range(3)]
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(1):
        notify_many(_notice(person, f"open:{person.pk}") for person in people)
    assert callbacks == [_enqueue_delivery]
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(
        person.pk for person in people
    )


def test_a_notice_whose_key_exists_is_passed_over_and_the_first_one_kept():
    first, second = f.UserFactory(), f.UserFactory()
    notify_many([_notice(first, "open:1", title="First")])
    notify_many([_notice(first, "open:1", title="Again"), _notice(second, "open:2")])
    assert dict(Notification.objects.values_list("key", "title")) == {
        "open:1": "First",
        "open:2": "Step open: Kick-off",
    }


def test_no_notices_cost_no_query_and_send_nothing(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(0):
        notify_many([])
    assert callbacks == []


def test_a_title_longer_than_a_notification_holds_is_shortened_one_or_many():
    person = f.UserFactory()
    long = "Step open: " + "x" * 300
    notify_many([_notice(person, "many", title=long)])
    assert notify(
        recipient=person, kind=Notification.Kind.STEP_OPEN, key="one", title=long, body="Open."
    )
    assert not notify(
        recipient=person, kind=Notification.Kind.STEP_OPEN, key="one", title="x", body="x"
    )
    titles = set(Notification.objects.values_list("title", flat=True))
    assert titles == {long[:199] + "…"}
