"""Abstract bases and constraint helpers shared by every app.

Models declare a field per statement and a constraint per `check`/`unique` call, so models
of different apps look alike line by line; that is Django's declarative style, not a rule
written twice.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import models

# Constraint names carry the app and model, so the same rule on two models never clashes.
_NAMED = "%(app_label)s_%(class)s_"


def check(name: str, condition, message) -> models.CheckConstraint:
    """A check the database enforces, named `<app>_<model>_<name>`, refused with `message`."""
    return models.CheckConstraint(
        condition=condition, name=_NAMED + name, violation_error_message=message
    )


def unique(name: str, *fields: str, message, condition=None) -> models.UniqueConstraint:
    """Fields unique together (where `condition` holds), refused with `message`."""
    return models.UniqueConstraint(
        fields=list(fields),
        condition=condition,
        name=_NAMED + name,
        violation_error_message=message,
    )


class TimeStampedModel(models.Model):
    """Adds created_at and updated_at to a model."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True


class PublicIdModel(models.Model):
    """Adds `uuid`, the stable id other systems know a row by: the API calls it `id`,
    and it never changes, unlike a code or an employee ID."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


def ensure_no_cycle(instance, parent_field: str, message) -> None:
    """Raise a ValidationError on `parent_field` if following it from `instance` loops.

    A database check only stops a row being its own parent; a loop deeper than one level
    has to be found by walking up the tree.
    """
    seen = {instance.pk} if instance.pk else set()
    node = getattr(instance, parent_field)
    while node is not None:
        if node.pk in seen:
            raise ValidationError({parent_field: message})
        seen.add(node.pk)
        node = getattr(node, parent_field)
