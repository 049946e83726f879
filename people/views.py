"""A person's notifications and their email preference."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .models import Notification, User


@login_required
@require_GET
def notifications(request):
    items = Notification.objects.filter(recipient=request.user).order_by("-created_at")[:100]
    return render(request, "people/notifications.html", {"items": items})


@login_required
@require_POST
def notifications_read(request):
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("notifications")


@login_required
@require_POST
def email_preference(request):
    wanted = request.POST.get("email_notifications") == "on"
    User.objects.filter(pk=request.user.pk).update(email_notifications=wanted)
    messages.success(
        request,
        _("Emails are on: reminders reach your inbox too.")
        if wanted
        else _("Emails are off: reminders appear here only."),
    )
    return redirect("notifications")
