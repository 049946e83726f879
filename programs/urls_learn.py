"""URL routes of the learner's area."""

from django.urls import path

from programs.views import learner

app_name = "learn"

urlpatterns = [
    path("", learner.home, name="home"),
    path("assignments/<int:pk>/", learner.assignment_detail, name="assignment"),
]
