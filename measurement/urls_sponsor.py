"""URL routes of the sponsor's area."""

from django.urls import path

from measurement import views_sponsor as sponsor

app_name = "sponsor"

urlpatterns = [
    path("", sponsor.home, name="home"),
    path("overview.csv", sponsor.overview_export, name="overview_export"),
    path("programs/<int:pk>/", sponsor.dashboard, name="dashboard"),
    path("programs/<int:pk>/export/<str:table>.csv", sponsor.export, name="export"),
    path("reviews/<int:pk>/", sponsor.review, name="review"),
    path("reviews/<int:pk>/close/", sponsor.review_close, name="review_close"),
]
