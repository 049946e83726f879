"""A record's audit history, for HR admins: who changed what, when, and through which channel.

Any tracked record has one, at /design/history/<app.model>/<pk>/. The record is found
through the reader's visibility first (404 outside it), then only HR admins read it (403);
an HR admin also reads the history of a record since deleted.
"""

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from talentdev.core.access import is_hr_admin
from talentdev.core.changelog import changes_page, history_exists, is_tracked

CHANGES_PAGE_SIZE = 25


def _tracked_model(label: str):
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError) as unknown:
        raise Http404(_("No such record.")) from unknown
    if not is_tracked(model):
        raise Http404(_("No such record."))
    return model


def _visible(model, user, pk):
    """The record if the reader may see it; None if it was deleted (for an HR admin only)."""
    record = model._default_manager.visible_to(user).filter(pk=pk).first()
    if record is None and not (is_hr_admin(user) and history_exists(model, pk)):
        raise Http404(_("No such record."))
    return record


@login_required
@require_GET
def history(request, label, pk):
    model = _tracked_model(label)
    record = _visible(model, request.user, pk)
    if not is_hr_admin(request.user):
        raise PermissionDenied(_("Only HR admins read the history of a record."))
    changes = changes_page(model, pk, request.GET.get("page"), CHANGES_PAGE_SIZE)
    return render(
        request,
        "design/history.html",
        {
            "record": record,
            "record_name": str(record) if record is not None else f"#{pk}",
            "kind": model._meta.verbose_name,
            "changes": changes,
        },
    )
