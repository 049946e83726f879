"""The line-of-sight audit: every break in plain language, each with a link to fix it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from programs.audit import program_audit

from .base import program_for_designer


def _fix_url(program, finding):
    """Where to fix a break: the edit page of the record it is about, or the right section."""
    code, subject = finding.code, finding.subject
    label = subject._meta.label_lower
    if code == "performance_objective_without_learning":
        return reverse("design:learning_new", args=[program.pk, subject.pk])
    if code == "performance_objective_not_practised":
        return reverse("design:step_new", args=[program.pk]) + f"?serves={subject.pk}"
    if label == "objectives.performanceobjective":
        return reverse("design:objective_edit", args=[program.pk, subject.pk])
    if label == "objectives.learningobjective":
        return reverse("design:learning_edit", args=[program.pk, subject.pk])
    if label == "programs.step":
        return reverse("design:step_edit", args=[program.pk, subject.pk])
    if code == "no_outcome_metrics":
        return reverse("design:metrics", args=[program.pk])
    if code == "no_performance_objectives":
        return reverse("design:objective_new", args=[program.pk])
    if code in ("no_pathway", "empty_pathway"):
        return reverse("design:step_new", args=[program.pk])
    if code == "no_learning_objectives":
        return reverse("design:program", args=[program.pk]) + "#objectives"
    return reverse("design:program", args=[program.pk]) + "#pathway"


@login_required
@require_GET
def audit(request, pk):
    """Every break in the line of sight, in plain language, each with a link to fix it."""
    program = program_for_designer(request, pk)
    findings = [
        {"finding": finding, "url": _fix_url(program, finding)}
        for finding in program_audit(program=program)
    ]
    return render(request, "design/audit.html", {"program": program, "findings": findings})


@login_required
@require_GET
def audit_summary(request, pk):
    """How many breaks a program has: a badge the design home loads row by row (htmx).

    The audit reads a whole program, so the home page asks for it once per visible row
    rather than running every program's audit before it can show anything.
    """
    program = program_for_designer(request, pk)
    return render(
        request,
        "design/partials/_audit_badge.html",
        {"program": program, "findings": len(program_audit(program=program))},
    )
