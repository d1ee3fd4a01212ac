"""Mounted at /cases/<case_id>/genograms/ (config/urls.py)."""

from django.urls import path

from dampingi.genograms import views

app_name = "genograms"
urlpatterns = [
    path("new/", views.new, name="new"),
    path("compare/", views.compare, name="compare"),
    path("<int:number>/", views.detail, name="detail"),
    path("<int:number>/print/", views.print_page, name="print"),
]
