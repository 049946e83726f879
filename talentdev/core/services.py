"""Helpers every app's services share."""

from django.db import NotSupportedError, connections, router
from django.db.models.constants import OnConflict
from django.db.models.fields import AutoFieldMixin

from .models import TimeStampedModel


def locked(instance):
    """The stored row of `instance`, locked for this transaction.

    Update services start from it: a form may already have changed the caller's copy in
    memory, and a rule that compares old with new must see the old.
    """
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def model_create(model, **fields):
    """A new row of `model` with `fields`, validated whole (fields, model rules and
    constraints) before it is saved."""
    instance = model(**fields)
    instance.full_clean()
    instance.save()
    return instance


def model_update(instance, *, allowed, fields: dict):
    """Set `fields` on `instance`, validate the whole row and save just those columns.

    `allowed` names what the calling service lets its callers change; any other name is a
    programming error, raised before anything is touched.
    """
    unknown = set(fields) - set(allowed)
    if unknown:
        label = instance._meta.verbose_name
        raise TypeError(f"unknown {label} fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    # Timestamped rows also record when they last changed; Django's user model has no such field.
    stamp = ["updated_at"] if isinstance(instance, TimeStampedModel) else []
    instance.save(update_fields=[*fields, *stamp])
    return instance


def insert_new(model, objs) -> set:
    """Insert `objs`, each one whose unique key is not stored yet, and return the primary
    keys of the rows this insert created: INSERT … ON CONFLICT DO NOTHING RETURNING id, in
    one query. A row another transaction is inserting at the same moment is waited for and,
    once committed, not created again: only its writer's insert returns it. (Django's
    bulk_create(ignore_conflicts=True) returns every object given, created or not, without
    its key; this is the insert it runs, through its private _insert, asked to return the
    key.)"""
    if not objs:
        return set()
    db = router.db_for_write(model)
    if not connections[db].features.can_return_rows_from_bulk_insert:
        raise NotSupportedError("insert_new needs a database that returns the rows it inserts")
    opts = model._meta
    # The columns bulk_create writes: every stored one but generated ones and an automatic key.
    fields = [
        field
        for field in opts.concrete_fields
        if not field.generated and not isinstance(field, AutoFieldMixin)
    ]
    rows = model._default_manager.db_manager(db)._insert(
        objs, fields=fields, returning_fields=[opts.pk], on_conflict=OnConflict.IGNORE, using=db
    )
    # One object left out by its conflict comes back as None.
    return {row[0] for row in rows if row is not None}
