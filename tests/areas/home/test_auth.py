"""Signing in and out, changing and resetting a password, and the role navigation."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_person_resets_a_forgotten_password_by_email(client):
    user = f.UserFactory(email="lena@example.com")
    response = client.post(reverse("password_reset"), {"email": "lena@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session-bound URL
    response = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert "This password is too short" in response.text
    client.post(
        form_url,
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase")


def test_an_unknown_address_gets_the_same_answer_and_no_email(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_person_changes_their_password_and_a_wrong_old_one_is_refused(client):
    user = f.UserFactory()
    client.force_login(user)
    url = reverse("password_change")
    response = client.post(
        url,
        {
            "old_password": "wrong",
            "new_password1": "another-long-one",
            "new_password2": "another-long-one",
        },
    )
    assert "Your old password was entered incorrectly" in response.text
    client.post(
        url,
        {
            "old_password": "correct-horse-battery",
            "new_password1": "another-long-one",
            "new_password2": "another-long-one",
        },
    )
    user.refresh_from_db()
    assert user.check_password("another-long-one")


def test_logging_out_takes_a_post_and_ends_the_session(client):
    client.force_login(f.UserFactory())
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_navigation_offers_each_role_a_person_holds(client):
    enrolment = f.EnrolmentFactory()
    person = enrolment.learner
    f.EnrolmentFactory(supervisor=person)  # also supervises someone
    client.force_login(person)
    text = client.get(reverse("learn:home")).text
    assert reverse("learn:home") in text
    assert reverse("team:home") in text
    assert reverse("design:home") not in text
