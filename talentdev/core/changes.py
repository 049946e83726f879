"""A row that another row shows moves that row's `updated_at` when it changes.

The API's sync reads rows changed since a moment by `updated_at`. A pathway shows its
steps, a competency its indicators, a program its sponsors: a change to those is a change
to the row that shows them, or a nightly sync would never see it.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone


def _touch(model, pks) -> None:
    pks = [pk for pk in pks if pk is not None]
    if pks:
        model._default_manager.filter(pk__in=pks).update(updated_at=timezone.now())


def shown_within(parent_field: str):
    """Class decorator for a child model: saving or deleting a row touches its parent."""

    def register(child):
        def touched(sender, instance, **kwargs):
            # Resolved when a row changes: the parent may not be loaded when the child is.
            field = child._meta.get_field(parent_field)
            _touch(field.related_model, [getattr(instance, field.attname)])

        # Kept on the class: signals hold their receivers weakly.
        child._parent_touched = touched
        post_save.connect(touched, sender=child, dispatch_uid=f"{child.__qualname__}.touch")
        post_delete.connect(touched, sender=child, dispatch_uid=f"{child.__qualname__}.untouch")
        return child

    return register


_M2M_SHOWN: list[tuple] = []


def m2m_shown_by(model, field: str) -> None:
    """Adding or removing links of `model.field` touches the rows of `model` it changes."""
    _M2M_SHOWN.append((model, field))


def _links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    for model, field in _M2M_SHOWN:
        if sender is getattr(model, field).through:
            _touch(model, (pk_set or ()) if reverse else [instance.pk])


m2m_changed.connect(_links_changed, dispatch_uid="talentdev.core.changes")
