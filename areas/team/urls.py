"""URL routes of the manager's area (/team/): supervisors, coaches and line managers."""

from django.urls import path

from .views import assessments, debriefs, feedback, learners, peer, sessions, team

app_name = "team"

urlpatterns = [
    path("", team.home, name="home"),
    path("observe/", team.observe, name="observe"),
    path("observe/objectives/", team.objective_options, name="objective_options"),
    path("observations/<int:pk>/feedback/", feedback.give_feedback, name="feedback"),
    path("assignments/<int:pk>/debrief/", debriefs.debrief, name="debrief"),
    path("debrief-actions/<int:pk>/done/", debriefs.action_done, name="debrief_action_done"),
    path("learners/<int:pk>/", learners.learner, name="learner"),
    path("learners/<int:pk>/assignments/new/", learners.assignment_new, name="assignment_new"),
    path(
        "learners/<int:pk>/assessments/new/",
        assessments.assessment_new,
        name="assessment_new",
    ),
    path("steps/<int:pk>/sign-off/", learners.sign_off, name="step_sign_off"),
    path("steps/<int:pk>/skip/", learners.skip, name="step_skip"),
    path("enrolments/<int:pk>/coaching/", sessions.coaching_session, name="coaching_session"),
    path(
        "commitments/<int:pk>/<slug:status>/",
        sessions.commitment_settle_view,
        name="commitment_settle",
    ),
    path("enrolments/<int:pk>/peer-feedback/", peer.peer_request, name="peer_request"),
    path(
        "enrolments/<int:pk>/peer-feedback/reviewers/",
        peer.peer_reviewers,
        name="peer_reviewers",
    ),
    path("peer-feedback/", peer.peer_inbox, name="peer_inbox"),
]
