"""Which pages there are to measure: every GET route of the role areas, found from the URL
resolver, with its ids filled in from what one person may see of one program.

A route with parameters needs an entry in ROUTE_ARGUMENTS saying where its ids come from;
the tests fail for a route that has none, so a new page cannot go unmeasured.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from areas.navigation import roles_of
from coaching.models import Observation
from coaching.rules import gives_feedback_each
from measurement.exports import DASHBOARD_TABLES
from measurement.models import CostItem, OutcomeMetric, SponsorReview, SuccessStory
from objectives.models import Competency, LearningObjective, PerformanceObjective
from programs.models import Assignment, Enrolment, Program, Step, StepProgress
from talentdev.core.access import is_hr_admin

# Which of a person's roles (areas.navigation) opens each area; the home area is everyone's.
AREA_ROLES = {"learn": "learner", "team": "manager", "design": "designer", "sponsor": "sponsor"}

# The packages whose routes are pages people open; the admin, sign-in and health checks
# are not.
AREA_PACKAGE = "areas."


@dataclass(frozen=True)
class Route:
    """One URL pattern of the areas: its name for reverse() and the parameters it takes."""

    name: str
    params: tuple[str, ...]
    allows_get: bool


@dataclass(frozen=True)
class Page:
    """A concrete address to request: a route with its ids and query filled in."""

    route: str
    path: str
    label: str


def allowed_methods(view) -> list[str] | None:
    """The methods a view accepts when a require_http_methods decorator (require_GET,
    require_POST…) limits them, read from the decorator's closure; None when nothing does."""
    layer = view
    while layer is not None:
        if inspect.isfunction(layer):
            methods = inspect.getclosurevars(layer).nonlocals.get("request_method_list")
            if methods is not None:
                return list(methods)
        layer = getattr(layer, "__wrapped__", None)
    return None


def _walk(patterns, namespace: str | None, params: tuple[str, ...], in_areas: bool):
    for entry in patterns:
        converters = tuple(getattr(entry.pattern, "converters", {}))
        if isinstance(entry, URLResolver):
            module = entry.urlconf_module
            module_name = module if isinstance(module, str) else getattr(module, "__name__", "")
            inner = entry.namespace or namespace
            yield from _walk(
                entry.url_patterns,
                inner,
                params + converters,
                in_areas or module_name.startswith(AREA_PACKAGE),
            )
        elif isinstance(entry, URLPattern) and in_areas and entry.name:
            methods = allowed_methods(entry.callback)
            yield Route(
                name=f"{namespace}:{entry.name}" if namespace else entry.name,
                params=params + converters,
                allows_get=methods is None or "GET" in methods,
            )


def area_routes() -> list[Route]:
    """Every named route of the role areas, GET or not, in the order they are declared."""
    return list(_walk(get_resolver().url_patterns, None, (), False))


def get_routes() -> list[Route]:
    """The routes a GET opens: the pages to measure."""
    return [route for route in area_routes() if route.allows_get]


class Visible:
    """What one person may see of one program: the first id of each kind, so the same
    pages are measured run after run."""

    def __init__(self, user, program: Program):
        self.user = user
        self.program = program

    def first(self, queryset, **lookup) -> int | None:
        return (
            queryset.visible_to(self.user)
            .filter(**lookup)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )

    def program_id(self) -> int | None:
        return self.first(Program.objects, pk=self.program.pk)

    def enrolment(self) -> int | None:
        return self.first(Enrolment.objects.current(), program=self.program)

    def framework(self) -> int | None:
        return self.program.framework_id if self.program_id() else None


# Keyword arguments, filled from what the person sees; None where they see nothing.
Arguments = dict[str, object] | None


def _program(**more: Callable[[Visible], object]) -> Callable[[Visible], list[Arguments]]:
    """A route under /design/programs/<pk>/: the program and any more ids of it; when the
    biggest program has none of them, the first other program the person sees that has."""

    def fill(seen: Visible) -> list[Arguments]:
        others = Program.objects.visible_to(seen.user).exclude(pk=seen.program.pk).order_by("pk")
        for program in [seen.program, *others]:
            here = Visible(seen.user, program)
            kwargs = {"pk": here.program_id()}
            kwargs.update({name: find(here) for name, find in more.items()})
            if None not in kwargs.values() or not more:
                return [kwargs]
        return [kwargs]

    return fill


def _one(**found: Callable[[Visible], object]) -> Callable[[Visible], list[Arguments]]:
    return lambda seen: [{name: find(seen) for name, find in found.items()}]


def _sponsor_exports(seen: Visible) -> list[Arguments]:
    return [{"pk": seen.program_id(), "table": table} for table in DASHBOARD_TABLES]


def _of_program(queryset, path: str = "program", *, or_elsewhere: bool = False):
    """The first the person sees of the program; with `or_elsewhere`, of any program when
    this one has none (a page that names no program: the learner's assignment)."""

    def find(seen: Visible):
        found = seen.first(queryset, **{path: seen.program})
        return seen.first(queryset) if found is None and or_elsewhere else found

    return find


def _plain(model, path: str = "program"):
    """The first of a model the areas reach only through the program (no visible_to)."""
    return lambda seen: (
        model.objects.filter(**{path: seen.program}).order_by("pk").values_list("pk", flat=True)
    ).first()


def _current_step(seen: Visible):
    return seen.first(
        Step.objects, pathway__program=seen.program, pathway__status="published"
    ) or seen.first(Step.objects, pathway__program=seen.program)


def _observation_to_answer(seen: Visible):
    """One the person gives feedback on (they observed it, or supervise the learner), so
    the feedback form is measured rather than a refusal; else any they see."""
    for way in gives_feedback_each(seen.user).values():
        found = seen.first(Observation.objects.filter(way), enrolment__program=seen.program)
        if found is not None:
            return found
    return _of_program(Observation.objects, "enrolment__program", or_elsewhere=True)(seen)


def _program_history(seen: Visible) -> list[Arguments]:
    """The program's audit history, which only HR admins read (others are refused it)."""
    pk = seen.program_id() if is_hr_admin(seen.user) else None
    return [{"label": "programs.program", "pk": pk}]


# Where each route's ids come from, by route name.
ROUTE_ARGUMENTS: dict[str, Callable[[Visible], list[Arguments]]] = {
    "learn:step": _one(
        pk=_of_program(StepProgress.objects, "enrolment__program", or_elsewhere=True)
    ),
    "learn:objective": _one(pk=_of_program(PerformanceObjective.objects, or_elsewhere=True)),
    "learn:assignment": _one(
        pk=_of_program(Assignment.objects, "enrolment__program", or_elsewhere=True)
    ),
    "team:feedback": _one(pk=_observation_to_answer),
    "team:debrief": _one(
        pk=lambda seen: (
            seen.first(
                Assignment.objects,
                enrolment__program=seen.program,
                status=Assignment.Status.SUBMITTED,
            )
            or seen.first(Assignment.objects, enrolment__program=seen.program)
        )
    ),
    "team:learner": _one(pk=Visible.enrolment),
    "team:assignment_new": _one(pk=Visible.enrolment),
    "team:assessment_new": _one(pk=Visible.enrolment),
    "team:coaching_session": _one(pk=Visible.enrolment),
    "team:peer_request": _one(pk=Visible.enrolment),
    "team:peer_reviewers": _one(pk=Visible.enrolment),
    "design:program": _program(),
    "design:program_edit": _program(),
    "design:objective_new": _program(),
    "design:objective_edit": _program(objective_pk=_of_program(PerformanceObjective.objects)),
    "design:learning_new": _program(objective_pk=_of_program(PerformanceObjective.objects)),
    "design:learning_edit": _program(learning_pk=_of_program(LearningObjective.objects)),
    "design:step_new": _program(),
    "design:step_edit": _program(step_pk=_current_step),
    "design:enrol": _program(),
    "design:enrolment": _program(enrolment_pk=Visible.enrolment),
    "design:roster": _program(),
    "design:audit": _program(),
    "design:audit_summary": _program(),
    "design:calibration": _program(),
    "design:metrics": _program(),
    "design:metric_new": _program(),
    "design:metric_edit": _program(metric_pk=_of_program(OutcomeMetric.objects)),
    "design:roi": _program(),
    "design:roi_cost": _program(item_pk=_plain(CostItem)),
    "design:roi_benefit": _program(metric_pk=_of_program(OutcomeMetric.objects)),
    "design:stories": _program(),
    "design:story_new": _program(),
    "design:story_edit": _program(story_pk=_of_program(SuccessStory.objects)),
    "design:story_assignments": _program(),
    "design:history": _program_history,
    "design:framework": _one(pk=Visible.framework),
    "design:framework_edit": _one(pk=Visible.framework),
    "design:competency_edit": _one(
        pk=Visible.framework, competency_pk=_plain(Competency, "framework__programs")
    ),
    "sponsor:dashboard": _one(pk=Visible.program_id),
    "sponsor:export": _sponsor_exports,
    "sponsor:review": _one(pk=_of_program(SponsorReview.objects, or_elsewhere=True)),
    "sponsor:review_owners": _one(pk=_of_program(SponsorReview.objects, or_elsewhere=True)),
}

# Pages opened with a query: the CSV of a page, or what a search box sends as one types.
ROUTE_QUERIES: dict[str, Callable[[Visible], list[dict[str, object]]]] = {
    "design:roster": lambda seen: [{}, {"format": "csv"}],
    "design:people_search": lambda seen: [{"q": "a"}],
    "design:story_assignments": lambda seen: [{"q": "a"}],
    "team:objective_options": lambda seen: [{"enrolment": seen.enrolment() or ""}],
    "team:peer_reviewers": lambda seen: [{"reviewer": "a"}],
    "sponsor:review_owners": lambda seen: [{"owner": "a"}],
}


class MissingArguments(LookupError):
    """A route takes ids the benchmark does not know how to fill."""


def pages_for(user, program: Program, routes: list[Route] | None = None) -> list[Page]:
    """The pages to measure for one person: every GET route of the areas their navigation
    offers them, with ids they may see of the program; a route whose ids they see none of
    is left out (their role has no such page)."""
    seen = Visible(user, program)
    roles = roles_of(user)
    pages = []
    for route in get_routes() if routes is None else routes:
        area = route.name.split(":")[0] if ":" in route.name else None
        if area in AREA_ROLES and not getattr(roles, AREA_ROLES[area]):
            continue
        if route.params and route.name not in ROUTE_ARGUMENTS:
            raise MissingArguments(
                f"{route.name} takes {', '.join(route.params)}: say in ROUTE_ARGUMENTS "
                "where the benchmark finds them."
            )
        arguments = ROUTE_ARGUMENTS[route.name](seen) if route.params else [{}]
        queries = ROUTE_QUERIES.get(route.name, lambda seen: [{}])(seen)
        for kwargs in arguments:
            if any(value is None for value in kwargs.values()):
                continue
            path = reverse(route.name, kwargs=kwargs)
            for query in queries:
                suffix = f"?{urlencode(query)}" if query else ""
                label = route.name + (f" ({kwargs['table']})" if "table" in kwargs else "")
                label += f" ?{urlencode(query)}" if query else ""
                pages.append(Page(route=route.name, path=path + suffix, label=label))
    return pages
