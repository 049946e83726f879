"""URL routes of the sponsor's area (/sponsor/)."""

from django.urls import path

from .views import dashboard, overview, reviews

app_name = "sponsor"

urlpatterns = [
    path("", overview.home, name="home"),
    path("overview.csv", overview.overview_export, name="overview_export"),
    path("programs/<int:pk>/", dashboard.dashboard, name="dashboard"),
    path("programs/<int:pk>/export/<str:table>.csv", dashboard.export, name="export"),
    path("reviews/<int:pk>/", reviews.review, name="review"),
    path("reviews/<int:pk>/close/", reviews.review_close, name="review_close"),
    path("reviews/<int:pk>/owners/", reviews.review_owners, name="review_owners"),
    path("decisions/<int:pk>/<slug:status>/", reviews.decision_settle, name="decision_settle"),
]
