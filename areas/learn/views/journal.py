"""The learner's reflections journal."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from areas.learn.forms import ReflectionForm
from areas.support import require_perm, save_form
from coaching.selectors import reflections_of
from coaching.services import reflection_write


@login_required
@require_http_methods(["GET", "POST"])
def reflections(request):
    """My reflections journal: write an entry, read the past ones."""
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
    return render(
        request,
        "learn/reflections.html",
        {"form": form, "entries": reflections_of(learner=request.user)},
    )
