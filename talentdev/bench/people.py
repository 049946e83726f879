"""Whom the benchmark signs in as: one person of each role around the biggest program,
found from the data itself, so it runs on any seeded database."""

from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Permission
from django.db.models import Count, Q

from people.models import User
from programs.models import Enrolment, Program
from talentdev.core.access import HR_ADMIN_PERMISSION

SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass(frozen=True)
class Cast:
    """The program measured and one person of each role, by role name."""

    program: Program
    people: dict[str, User]


def biggest_program() -> Program | None:
    """The program with the most learners still on it (the lowest id on a tie)."""
    return (
        Program.objects.annotate(
            learners=Count("enrolments", filter=Q(enrolments__in=Enrolment.objects.current()))
        )
        .order_by("-learners", "pk")
        .select_related("owner")
        .first()
    )


def _learner(program):
    # The learner with the most to show: assignments first, then the earliest enrolled.
    enrolment = (
        Enrolment.objects.current()
        .filter(program=program)
        .annotate(assignments_given=Count("assignments"))
        .order_by("-assignments_given", "pk")
        .select_related("learner")
        .first()
    )
    return enrolment.learner if enrolment else None


def _manager(program):
    # Whoever supervises the most learners on the program.
    busiest = (
        Enrolment.objects.current()
        .filter(program=program, supervisor__isnull=False)
        .values("supervisor")
        .annotate(learners=Count("pk"))
        .order_by("-learners", "supervisor")
        .first()
    )
    return User.objects.get(pk=busiest["supervisor"]) if busiest else None


def _hr_admin(program):
    # Someone other than the program's owner if there is one, so both roles are measured.
    app_label, codename = HR_ADMIN_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    admins = User.objects.filter(
        Q(is_superuser=True)
        | Q(user_permissions__in=permission)
        | Q(groups__permissions__in=permission),
        is_active=True,
    ).distinct()
    return (
        admins.exclude(pk=program.owner_id).order_by("pk").first() or admins.order_by("pk").first()
    )


def cast_for_benchmark() -> Cast | None:
    """The biggest program and its learner, manager, designer (its owner), HR admin and
    sponsor, by role; a role nobody holds is left out. None when there is no program at all."""
    program = biggest_program()
    if program is None:
        return None
    found = {
        "learner": _learner(program),
        "manager": _manager(program),
        "designer": program.owner,
        "HR admin": _hr_admin(program),
        "sponsor": program.sponsors.order_by("pk").first(),
    }
    # One person holding two roles is measured once, under both names.
    roles_of: dict[User, list[str]] = {}
    for role, user in found.items():
        if user is not None:
            roles_of.setdefault(user, []).append(role)
    return Cast(
        program=program, people={" / ".join(roles): user for user, roles in roles_of.items()}
    )


def session_for(user):
    """A signed-in session for the person, stored as a sign-in would store it, so no
    password is needed; delete it when done."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = SESSION_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session
