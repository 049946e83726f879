"""Reads about people: which roles a person holds, for navigation and homes."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from coaching.models import PeerFeedbackRequest
from programs.models import Enrolment, Program
from talentdev.access import is_hr_admin

from .models import User

ACTIVE = ~Q(status=Enrolment.Status.WITHDRAWN)
PEOPLE_SEARCH_LIMIT = 10


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
    enrolments = Enrolment.objects.filter(ACTIVE)
    flags = (
        User.objects.filter(pk=user.pk)
        .annotate(
            is_learner=Exists(enrolments.filter(learner=OuterRef("pk"))),
            is_manager=Exists(
                enrolments.filter(
                    Q(supervisor=OuterRef("pk"))
                    | Q(coach=OuterRef("pk"))
                    | Q(learner__manager=OuterRef("pk"))
                )
            ),
            is_sponsor=Exists(Program.sponsors.through.objects.filter(user=OuterRef("pk"))),
            is_owner=Exists(Program.objects.filter(owner=OuterRef("pk"))),
            is_reviewer=Exists(PeerFeedbackRequest.objects.filter(reviewer=OuterRef("pk"))),
        )
        .values("is_learner", "is_manager", "is_sponsor", "is_owner", "is_reviewer")
        .get()
    )
    return Roles(
        learner=flags["is_learner"],
        manager=flags["is_manager"],
        sponsor=flags["is_sponsor"],
        designer=flags["is_owner"] or is_hr_admin(user),
        reviewer=flags["is_reviewer"],
    )


def people_search(*, viewer, text: str):
    """Active people the viewer may see whose name, username, email or employee ID matches
    every word of `text`; at most PEOPLE_SEARCH_LIMIT of them."""
    words = text.split()[:4]
    if not words:
        return User.objects.none()
    people = User.objects.visible_to(viewer).filter(is_active=True)
    for word in words:
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
            | Q(email__icontains=word)
            | Q(employee_id__iexact=word)
        )
    return people.order_by("last_name", "first_name", "username")[:PEOPLE_SEARCH_LIMIT]
