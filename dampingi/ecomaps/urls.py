"""Mounted at /cases/<case_id>/ecomaps/ (config/urls.py)."""

from django.urls import path

from dampingi.ecomaps import views

app_name = "ecomaps"
urlpatterns = [
    path("new/", views.new, name="new"),
    path("compare/", views.compare, name="compare"),
    path("<int:number>/", views.detail, name="detail"),
    path("<int:number>/print/", views.print_version, name="print"),
]
