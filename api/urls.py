"""Routes of the HR API, under /api/v1/."""

from allauth.idp.oidc import views as oauth
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from .people.views import JobRoleViewSet, OrgUnitViewSet, PersonViewSet
from .views.me import MeView
from .views.unknown import unknown_address

app_name = "api"

router = SimpleRouter(trailing_slash=False)
router.register("people", PersonViewSet, basename="person")
router.register("org-units", OrgUnitViewSet, basename="org-unit")
router.register("job-roles", JobRoleViewSet, basename="job-role")

urlpatterns = [
    # The OAuth 2.0 server: client credentials in, an access token for an hour out.
    path("oauth/token", oauth.token, name="token"),
    path("oauth/revoke", oauth.revoke, name="revoke"),
    path("me", MeView.as_view(), name="me"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("schema/swagger/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="swagger"),
    path("schema/redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    *router.urls,
    # Last: whatever matched nothing above (an unknown resource, an id of the wrong shape).
    re_path(r"", unknown_address, name="unknown"),
]
