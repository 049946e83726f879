"""Top-level URL routes: one area per role, the admin, auth and health checks."""

from django.contrib import admin
from django.urls import include, path

from people import views as people_views
from talentdev import health, views

admin.site.site_header = "talentdev administration"
admin.site.site_title = "talentdev"

urlpatterns = [
    path("", views.home, name="home"),
    path("programs/", views.programs, name="programs"),
    path("notifications/", people_views.notifications, name="notifications"),
    path("notifications/read/", people_views.notifications_read, name="notifications_read"),
    path("notifications/email/", people_views.email_preference, name="email_preference"),
    path("learn/", include("programs.urls_learn")),
    path("team/", include("coaching.urls_team")),
    path("design/", include("programs.urls_design")),
    path("sponsor/", include("measurement.urls_sponsor")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
