"""URL routes of the manager's area."""

from django.urls import path

from coaching.views import team

app_name = "team"

urlpatterns = [
    path("", team.home, name="home"),
    path("observe/", team.observe, name="observe"),
    path("observe/objectives/", team.objective_options, name="objective_options"),
    path("observations/<int:pk>/feedback/", team.give_feedback, name="feedback"),
]
