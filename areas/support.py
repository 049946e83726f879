"""Helpers every view uses: fetch through the access rules, render pages, partials and CSV."""

import csv
import io
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from programs.models import Enrolment, Program, StepProgress
from programs.progression import step_rule_in_words


def get_visible_or_404(queryset, user, **lookup):
    """The object if the user may see it; otherwise 404, so its existence stays secret."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist as missing:
        raise Http404(f"No {queryset.model._meta.verbose_name} here.") from missing


def require_perm(user, perm: str, obj=None, why: str = "") -> None:
    """403 when a person who may see the object may not do this to it; `why` is what the
    refusal page tells them."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(why)


def posted_form(request, names: tuple[str, ...], default: str | None = None) -> str:
    """Which of a page's forms was posted (its `form` field, one of `names`); anything else
    is a malformed request and answers 400, as no page offers it."""
    which = request.POST.get("form", default)
    if which not in names:
        raise BadRequest("Unknown form.")
    return which


def step_refusal(progress) -> str:
    """Why a step is not one to sign off or skip: what completes it, in words."""
    return _(
        "Nothing was changed: this step is not yours to decide. What completes it: %(rule)s."
    ) % {"rule": step_rule_in_words(progress.step)}


def get_program_or_404(user, pk, perm: str):
    """A program the person may act on: 404 if they cannot see it, 403 if they only see it."""
    program = get_visible_or_404(Program.objects.select_related("framework"), user, pk=pk)
    require_perm(user, perm, program)
    return program


def get_enrolment_or_404(user, pk, perm: str):
    """An enrolment the person may act on: 404 if they cannot see it, 403 if they only see it."""
    enrolment = get_visible_or_404(
        Enrolment.objects.select_related("learner", "program", "pathway", "supervisor", "coach"),
        user,
        pk=pk,
    )
    require_perm(user, perm, enrolment)
    return enrolment


def get_progress_or_404(user, pk):
    """A learner's progress on one step, with its step and enrolment (its learner and
    program), if the person follows the learner; otherwise 404."""
    return get_visible_or_404(
        StepProgress.objects.select_related("step", "enrolment__learner", "enrolment__program"),
        user,
        pk=pk,
    )


def url_for_each(viewname: str, *args) -> Callable[[int], str]:
    """The URL of `viewname` for any id (its last argument, an `int` in the route), as
    `reverse(viewname, args=[*args, id])` gives it, reversed once: a list that links each of
    its rows would otherwise reverse the same route for every row."""
    head, _, tail = reverse(viewname, args=[*args, _ANY_ID]).rpartition(str(_ANY_ID))
    return lambda pk: f"{head}{int(pk)}{tail}"


# An id no row has (the largest a 64-bit key holds), to find where ids go in a URL.
_ANY_ID = 2**63 - 1


def render_htmx(request, template: str, partial: str, context: dict, status: int = 200):
    """The whole page for a normal request, just the fragment for an htmx one."""
    return render(request, partial if request.htmx else template, context, status=status)


def add_service_errors(form, error) -> None:
    """Show a service's ValidationError on the form: next to its field, or above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def save_form(request, form, service, /, *, done=None, **arguments):
    """Save a valid form through `service(**arguments)`. A refusal shows on the form, beside
    the field it concerns, and returns None; success shows `done` (a message, or a function
    of what was saved giving one) and returns what the service saved."""
    try:
        saved = service(**arguments)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    if done is not None:
        messages.success(request, done(saved) if callable(done) else done)
    return saved


def run_command(request, service, /, *, done=None, **arguments):
    """Run a one-click command (publish, remove, move…): a refusal becomes an error message
    and changes nothing; on success `done` (a message, or a function of the result giving
    one) is shown. Returns the service's result, or None when it was refused."""
    try:
        result = service(**arguments)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    if done is not None:
        messages.success(request, done(result) if callable(done) else done)
    return result


def csv_chunks(rows, *, size: int = 64 * 1024):
    """Rows as UTF-8 CSV in pieces of about `size` characters, for a streamed download of
    any length (text_chunks of each row's csv_line)."""
    return text_chunks(map(csv_line, rows), size=size)


def csv_line(row) -> str:
    """One row as csv.writer writes it, with its line end."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(row)
    return buffer.getvalue()


def text_chunks(texts, *, size: int = 64 * 1024):
    """Text as UTF-8 in pieces of about `size` characters, for a streamed download written
    a line at a time: a piece a line would cost the server a write for every line."""
    pending, length = [], 0
    for text in texts:
        pending.append(text)
        length += len(text)
        if length >= size:
            yield "".join(pending).encode()
            pending, length = [], 0
    yield "".join(pending).encode()


def csv_response(filename: str, rows) -> HttpResponse:
    """Rows as a CSV download; the rows are written as they come."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    csv.writer(response).writerows(rows)
    return response
