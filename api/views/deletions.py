"""`GET /api/v1/deletions`: rows the API showed that no longer exist."""

import django_filters
from rest_framework import mixins, serializers

from talentdev.core.filters import UtcMomentFilter

from ..deletions import RESOURCES, deletions_for
from ..models import Deletion
from .base import ApiViewSet


class DeletionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    resource = serializers.ChoiceField(
        choices=sorted({resource for resource, _ in RESOURCES.values()}), read_only=True
    )

    class Meta:
        model = Deletion
        fields = ["id", "resource", "object_id", "deleted_at"]
        read_only_fields = fields


class DeletionFilterSet(django_filters.FilterSet):
    updated_since = UtcMomentFilter(
        field_name="deleted_at",
        lookup_expr="gte",
        help_text="Only rows deleted at or after this moment (ISO 8601, with its offset).",
    )

    class Meta:
        model = Deletion
        fields = ["updated_since", "resource"]


class DeletionViewSet(mixins.ListModelMixin, ApiViewSet):
    """Deleted rows of every resource you may read, in the order they were deleted: a sync
    drops them. People are never deleted but deactivated (`active: false`); few other rows
    are deleted at all."""

    serializer_class = DeletionSerializer
    filterset_class = DeletionFilterSet
    sync_keys = ("deleted_at", "uuid")

    def get_queryset(self):
        return deletions_for(self.request.user)
