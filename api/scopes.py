"""The scopes a client may be given, and the one permission every endpoint asks."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from talentdev.core.access import is_hr_admin

from .identity import ServiceIdentity

SCOPES = {
    "people:read": _("Read people, org units and job roles"),
    "people:write": _("Create and update people, org units and job roles"),
    "programs:read": _("Read frameworks, objectives, programs, pathways and cohorts"),
    "enrolments:write": _("Enrol learners and change their enrolments"),
    "evidence:read": _("Read progress, observations, feedback, debriefs and assessments"),
    "measurements:write": _("Record outcome measurements and external assessments"),
}


class HasScope(permissions.BasePermission):
    """A client needs the view's scope for the method; a person in the browser may read
    (their access rules decide what) and, as an HR admin, write.

    Views name their scopes as `scopes = {"read": "people:read", "write": "people:write"}`;
    a view that names none is open to any signed-in caller (`/me`).
    """

    message = _("Your client's scopes do not allow this.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        needed = scope_needed(view, request.method)
        if needed is None:
            return True
        if isinstance(user, ServiceIdentity):
            if not user.has_scope(needed):
                self.message = _("This needs the scope %(scope)s.") % {"scope": needed}
                return False
            return True
        if request.method in permissions.SAFE_METHODS or is_hr_admin(user):
            return True
        self.message = _("Only HR admins change records through the API.")
        return False


def scope_needed(view, method: str) -> str | None:
    named = getattr(view, "scopes", None) or {}
    kind = "read" if method in permissions.SAFE_METHODS else "write"
    return named.get(kind)
