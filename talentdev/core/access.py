"""The mechanism behind every access rule: querysets that know which rows a person may see.

Each app states who may see its models in its own `rules.py`, beside its `rules`
permissions, and registers those scopes here by model label. This module names no app,
so every layer can use it.

Reading goes through `Model.objects.visible_to(user)`; acting on one object asks a
`rules` permission, e.g. `user.has_perm("coaching.give_feedback", observation)`.
"""

from collections.abc import Callable

import rules
from django.contrib.auth.models import Permission
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

HR_ADMIN_PERMISSION = "people.administer_programs"

# model label -> the rows of that model a person who is not an HR admin may see
_SCOPES: dict[str, Callable[..., Q]] = {}


def is_hr_admin(user) -> bool:
    """HR admins (the permission, or a superuser) see and administer every program."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(HR_ADMIN_PERMISSION))
    )


def hr_admin_granted() -> ExpressionWrapper:
    """is_hr_admin as an expression on a person's row, so a query that reads other facts
    about them (the navigation's) asks it too: the permission is held directly or through
    a group, as Django's ModelBackend grants it."""
    app_label, codename = HR_ADMIN_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    held = Exists(permission.filter(user=OuterRef("pk"))) | Exists(
        permission.filter(group__user=OuterRef("pk"))
    )
    return ExpressionWrapper(
        Q(is_active=True) & (Q(is_superuser=True) | held), output_field=BooleanField()
    )


def visibility(label: str):
    """Register `scope(user) -> Q` as the rows of model `label` ("app.model") a person sees."""

    def register(scope):
        if label in _SCOPES:
            raise ValueError(f"{label} already has a visibility rule")
        _SCOPES[label] = scope
        return scope

    return register


def visible_through(model, path: str) -> Callable[..., Q]:
    """A scope that follows a relation: a row is visible when the row `path` leads to is.

    Following the relation rather than naming its model keeps a lower app's rule free
    of the app the relation points into.
    """
    target = model
    for name in path.split("__"):
        target = target._meta.get_field(name).related_model
    return lambda user: Q(**{f"{path}__in": target.objects.visible_to(user).values("pk")})


class VisibleToQuerySet(models.QuerySet):
    """A queryset that knows which of its rows a user may see."""

    def visible_to(self, user):
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        rows_of = getattr(user, "rows_of", None)
        if rows_of is not None:
            # A service identity (an API client) is no person: its data scope names its rows.
            return self.filter(rows_of(self.model))
        if is_hr_admin(user):
            return self.all()
        return self.filter(_SCOPES[self.model._meta.label_lower](user))


@rules.predicate
def hr_admin(user):
    return is_hr_admin(user)
