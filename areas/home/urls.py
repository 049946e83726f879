"""URL routes everyone has: the landing page, their programs and their notifications."""

from django.urls import path

from .views import landing, notifications

urlpatterns = [
    path("", landing.home, name="home"),
    path("programs/", landing.programs, name="programs"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    path("notifications/email/", notifications.email_preference, name="email_preference"),
]
