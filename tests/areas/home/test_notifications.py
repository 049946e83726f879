"""The notifications page, the unread count in the navigation and the email preference."""

import pytest
from django.urls import reverse

from people.models import Notification
from tests import factories as f

pytestmark = pytest.mark.django_db


def _notify(person, n):
    for i in range(n):
        Notification.objects.create(
            recipient=person,
            kind="feedback_due",
            key=f"{person.pk}-{i}",
            title=f"Due {i}",
            body="Feedback is due.",
        )


def test_the_navigation_counts_unread_notifications_and_reading_clears_them(client):
    person, other = f.UserFactory(), f.UserFactory()
    _notify(person, 3)
    _notify(other, 2)
    client.force_login(person)
    page = client.get(reverse("notifications")).text
    assert '3<span class="visually-hidden"> unread</span>' in page
    assert "Due 0" in page
    assert Notification.objects.filter(recipient=other).count() == 2
    client.post(reverse("notifications_read"))
    assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 2


def test_a_person_turns_emails_off_and_on(client):
    person = f.UserFactory()
    client.force_login(person)
    response = client.post(reverse("email_preference"), {}, follow=True)
    assert "Emails are off" in response.text
    person.refresh_from_db()
    assert person.email_notifications is False
    client.post(reverse("email_preference"), {"email_notifications": "on"})
    person.refresh_from_db()
    assert person.email_notifications is True


def test_notifications_need_a_login_and_a_post_to_change(client):
    assert client.get(reverse("notifications")).status_code == 302
    client.force_login(f.UserFactory())
    assert client.get(reverse("notifications_read")).status_code == 405


@pytest.mark.parametrize("size", [2, 50])
def test_the_notifications_page_runs_the_same_queries_at_any_size(
    client, django_assert_num_queries, size
):
    person = f.UserFactory()
    _notify(person, size)
    client.force_login(person)
    with django_assert_num_queries(4):
        assert client.get(reverse("notifications")).status_code == 200
