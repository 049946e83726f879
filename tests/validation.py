"""Helpers that turn a refused model into the messages a user would see."""

import pytest
from django.core.exceptions import ValidationError


def full_clean_errors(instance) -> dict[str, list[str]]:
    """The field -> messages that full_clean() reports; fails if it reports nothing."""
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.message_dict


def constraint_errors(instance) -> dict[str, list[str]]:
    """The messages of the database constraints the instance breaks."""
    with pytest.raises(ValidationError) as excinfo:
        instance.validate_constraints()
    return excinfo.value.message_dict
