"""Top-level URL routes: the role areas, the admin, sign-in and health checks."""

from django.contrib import admin
from django.urls import include, path

from talentdev import health

admin.site.site_header = "talentdev administration"
admin.site.site_title = "talentdev"

urlpatterns = [
    path("", include("areas.home.urls")),
    path("learn/", include("areas.learn.urls")),
    path("team/", include("areas.team.urls")),
    # The API's clients are the API's own, managed among the HR admin's design pages.
    path("design/api-clients/", include("api.clients.urls")),
    path("design/", include("areas.design.urls")),
    path("sponsor/", include("areas.sponsor.urls")),
    path("api/v1/", include("api.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
