"""A program's success stories for its designer: tell them, correct them, publish them to
the sponsors."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from areas.design.forms.stories import StoryForm, assignment_label
from areas.support import get_program_or_404, save_form
from measurement.selectors import program_stories
from measurement.services import success_story_create, success_story_update
from programs.selectors import assignments_search

STORIES_PAGE_SIZE = 20


def _program(request, pk):
    return get_program_or_404(request.user, pk, "measurement.tell_story")


def _saved(story) -> str:
    if story.published:
        return _("“%(title)s” is published: sponsors see it on their dashboard.") % {
            "title": story.title
        }
    return _("“%(title)s” is saved as a draft: sponsors do not see it yet.") % {
        "title": story.title
    }


@login_required
@require_GET
def stories(request, pk):
    """The program's stories, published and drafts, newest first."""
    program = _program(request, pk)
    page = Paginator(program_stories(program=program), STORIES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "design/stories.html", {"program": program, "page": page})


def _story_page(request, program, form, story=None):
    return render(
        request, "design/story_form.html", {"program": program, "form": form, "story": story}
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_new(request, pk):
    """Tell how a step or an assignment of the program led to a measured result."""
    program = _program(request, pk)
    form = StoryForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        if save_form(
            request, form, success_story_create, program=program, **form.cleaned_data, done=_saved
        ):
            return redirect("design:stories", pk=program.pk)
    return _story_page(request, program, form)


@login_required
@require_http_methods(["GET", "POST"])
def story_edit(request, pk, story_pk):
    """Correct a story, publish it or take it back to a draft."""
    program = _program(request, pk)
    story = get_object_or_404(
        program.success_stories.select_related("assignment__enrolment__learner"), pk=story_pk
    )
    form = StoryForm(request.POST or None, program=program, story=story)
    if request.method == "POST" and form.is_valid():
        if save_form(
            request,
            form,
            success_story_update,
            success_story=story,
            **form.cleaned_data,
            done=_saved,
        ):
            return redirect("design:stories", pk=program.pk)
    return _story_page(request, program, form, story)


@login_required
@require_GET
def story_assignments(request, pk):
    """The program's assignments matching what is typed, as <option>s for the suggestions."""
    program = _program(request, pk)
    text = request.GET.get("assignment") or request.GET.get("q", "")
    found = assignments_search(program=program, text=text)
    return render(
        request,
        "design/partials/_assignment_options.html",
        {"labels": [assignment_label(assignment) for assignment in found]},
    )
