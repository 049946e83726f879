"""URL routes of the learn area."""

from django.urls import path

from programs.views import learner

app_name = "learn"

urlpatterns = [
    path("", learner.home, name="home"),
]
