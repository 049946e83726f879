"""Repeated failed sign-ins lock the account and the address for the cool-off, and say so."""

import logging
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from talentdev.core.addresses import client_address
from tests import factories as f

pytestmark = pytest.mark.django_db

LOCKED = "Sign-in is locked after too many failed attempts"


def sign_in(client, username, password, *, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response.url == reverse("home")


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_refused(client):
    user = f.UserFactory()
    for attempt in range(4):
        response = sign_in(client, user.username, "wrong")
        assert response.status_code == 200, attempt
        assert LOCKED not in response.text

    fifth = sign_in(client, user.username, "wrong")
    assert fifth.status_code == 429
    assert LOCKED in fifth.text

    response = sign_in(client, user.username, f.DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert LOCKED in response.text
    assert "Try again in 15 minutes" in response.text
    # The page keeps the form, with the name that was typed.
    assert f'value="{user.username}"' in response.text


def test_four_wrong_passwords_do_not_lock_the_account(client):
    user = f.UserFactory()
    for _ in range(4):
        sign_in(client, user.username, "wrong")
    assert signed_in(sign_in(client, user.username, f.DEFAULT_PASSWORD))


def test_the_account_stays_locked_from_another_address(client):
    user = f.UserFactory()
    for number in range(5):
        sign_in(client, user.username, "wrong", address=f"10.0.1.{number}")

    response = sign_in(Client(), user.username, f.DEFAULT_PASSWORD, address="10.0.2.1")
    assert response.status_code == 429
    assert LOCKED in response.text


def test_many_accounts_guessed_from_one_address_lock_the_address(client):
    # Twenty failures from one address (each account under its own limit) lock the address.
    for number in range(20):
        sign_in(client, f"guess{number}", "wrong", address="10.0.3.1")
    someone = f.UserFactory()

    response = sign_in(Client(), someone.username, f.DEFAULT_PASSWORD, address="10.0.3.1")
    assert response.status_code == 429
    assert LOCKED in response.text
    # From elsewhere the same person signs in.
    assert signed_in(sign_in(Client(), someone.username, f.DEFAULT_PASSWORD, address="10.0.4.1"))


def test_an_address_under_its_limit_still_signs_people_in(client):
    for number in range(19):
        sign_in(client, f"guess{number}", "wrong", address="10.0.3.2")
    someone = f.UserFactory()
    assert signed_in(sign_in(Client(), someone.username, f.DEFAULT_PASSWORD, address="10.0.3.2"))


def test_sign_in_opens_again_after_the_cool_off(client, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    user = f.UserFactory()
    for _ in range(5):
        sign_in(client, user.username, "wrong")
    response = sign_in(client, user.username, f.DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "Try again in 1 minute," in response.text

    time.sleep(1.2)
    assert signed_in(sign_in(client, user.username, f.DEFAULT_PASSWORD))


def test_a_try_while_locked_does_not_extend_the_lock(client, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=2)
    user = f.UserFactory()
    for _ in range(5):
        sign_in(client, user.username, "wrong")
    time.sleep(1.2)
    assert sign_in(client, user.username, "wrong").status_code == 429
    time.sleep(1.0)
    assert signed_in(sign_in(client, user.username, f.DEFAULT_PASSWORD))


def test_a_successful_sign_in_starts_the_accounts_count_again(client):
    user = f.UserFactory()
    for _ in range(4):
        sign_in(client, user.username, "wrong")
    assert signed_in(sign_in(client, user.username, f.DEFAULT_PASSWORD))
    client.post(reverse("logout"))

    for _ in range(4):
        sign_in(client, user.username, "wrong")
    assert signed_in(sign_in(client, user.username, f.DEFAULT_PASSWORD))


def test_a_successful_sign_in_keeps_the_failures_against_other_accounts(client):
    # Someone guessing others' passwords cannot wipe the record by signing in as themselves.
    for number in range(19):
        sign_in(client, f"guess{number}", "wrong", address="10.0.5.1")
    guesser = f.UserFactory()
    assert signed_in(sign_in(client, guesser.username, f.DEFAULT_PASSWORD, address="10.0.5.1"))
    client.post(reverse("logout"))

    assert sign_in(client, "guess19", "wrong", address="10.0.5.1").status_code == 429
    assert AccessAttempt.objects.filter(ip_address="10.0.5.1").count() == 20


def test_a_lock_out_is_logged_with_the_username_and_address(client, caplog):
    user = f.UserFactory()
    with caplog.at_level(logging.WARNING, logger="people.signin"):
        for _ in range(5):
            sign_in(client, user.username, "wrong", address="192.0.2.7")
    lockouts = [r for r in caplog.records if r.name == "people.signin"]
    assert len(lockouts) == 1
    assert lockouts[0].levelno == logging.WARNING
    assert repr(user.username) in lockouts[0].getMessage()
    assert "192.0.2.7" in lockouts[0].getMessage()


def test_axes_still_logs_each_failure_and_the_lock_out_at_warning(client, caplog):
    user = f.UserFactory()
    with caplog.at_level(logging.WARNING, logger="axes"):
        for _ in range(5):
            sign_in(client, user.username, "wrong", address="192.0.2.8")
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("axes")]
    assert sum("login failure by" in message for message in messages) == 5
    assert sum("Locking out" in message for message in messages) == 1


def test_a_management_command_prints_no_axes_banner():
    done = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "AXES" not in done.stdout + done.stderr


def test_behind_a_proxy_the_address_it_saw_is_counted(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = f.UserFactory()
    for number in range(5):
        # The client forges the first entries; the proxy appends the address it saw.
        client.post(
            reverse("login"),
            {"username": user.username, "password": "wrong"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}, 198.51.100.4",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.4"}


@pytest.mark.parametrize(
    ("forwarded", "counted"),
    [
        ("2001:DB8:0:0::1", "2001:db8::1"),  # one address however it is spelled
        ("198.51.100.4:4431", "10.9.9.9"),  # not an address: the connection's own
        ("not-an-address", "10.9.9.9"),
    ],
)
def test_the_address_counted_is_an_address(settings, rf, forwarded, counted):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == counted


def test_an_hr_admin_sees_and_lifts_a_lock_out_in_the_admin(client):
    user = f.UserFactory()
    for _ in range(5):
        sign_in(client, user.username, "wrong")
    admin = f.UserFactory(is_staff=True)
    admin.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="axes",
            codename__in=["view_accessattempt", "delete_accessattempt"],
        )
    )
    staff = Client()
    staff.force_login(admin)
    listing = staff.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert user.username in listing.text

    attempt = AccessAttempt.objects.get(username=user.username)
    staff.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert signed_in(sign_in(Client(), user.username, f.DEFAULT_PASSWORD))


def test_a_person_without_the_permission_cannot_see_lock_outs(client):
    client.force_login(f.UserFactory(is_staff=True))
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403
