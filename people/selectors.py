"""Reads about people: finding a person by what someone types."""

from django.db.models import Q
from django.db.models.functions import Lower

from talentdev.core.validators import has_control_characters

from .models import Notification, User

PEOPLE_SEARCH_LIMIT = 10
# A word this long is found anywhere in a name, username or email; a shorter one only at
# their start. On PostgreSQL the people search index (people.0005) serves both, as it can
# serve no search for one or two letters anywhere: that would read every person.
FOUND_ANYWHERE_FROM = 3


def person_matches(word: str, *, via: str = "") -> Q:
    """A person whose name, username or email contains `word` (starts with it, for a word of
    one or two letters), or whose employee ID is `word`: how people are found wherever a
    name is typed. `via` reaches the person from another model (e.g. "learner__"), so the
    search stays part of that model's query."""
    found = "icontains" if len(word) >= FOUND_ANYWHERE_FROM else "istartswith"
    return (
        Q(**{f"{via}first_name__{found}": word})
        | Q(**{f"{via}last_name__{found}": word})
        | Q(**{f"{via}username__{found}": word})
        | Q(**{f"{via}email__{found}": word})
        | Q(**{f"{via}employee_id__iexact": word})
    )


def people_search(*, viewer, text: str):
    """Active people the viewer may see whose name, username, email or employee ID matches
    every word of `text`; at most PEOPLE_SEARCH_LIMIT of them."""
    return people_matching(User.objects.visible_to(viewer), text)


def people_matching(people, text: str):
    """The active ones of `people` whose name, username, email or employee ID matches every
    word of `text`, by name; at most PEOPLE_SEARCH_LIMIT of them."""
    words = text.split()[:4]
    # Control characters name nobody (and PostgreSQL refuses NUL in a query).
    if not words or has_control_characters(text):
        return User.objects.none()
    people = people.filter(is_active=True)
    for word in words:
        people = people.filter(person_matches(word))
    # By name whatever the case, and so not along person_by_name: what a search finds (all
    # the Okafors) can lie far down that order, which would be read until ten turned up.
    ordered = people.order_by(Lower("last_name"), Lower("first_name"), "username")
    return ordered[:PEOPLE_SEARCH_LIMIT]


def people_named(tokens: list[str]) -> tuple[list[User], list[str], list[str]]:
    """Resolve usernames, emails or employee IDs to active people, in one query.

    Returns (the person each token names, in order; tokens naming nobody; tokens naming
    more than one person). Names are not unique, so they are not accepted here.
    """
    lowered = [token.lower() for token in tokens]
    candidates = list(
        User.objects.annotate(email_lower=Lower("email")).filter(
            Q(username__in=tokens) | Q(employee_id__in=tokens) | Q(email_lower__in=lowered),
            is_active=True,
        )
    )
    found, unknown, ambiguous = [], [], []
    for token in tokens:
        matches = {
            person
            for person in candidates
            if token in (person.username, person.employee_id)
            or (person.email and person.email.lower() == token.lower())
        }
        if not matches:
            unknown.append(token)
        elif len(matches) > 1:
            ambiguous.append(token)
        else:
            found.append(matches.pop())
    return found, unknown, ambiguous


NOTIFICATIONS_SHOWN = 100


def notifications_for(*, recipient):
    """A person's most recent notifications, newest first."""
    return Notification.objects.filter(recipient=recipient).order_by("-created_at")[
        :NOTIFICATIONS_SHOWN
    ]
