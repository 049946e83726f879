"""What every page of the design area starts from, and where it sends the designer back to.

A program the person cannot see answers 404; one they can see but not design (a learner or
sponsor on it) answers 403.
"""

from django.shortcuts import redirect
from django.urls import reverse

from areas.support import get_program_or_404, require_perm


def program_for_designer(request, pk):
    return get_program_or_404(request.user, pk, "programs.change_program")


def require_designer(user):
    """The design area is for program owners and HR admins."""
    require_perm(user, "programs.add_program")


def to_pathway(program, anchor="pathway"):
    """Back to the program page, at `anchor` (the pathway unless said otherwise)."""
    return redirect(reverse("design:program", args=[program.pk]) + f"#{anchor}")
