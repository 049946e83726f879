"""URL routes of the team area."""

from django.urls import path

from coaching.views import team

app_name = "team"

urlpatterns = [
    path("", team.home, name="home"),
]
