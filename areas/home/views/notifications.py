"""A person's notifications and their email preference."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from people.selectors import notifications_for
from people.services import email_notifications_set, notifications_mark_read


@login_required
@require_GET
def notifications(request):
    items = notifications_for(recipient=request.user)
    return render(request, "home/notifications.html", {"items": items})


@login_required
@require_POST
def notifications_read(request):
    notifications_mark_read(recipient=request.user)
    return redirect("notifications")


@login_required
@require_POST
def email_preference(request):
    wanted = request.POST.get("email_notifications") == "on"
    email_notifications_set(person=request.user, wanted=wanted)
    messages.success(
        request,
        _("Emails are on: reminders reach your inbox too.")
        if wanted
        else _("Emails are off: reminders appear here only."),
    )
    return redirect("notifications")
