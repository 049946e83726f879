"""URL routes of the manager's area (/team/): supervisors, coaches and line managers."""

from django.urls import path

from .views import debriefs, feedback, peer, sessions, team

app_name = "team"

urlpatterns = [
    path("", team.home, name="home"),
    path("observe/", team.observe, name="observe"),
    path("observe/objectives/", team.objective_options, name="objective_options"),
    path("observations/<int:pk>/feedback/", feedback.give_feedback, name="feedback"),
    path("assignments/<int:pk>/debrief/", debriefs.debrief, name="debrief"),
    path("enrolments/<int:pk>/coaching/", sessions.coaching_session, name="coaching_session"),
    path("enrolments/<int:pk>/peer-feedback/", peer.peer_request, name="peer_request"),
    path("peer-feedback/", peer.peer_inbox, name="peer_inbox"),
]
