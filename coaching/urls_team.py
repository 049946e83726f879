"""URL routes of the manager's area."""

from django.urls import path

from coaching.views import team

app_name = "team"

urlpatterns = [
    path("", team.home, name="home"),
    path("observe/", team.observe, name="observe"),
    path("observe/objectives/", team.objective_options, name="objective_options"),
    path("observations/<int:pk>/feedback/", team.give_feedback, name="feedback"),
    path("assignments/<int:pk>/debrief/", team.debrief, name="debrief"),
    path("enrolments/<int:pk>/coaching/", team.coaching_session, name="coaching_session"),
    path("enrolments/<int:pk>/peer-feedback/", team.peer_request, name="peer_request"),
    path("peer-feedback/", team.peer_inbox, name="peer_inbox"),
]
