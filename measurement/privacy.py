"""Sponsors see aggregates only: a figure computed from too few learners is suppressed."""

# Below this many learners a figure could identify a person.
MIN_GROUP = 5


def suppressed(learners: int | None) -> bool:
    return learners is not None and learners < MIN_GROUP
