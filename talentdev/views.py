"""The landing page."""

from django.shortcuts import render

from programs.models import Program


def home(request):
    """What the product is, and for a signed-in person the programs they take part in."""
    programs = []
    if request.user.is_authenticated:
        programs = Program.objects.visible_to(request.user).select_related("owner")
    return render(request, "home.html", {"programs": programs})
