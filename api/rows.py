"""Lists read as plain rows: a serializer's own fields filled from `values()` rather than
from model instances and their related instances.

A page of 500 people read as instances builds 2,000 of them (each person with their org
unit, job role and manager), and building them is most of the page's time; the objects
they leave behind also make the garbage collector stop the worker mid-request, which is
what the slowest pages measure. Read as rows, a page is 500 dicts. The fields, and how each
shows its value, stay the serializer's, so a row reads exactly as the instance would.
"""

from rest_framework import serializers


def _readers(serializer_class) -> list[tuple[str, str, object]]:
    """(name shown, column of the row, how the value is shown) for each field."""
    readers = []
    for name, field in serializer_class().fields.items():
        path = list(field.source_attrs)
        if isinstance(field, serializers.SlugRelatedField):
            # the related row's slug, shown as it is
            readers.append((name, "__".join([*path, field.slug_field]), None))
        elif isinstance(field, serializers.RelatedField | serializers.BaseSerializer) or (
            isinstance(field, serializers.SerializerMethodField) or not path
        ):
            raise TypeError(f"{serializer_class.__name__}.{name} is not a column of a row")
        else:
            readers.append((name, "__".join(path), field.to_representation))
    return readers


def rows_serializer(serializer_class):
    """A serializer that shows a row of `.values(*its columns)` as `serializer_class`
    shows the instance: a value that is None stays None, as DRF leaves it."""
    readers = _readers(serializer_class)

    class RowSerializer(serializers.BaseSerializer):
        columns = tuple(dict.fromkeys(column for _name, column, _show in readers))

        def to_representation(self, row):
            shown = {}
            for name, column, show in readers:
                value = row[column]
                shown[name] = value if value is None or show is None else show(value)
            return shown

    RowSerializer.__name__ = RowSerializer.__qualname__ = f"{serializer_class.__name__}Rows"
    return RowSerializer
