"""Helpers every app's services share."""


def locked(instance):
    """The stored row of `instance`, locked for this transaction.

    Update services start from it: a form may already have changed the caller's copy in
    memory, and a rule that compares old with new must see the old.
    """
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


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
    # Models on the timestamped base say when they last changed; the user model is not one.
    stamp = ["updated_at"] if _has_field(instance, "updated_at") else []
    instance.save(update_fields=[*fields, *stamp])
    return instance


def _has_field(instance, name: str) -> bool:
    return any(field.name == name for field in instance._meta.concrete_fields)
