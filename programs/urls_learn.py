"""URL routes of the learner's area."""

from django.urls import path

from coaching.views import learner as coaching_learner
from measurement import views as measurement_views
from programs.views import learner

app_name = "learn"

urlpatterns = [
    path("", learner.home, name="home"),
    path("objectives/", learner.objectives, name="objectives"),
    path("assignments/", learner.assignments, name="assignments"),
    path("assignments/<int:pk>/", learner.assignment_detail, name="assignment"),
    path("feedback/", coaching_learner.feedback_received, name="feedback"),
    path("reflections/", coaching_learner.reflections, name="reflections"),
    path("self-assessment/", measurement_views.self_assessment, name="self_assessment"),
]
