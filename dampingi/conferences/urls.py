"""Mounted at /cases/<case_id>/conferences/ (config/urls.py)."""

from django.urls import path

from dampingi.conferences import views

app_name = "conferences"
urlpatterns = [
    path("new/", views.conference_new, name="new"),
    path("<int:pk>/", views.conference_detail, name="detail"),
]
