"""Competency frameworks: competencies, proficiency scales and behavioural indicators.

Frameworks are shared reference data: designers read them, HR admins change them.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from areas.design.forms.frameworks import CompetencyForm, FrameworkForm, IndicatorForm, ScaleForm
from areas.support import require_perm, run_command, save_form
from objectives.models import CompetencyFramework
from objectives.selectors import framework_contents, framework_published, frameworks_listing
from objectives.services import (
    competency_create,
    competency_update,
    framework_create,
    framework_new_version,
    framework_publish,
    framework_update,
    indicator_create,
    scale_create,
)

from .base import require_designer


@login_required
@require_GET
def framework_list(request):
    require_designer(request.user)
    return render(request, "design/frameworks.html", {"frameworks": frameworks_listing()})


@login_required
@require_http_methods(["GET", "POST"])
def framework_new(request):
    require_perm(request.user, "objectives.change_framework")
    form = FrameworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        framework = save_form(
            request,
            form,
            framework_create,
            **form.cleaned_data,
            done=_("Framework created: add a scale, then competencies."),
        )
        if framework is not None:
            return redirect("design:framework", pk=framework.pk)
    return render(request, "design/framework_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def framework_edit(request, pk):
    """Rename or re-describe a draft framework."""
    framework = _changing(request, pk)
    form = FrameworkForm(request.POST or None, instance=framework)
    if request.method == "POST" and form.is_valid():
        if save_form(
            request,
            form,
            framework_update,
            framework=framework,
            **form.cleaned_data,
            done=_("Framework saved."),
        ):
            return redirect("design:framework", pk=framework.pk)
    return render(request, "design/framework_form.html", {"form": form, "framework": framework})


@login_required
@require_POST
def framework_new_version_view(request, pk):
    """Copy a published framework into the next draft version, which is editable."""
    framework = _changing(request, pk)
    draft = run_command(
        request,
        framework_new_version,
        framework=framework,
        done=lambda draft: (
            _(
                "Version %(v)s started as a copy. Change it, then publish it: programs keep "
                "the version they use until you move them."
            )
            % {"v": draft.version}
        ),
    )
    return redirect("design:framework", pk=(draft or framework).pk)


def _framework_page(request, framework, **forms):
    context = {
        "framework": framework,
        **framework_contents(framework=framework),
        "may_change": request.user.has_perm("objectives.change_framework"),
        "can_change": request.user.has_perm("objectives.change_framework")
        and framework.status == CompetencyFramework.Status.DRAFT,
        "scale_form": forms.get("scale_form") or ScaleForm(),
        "competency_form": forms.get("competency_form") or CompetencyForm(framework=framework),
        "indicator_form": forms.get("indicator_form") or IndicatorForm(framework=framework),
    }
    return render(request, "design/framework.html", context)


def _changing(request, pk):
    require_perm(request.user, "objectives.change_framework")
    return get_object_or_404(CompetencyFramework, pk=pk)


@login_required
@require_GET
def framework_detail(request, pk):
    require_designer(request.user)
    return _framework_page(request, get_object_or_404(CompetencyFramework, pk=pk))


@login_required
@require_POST
def scale_new(request, pk):
    framework = _changing(request, pk)
    form = ScaleForm(request.POST)
    if form.is_valid():
        if save_form(
            request,
            form,
            scale_create,
            framework=framework,
            name=form.cleaned_data["name"],
            levels=form.cleaned_data["levels"].splitlines(),
            done=_("Scale added."),
        ):
            return redirect("design:framework", pk=framework.pk)
    return _framework_page(request, framework, scale_form=form)


@login_required
@require_POST
def competency_new(request, pk):
    framework = _changing(request, pk)
    form = CompetencyForm(request.POST, framework=framework)
    if form.is_valid():
        if save_form(
            request,
            form,
            competency_create,
            framework=framework,
            **form.cleaned_data,
            done=_("Competency added."),
        ):
            return redirect("design:framework", pk=framework.pk)
    return _framework_page(request, framework, competency_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def competency_edit(request, pk, competency_pk):
    framework = _changing(request, pk)
    competency = get_object_or_404(framework.competencies, pk=competency_pk)
    form = CompetencyForm(request.POST or None, instance=competency, framework=framework)
    if request.method == "POST" and form.is_valid():
        if save_form(
            request,
            form,
            competency_update,
            competency=competency,
            **form.cleaned_data,
            done=_("Competency saved."),
        ):
            return redirect("design:framework", pk=framework.pk)
    return render(
        request,
        "design/competency_form.html",
        {"framework": framework, "competency": competency, "form": form},
    )


@login_required
@require_POST
def indicator_new(request, pk):
    framework = _changing(request, pk)
    form = IndicatorForm(request.POST, framework=framework)
    if form.is_valid():
        if save_form(
            request,
            form,
            indicator_create,
            **form.cleaned_data,
            done=_("Behavioural indicator added."),
        ):
            return redirect("design:framework", pk=framework.pk)
    return _framework_page(request, framework, indicator_form=form)


@login_required
@require_POST
def framework_publish_view(request, pk):
    framework = _changing(request, pk)
    # The version it replaces, if any, is retired as it is published: say so only then.
    before = framework_published(name=framework.name)
    done = (
        _("Framework published; version %(v)s before it is retired.") % {"v": before.version}
        if before is not None
        else _("Framework published.")
    )
    run_command(request, framework_publish, framework=framework, done=done)
    return redirect("design:framework", pk=framework.pk)
