"""The navigation: which role areas a person has, worked out once per page."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.functional import SimpleLazyObject

from coaching.models import PeerFeedbackRequest
from people.models import User
from people.notifications import unread_count
from programs.models import Enrolment, Program
from programs.rules import works_with_learner_each
from talentdev.core.access import is_hr_admin


@dataclass(frozen=True)
class Roles:
    """The contexts a person acts in; most people hold one, some several."""

    learner: bool = False
    manager: bool = False
    sponsor: bool = False
    designer: bool = False
    reviewer: bool = False

    @property
    def any(self) -> bool:
        return self.learner or self.manager or self.sponsor or self.designer


def roles_of(user) -> Roles:
    """Which homes a person has, in one query."""
    if not (user and user.is_authenticated):
        return Roles()
    enrolments = Enrolment.objects.current()
    works_with = {
        f"works_as_{person}": Exists(enrolments.filter(condition))
        for person, condition in works_with_learner_each(OuterRef("pk")).items()
    }
    flags = (
        User.objects.filter(pk=user.pk)
        .annotate(
            **works_with,
            is_learner=Exists(enrolments.filter(learner=OuterRef("pk"))),
            is_sponsor=Exists(Program.sponsors.through.objects.filter(user=OuterRef("pk"))),
            is_owner=Exists(Program.objects.filter(owner=OuterRef("pk"))),
            is_reviewer=Exists(PeerFeedbackRequest.objects.filter(reviewer=OuterRef("pk"))),
        )
        .values(*works_with, "is_learner", "is_sponsor", "is_owner", "is_reviewer")
        .get()
    )
    return Roles(
        learner=flags["is_learner"],
        manager=any(flags[name] for name in works_with),
        sponsor=flags["is_sponsor"],
        designer=flags["is_owner"] or is_hr_admin(user),
        reviewer=flags["is_reviewer"],
    )


def navigation(request):
    """Template context for every page: the roles behind the navigation and the unread count.

    Lazy, so pages that never show navigation (health checks, partials) run no query.
    """
    return {
        "roles": SimpleLazyObject(lambda: roles_of(request.user)),
        "unread": SimpleLazyObject(lambda: unread_count(request.user)),
    }
