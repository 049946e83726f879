"""The background jobs, for HR admins: each schedule, how its last run went, what is overdue."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from areas.support import require_perm
from talentdev.jobs.selectors import jobs_overview


@login_required
@require_GET
def jobs(request):
    require_perm(
        request.user,
        "jobs.view_status",
        why=_("Only HR admins see how the background jobs run."),
    )
    return render(request, "design/jobs.html", {"jobs": jobs_overview()})
