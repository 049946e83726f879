"""The landing page: each person goes to the home that fits their role."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from areas.navigation import roles_of
from programs.selectors import programs_taken_part_in
from talentdev.core.paging import window_of

PROGRAMS_PAGE_SIZE = 50


def home(request):
    """Anonymous visitors see what the product is; people land on their role's home."""
    if not request.user.is_authenticated:
        return render(request, "home/landing.html")
    roles = roles_of(request.user)
    # People with several roles land on the one they most likely came for, and switch
    # through the navigation.
    if roles.designer:
        return redirect("design:home")
    if roles.sponsor:
        return redirect("sponsor:home")
    if roles.manager:
        return redirect("team:home")
    if roles.learner:
        return redirect("learn:home")
    return redirect("programs")


@login_required
def programs(request):
    """The programs a person takes part in, in any role, a page at a time."""
    page = window_of(
        programs_taken_part_in(user=request.user), request.GET.get("page"), PROGRAMS_PAGE_SIZE
    )
    return render(request, "home/programs.html", {"programs": page})
