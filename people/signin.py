"""Signing in: the lock-out after repeated failures (django-axes), its page and its log."""

import logging
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in
from django.db.models import Max, Q, Sum
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone

logger = logging.getLogger(__name__)


class SignInAttempts(AxesDatabaseHandler):
    """Axes' database record of failures, with a limit per address of its own."""

    def get_failures(self, request, credentials=None) -> int:
        by_account, by_address = (
            attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        # Axes compares one count with AXES_FAILURE_LIMIT: the address's count is scaled to
        # reach that limit exactly when it reaches AXES_ADDRESS_FAILURE_LIMIT, so colleagues
        # sharing an office's address do not lock each other out at an account's limit.
        scaled = by_address * settings.AXES_FAILURE_LIMIT // settings.AXES_ADDRESS_FAILURE_LIMIT
        return max(by_account, scaled)


def minutes_locked(request, credentials) -> int:
    """Whole minutes until the latest failure counted against this account or address
    leaves the cool-off: at most that long until sign-in opens again."""
    cool_off = get_cool_off(request)
    now = timezone.now()
    latest = AccessAttempt.objects.filter(
        Q(username=get_client_username(request, credentials))
        | Q(ip_address=request.axes_ip_address),
        attempt_time__gte=now - cool_off,
    ).aggregate(latest=Max("attempt_time"))["latest"]
    left = (latest or now) + cool_off - now
    return max(1, math.ceil(left.total_seconds() / 60))


def lockout_response(request, original_response, credentials):
    """The sign-in page saying that sign-in is locked and for how long (429)."""
    username = get_client_username(request, credentials) or ""
    context = {
        "form": AuthenticationForm(request, initial={"username": username}),
        "locked_minutes": minutes_locked(request, credentials),
        "next": request.POST.get("next", request.GET.get("next", "")),
    }
    return render(
        request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    """Say who was locked out and from where, for whoever watches the logs."""
    logger.warning("Sign-in locked for username %r from address %s", username, ip_address)


@receiver(user_logged_in)
def forget_account_failures(sender, request, user, **kwargs):
    """A successful sign-in starts the account's count again; its address's count stays."""
    AccessAttempt.objects.filter(username=user.get_username()).delete()
