"""`GET /api/v1/me`: who the API takes the caller to be, and what they may do."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from talentdev.core.access import is_hr_admin

from ..identity import ServiceIdentity
from .base import ApiView


class MeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["client", "person"])
    name = serializers.CharField()
    client_id = serializers.CharField(allow_null=True)
    scopes = serializers.ListField(child=serializers.CharField())
    data_scope = serializers.CharField(allow_null=True)
    person_id = serializers.UUIDField(allow_null=True)
    hr_admin = serializers.BooleanField()


class MeView(ApiView):
    @extend_schema(responses=MeSerializer, operation_id="me")
    def get(self, request):
        user = request.user
        if isinstance(user, ServiceIdentity):
            client = user.client
            body = {
                "kind": "client",
                "name": client.name,
                "client_id": client.client_id,
                "scopes": sorted(client.scopes),
                "data_scope": client.data_scope,
                "person_id": None,
                "hr_admin": False,
            }
        else:
            body = {
                "kind": "person",
                "name": str(user),
                "client_id": None,
                "scopes": [],
                "data_scope": None,
                "person_id": user.uuid,
                "hr_admin": is_hr_admin(user),
            }
        return Response(MeSerializer(body).data)
