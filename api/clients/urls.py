"""Routes of the API client pages, under /design/api-clients/."""

from django.urls import path

from . import views

app_name = "api_clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("new/", views.client_new, name="new"),
    path("org-units/", views.org_unit_search, name="org_unit_search"),
    path("<int:pk>/reset-secret/", views.client_secret_reset_view, name="reset_secret"),
    path("<int:pk>/revoke/", views.client_revoke_view, name="revoke"),
]
