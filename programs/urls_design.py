"""URL routes of the design area."""

from django.urls import path

from programs.views import design

app_name = "design"

urlpatterns = [
    path("", design.home, name="home"),
]
