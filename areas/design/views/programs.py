"""The program designer's home and a program's page: backwards design in one place."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from areas.design.forms.programs import ProgramForm
from areas.support import save_form
from programs.design import program_design_page, programs_designed_by
from programs.services import program_create, program_update
from talentdev.core.access import is_hr_admin
from talentdev.core.paging import window_of

from .base import program_for_designer, require_designer

PROGRAMS_PAGE_SIZE = 50


@login_required
@require_GET
def home(request):
    """The programs a person designs: status, pathway versions and how big each one is."""
    require_designer(request.user)
    page = window_of(
        programs_designed_by(user=request.user), request.GET.get("page"), PROGRAMS_PAGE_SIZE
    )
    return render(request, "design/home.html", {"programs": page})


@login_required
@require_http_methods(["GET", "POST"])
def program_new(request):
    """Start a program; its owner is whoever starts it unless an HR admin names someone."""
    require_designer(request.user)
    form = ProgramForm(
        request.POST or None,
        initial={"owner": request.user},
        may_choose_owner=is_hr_admin(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.setdefault("owner", request.user)
        program = save_form(
            request,
            form,
            program_create,
            **data,
            done=_(
                "Program created. Start with what people will do differently: write the "
                "performance objectives first."
            ),
        )
        if program is not None:
            return redirect("design:program", pk=program.pk)
    return render(request, "design/program_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def program_edit(request, pk):
    program = program_for_designer(request, pk)
    form = ProgramForm(
        request.POST or None, instance=program, may_choose_owner=is_hr_admin(request.user)
    )
    if request.method == "POST" and form.is_valid():
        rule_changed = form.competency_rule_changed()
        done = _("Program saved.")
        if rule_changed:
            done = _(
                "Program saved. Its learners are being evaluated against the new competency "
                "rule and will move within a few minutes."
            )
        if save_form(
            request, form, program_update, program=program, **form.cleaned_data, done=done
        ):
            # Back where the rule is shown, when it is what changed.
            anchor = "#competency-rule" if rule_changed else ""
            return redirect(reverse("design:program", args=[program.pk]) + anchor)
    return render(request, "design/program_form.html", {"form": form, "program": program})


@login_required
@require_GET
def program_detail(request, pk):
    """Backwards design in one place: performance objectives, the why behind each, the
    pathway and the outcome metrics, each marked with what the audit found about it."""
    program = program_for_designer(request, pk)
    return render(
        request,
        "design/program.html",
        {"program": program, **program_design_page(program=program)},
    )
