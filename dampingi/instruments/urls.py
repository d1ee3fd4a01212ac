"""Mounted at /cases/<case_id>/instruments/ (config/urls.py)."""

from django.urls import path

from dampingi.instruments import views

app_name = "instruments"
urlpatterns = [
    path("pie/new/", views.pie_new, name="pie_new"),
    path("digital/new/", views.screening_new, name="screening_new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/items/<slug:item>/problem/", views.add_problem, name="add_problem"),
]
