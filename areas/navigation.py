"""The navigation: which role areas a person has and how many notifications they have not
read, worked out once per page, in one query."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.functional import SimpleLazyObject, cached_property

from coaching.models import PeerFeedbackRequest
from people.models import User
from people.notifications import unread_count_of_person
from programs.models import Enrolment, Program
from programs.rules import works_with_learner_each
from talentdev.core.access import hr_admin_granted
from talentdev.core.prepared import PreparedQuery


@dataclass(frozen=True)
class Roles:
    """The contexts a person acts in; most people hold one, some several."""

    learner: bool = False
    manager: bool = False
    sponsor: bool = False
    designer: bool = False
    reviewer: bool = False
    # Not a home of its own: what HR admins see besides a designer (a record's history).
    hr_admin: bool = False

    @property
    def any(self) -> bool:
        return self.learner or self.manager or self.sponsor or self.designer


def _flags_query(person: int):
    """The person's roles and unread count as one row: each role an EXISTS on its own
    index, the HR admin permission and the count beside them."""
    enrolments = Enrolment.objects.current()
    works_with = {
        f"works_as_{way}": Exists(enrolments.filter(condition))
        for way, condition in works_with_learner_each(OuterRef("pk")).items()
    }
    return (
        User.objects.filter(pk=person)
        .annotate(
            **works_with,
            is_learner=Exists(enrolments.filter(learner=OuterRef("pk"))),
            is_sponsor=Exists(Program.sponsors.through.objects.filter(user=OuterRef("pk"))),
            is_owner=Exists(Program.objects.filter(owner=OuterRef("pk"))),
            is_reviewer=Exists(PeerFeedbackRequest.objects.filter(reviewer=OuterRef("pk"))),
            is_hr_admin=hr_admin_granted(),
            unread=unread_count_of_person(),
        )
        .values(
            *works_with,
            "is_learner",
            "is_sponsor",
            "is_owner",
            "is_reviewer",
            "is_hr_admin",
            "unread",
        )
    )


# Every page runs it, and building its eleven subqueries costs Django several times what
# the database spends answering them.
_FLAGS = PreparedQuery(_flags_query, name="navigation_flags", parameters={"person": int})


def _flags(user) -> dict:
    (row,) = _FLAGS.rows(person=user.pk)
    flags = {name: bool(value) for name, value in row.items()}
    flags["unread"] = int(row["unread"])
    return flags


def _roles(flags: dict) -> Roles:
    return Roles(
        learner=flags["is_learner"],
        manager=any(flags[name] for name in flags if name.startswith("works_as_")),
        sponsor=flags["is_sponsor"],
        designer=flags["is_owner"] or flags["is_hr_admin"],
        reviewer=flags["is_reviewer"],
        hr_admin=flags["is_hr_admin"],
    )


def roles_of(user) -> Roles:
    """Which homes a person has, in one query."""
    if not (user and user.is_authenticated):
        return Roles()
    return _roles(_flags(user))


class Navigation:
    """What the navigation shows a person: read on first use, once, for both parts."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def _flags(self) -> dict | None:
        if not (self.user and self.user.is_authenticated):
            return None
        return _flags(self.user)

    @property
    def roles(self) -> Roles:
        return Roles() if self._flags is None else _roles(self._flags)

    @property
    def unread(self) -> int:
        return 0 if self._flags is None else self._flags["unread"]


def navigation(request):
    """Template context for every page: the roles behind the navigation and the unread count.

    Lazy, so pages that never show navigation (health checks, partials) run no query; the
    first of the two read runs the one query both come from.
    """
    shown = Navigation(request.user)
    return {
        "roles": SimpleLazyObject(lambda: shown.roles),
        "unread": SimpleLazyObject(lambda: shown.unread),
    }
