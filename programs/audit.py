"""The line-of-sight audit: every break in the chain from competency to business outcome.

"Do we have both learning and performance objectives? Are we building understanding and
application?" — the audit answers it for one program, with a finding per break, each
naming the thing to fix. A program with no findings has an unbroken line of sight.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from enum import IntEnum

from django.db.models import Model, Prefetch
from django.utils.translation import gettext as _

from objectives.models import LearningObjective, PerformanceObjective
from objectives.smart import smart_problems

from .models import Pathway, Program, Step


class Severity(IntEnum):
    """How badly a break hurts the line of sight; higher sorts first."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Finding:
    """One break in the chain, in plain language, with the record to fix."""

    code: str
    severity: Severity
    message: str
    subject: Model


def _short(text: str, length: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _objectives_findings(program, learning_objectives, performance_objectives):
    if not performance_objectives:
        yield Finding(
            "no_performance_objectives",
            Severity.ERROR,
            _(
                "The program has no performance objectives: nothing says what learners will do "
                "differently on the job. Write those first."
            ),
            program,
        )
    if not learning_objectives:
        yield Finding(
            "no_learning_objectives",
            Severity.ERROR,
            _(
                "The program has no learning objectives: nothing builds the understanding "
                "behind the behaviours."
            ),
            program,
        )
    for lo in learning_objectives:
        if not lo.performance_objectives.all():
            yield Finding(
                "learning_objective_without_performance",
                Severity.WARNING,
                _(
                    "Learning objective “%(lo)s” supports no performance objective: learners may "
                    "understand it, but nothing shows them applying it."
                )
                % {"lo": _short(lo.statement)},
                lo,
            )
    for po in performance_objectives:
        name = _short(po.statement)
        if not po.learning_objectives.all():
            yield Finding(
                "performance_objective_without_learning",
                Severity.WARNING,
                _(
                    "Performance objective “%(po)s” rests on no learning objective: learners may "
                    "follow the script without knowing why."
                )
                % {"po": name},
                po,
            )
        problems = smart_problems(po)
        if not po.evidence_method:
            yield Finding(
                "no_evidence_method",
                Severity.ERROR,
                _(
                    "Performance objective “%(po)s” says nothing about how it will be evidenced "
                    "(observation, work sample or metric)."
                )
                % {"po": name},
                po,
            )
        problems.pop("evidence_method", None)
        if problems:
            fields = ", ".join(
                str(PerformanceObjective._meta.get_field(f).verbose_name) for f in problems
            )
            yield Finding(
                "not_measurable",
                Severity.ERROR,
                _(
                    "Performance objective “%(po)s” is not observable and measurable yet; "
                    "fix: %(fields)s."
                )
                % {"po": name, "fields": fields},
                po,
            )
        if not po.outcome_metrics.all():
            yield Finding(
                "no_outcome_metric",
                Severity.WARNING,
                _(
                    "Performance objective “%(po)s” is tied to no outcome metric: no sponsor "
                    "will see the business result it should move."
                )
                % {"po": name},
                po,
            )


def _pathway_findings(program, pathway, performance_objectives):
    if pathway is None:
        yield Finding(
            "no_pathway",
            Severity.ERROR,
            _("The program has no pathway: nothing bridges understanding and application."),
            program,
        )
        return
    steps = list(pathway.steps.all())
    if not steps:
        yield Finding(
            "empty_pathway",
            Severity.ERROR,
            _("Pathway version %(v)s has no steps.") % {"v": pathway.version},
            pathway,
        )
    practised = set()
    previous = None
    for step in steps:
        served = [*step.learning_objectives.all(), *step.performance_objectives.all()]
        practised.update(po.pk for po in step.performance_objectives.all())
        if not served:
            yield Finding(
                "step_serves_no_objective",
                Severity.WARNING,
                _("Step %(pos)s “%(title)s” serves no objective: why is it on the pathway?")
                % {"pos": step.position, "title": _short(step.title)},
                step,
            )
        if previous is not None and step.difficulty < previous.difficulty:
            yield Finding(
                "difficulty_falls",
                Severity.WARNING,
                _(
                    "Difficulty falls from %(a)s at step %(p)s to %(b)s at step %(q)s “%(title)s”: "
                    "experiences should grow harder along the pathway."
                )
                % {
                    "a": previous.difficulty,
                    "p": previous.position,
                    "b": step.difficulty,
                    "q": step.position,
                    "title": _short(step.title),
                },
                step,
            )
        previous = step
    for po in performance_objectives:
        if steps and po.pk not in practised:
            yield Finding(
                "performance_objective_not_practised",
                Severity.WARNING,
                _("No step of the pathway practises “%(po)s”.") % {"po": _short(po.statement)},
                po,
            )


@dataclass
class ProgramDesign:
    """Everything the audit reads about a program, loaded once; the design page shows it too.

    Each record carries `finding_codes`, the audit's findings about it, once audited.
    """

    program: Program
    learning_objectives: list
    performance_objectives: list
    pathway: Pathway | None
    outcome_metrics: list
    findings: list = field(default_factory=list)


def _keep_learning_objectives_behind(performance_objectives, learning_objectives) -> None:
    """Give each performance objective's `learning_objectives.all()` the learning objectives
    already loaded that support it, by id, as prefetch_related would: the links were read
    with the learning objectives, so reading them again from the other side would only
    build each learning objective and its competency a second time. Objectives are linked
    within their program only (objectives.services), so every one is among those loaded."""
    behind = defaultdict(list)
    for lo in learning_objectives:
        for po in lo.performance_objectives.all():
            behind[po.pk].append(lo)
    for po in performance_objectives:
        # What Django's prefetch_related stores for a relation it has read.
        kept = po.learning_objectives.all()
        kept._result_cache = behind[po.pk]
        kept._prefetch_done = True
        po._prefetched_objects_cache = {
            **getattr(po, "_prefetched_objects_cache", {}),
            "learning_objectives": kept,
        }


def program_design_load(*, program: Program) -> ProgramDesign:
    """The program's objectives, its latest pathway version (the one a designer works on)
    with its steps, and its outcome metrics, in a constant number of queries."""
    learning_objectives = list(
        LearningObjective.objects.filter(program=program)
        .select_related("competency")
        .prefetch_related(
            Prefetch("performance_objectives", queryset=PerformanceObjective.objects.only("id"))
        )
        .order_by("id")
    )
    performance_objectives = list(
        PerformanceObjective.objects.filter(program=program)
        .prefetch_related("outcome_metrics")
        .order_by("id")
    )
    _keep_learning_objectives_behind(performance_objectives, learning_objectives)
    pathway = (
        Pathway.objects.filter(program=program)
        .order_by("-version")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=Step.objects.order_by("position").prefetch_related(
                    "learning_objectives", "performance_objectives"
                ),
            )
        )
        .first()
    )
    return ProgramDesign(
        program=program,
        learning_objectives=learning_objectives,
        performance_objectives=performance_objectives,
        pathway=pathway,
        outcome_metrics=list(program.outcome_metrics.order_by("name")),
    )


def design_audit(design: ProgramDesign) -> list[Finding]:
    """Every break in the loaded design's line of sight, most severe first; each record the
    audit speaks of gets the codes of its findings in `finding_codes`."""
    program = design.program
    findings = [
        *_objectives_findings(program, design.learning_objectives, design.performance_objectives),
        *_pathway_findings(program, design.pathway, design.performance_objectives),
    ]
    if not design.outcome_metrics:
        findings.append(
            Finding(
                "no_outcome_metrics",
                Severity.ERROR,
                _(
                    "The program has no outcome metrics: sponsors cannot see whether it moves "
                    "the business."
                ),
                program,
            )
        )
    findings.sort(key=lambda finding: -finding.severity)
    pathway = [design.pathway, *design.pathway.steps.all()] if design.pathway else []
    for record in (program, *design.learning_objectives, *design.performance_objectives, *pathway):
        record.finding_codes = set()
    for finding in findings:
        finding.subject.finding_codes.add(finding.code)
    design.findings = findings
    return findings


def program_audit(*, program: Program) -> list[Finding]:
    """Every break in the program's line of sight, most severe first (constant queries)."""
    return design_audit(program_design_load(program=program))
