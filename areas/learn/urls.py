"""URL routes of the learner's area (/learn/)."""

from django.urls import path

from .views import assessment, assignments, feedback, journal, pathway, steps

app_name = "learn"

urlpatterns = [
    path("", pathway.home, name="home"),
    path("objectives/", pathway.objectives, name="objectives"),
    path("objectives/<int:pk>/", pathway.objective_history, name="objective"),
    path("steps/<int:pk>/", steps.step, name="step"),
    path("steps/<int:pk>/reflection/", steps.step_reflect, name="step_reflect"),
    path("steps/<int:pk>/done/", steps.step_done, name="step_done"),
    path("assignments/", assignments.assignments, name="assignments"),
    path("assignments/<int:pk>/", assignments.assignment_detail, name="assignment"),
    path("feedback/", feedback.feedback_received, name="feedback"),
    path("reflections/", journal.reflections, name="reflections"),
    path("self-assessment/", assessment.self_assessment, name="self_assessment"),
]
