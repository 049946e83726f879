"""Enrolling one learner or a cohort, and finding people to enrol."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from areas.design.forms.enrolment import EnrolForm
from areas.support import require_perm, save_form
from people.selectors import people_search
from programs.design import pathway_published, program_roster
from programs.services import cohort_enrol

from .base import program_for_designer, require_designer

ROSTER_PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request, pk):
    """Enrol one learner or a cohort, choosing supervisor and coach; the roster below."""
    program = program_for_designer(request, pk)
    require_perm(request.user, "programs.enrol_learners", program)
    form = EnrolForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        supervisor = data.pop("supervisor")
        enrolled = save_form(
            request,
            form,
            cohort_enrol,
            program=program,
            supervisor_for=(lambda learner: supervisor) if supervisor else None,
            **data,
            done=lambda enrolled: (
                _("Enrolled %(n)d learner(s) on pathway version %(v)s.")
                % {"n": len(enrolled), "v": enrolled[0].pathway.version}
            ),
        )
        if enrolled is not None:
            return redirect("design:enrol", pk=program.pk)
    page = Paginator(program_roster(program=program), ROSTER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "design/enrol.html",
        {
            "program": program,
            "form": form,
            "page": page,
            "published": pathway_published(program=program),
            "query": query,
            "found": people_search(viewer=request.user, text=query) if query else None,
        },
    )


@login_required
@require_GET
def people_search_view(request):
    """People matching what is typed, as <option>s for a suggestion list or as a list to add
    from (`?as=list`); only people the designer may see are offered."""
    require_designer(request.user)
    text = request.GET.get("q") or next(
        (value for key, value in request.GET.items() if key not in ("as", "page")), ""
    )
    template = (
        "design/partials/_people_found.html"
        if request.GET.get("as") == "list"
        else "design/partials/_people_options.html"
    )
    found = people_search(viewer=request.user, text=text)
    return render(request, template, {"found": found, "query": text})
