"""The learner's reflections journal."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from areas.learn.forms import ReflectionForm
from areas.support import require_perm, save_form
from coaching.selectors import reflections_of
from coaching.services import reflection_write

PAGE_SIZE = 20


@login_required
@require_http_methods(["GET", "POST"])
def reflections(request):
    """My reflections journal: write an entry (on the first page), read the past ones a page
    at a time, newest first."""
    form = ReflectionForm(request.POST or None, learner=request.user)
    if request.method == "POST" and form.is_valid():
        require_perm(request.user, "coaching.write_reflection", form.cleaned_data["enrolment"])
        if save_form(
            request,
            form,
            reflection_write,
            **form.cleaned_data,
            done=_("Reflection saved to your journal."),
        ):
            return redirect("learn:reflections")
    # A refused entry comes back on the first page, beside the form that keeps what was typed.
    number = None if request.method == "POST" else request.GET.get("page")
    entries = Paginator(reflections_of(learner=request.user), PAGE_SIZE).get_page(number)
    return render(request, "learn/reflections.html", {"form": form, "entries": entries})
