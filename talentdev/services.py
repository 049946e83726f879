"""Helpers every app's services share."""


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
    instance.save(update_fields=[*fields, "updated_at"])
    return instance
