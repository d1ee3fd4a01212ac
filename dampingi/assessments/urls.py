"""Mounted at /cases/<case_id>/assessment/ (config/urls.py)."""

from django.urls import path

from dampingi.assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.section, name="section"),
    path("tree/", views.tree, name="tree"),
    path("save/", views.assessment_save, name="save"),
    path("complete/", views.assessment_complete, name="complete"),
    path("new/", views.assessment_start_new, name="start_new"),
    path("problems/add/", views.problem_add, name="problem_add"),
    path("problems/<int:problem_id>/edit/", views.problem_edit, name="problem_edit"),
    path("problems/<int:problem_id>/delete/", views.problem_delete, name="problem_delete"),
    path("problems/<int:problem_id>/factors/add/", views.factor_add, name="factor_add"),
    path("factors/<int:factor_id>/delete/", views.factor_delete, name="factor_delete"),
    path("ratings/add/", views.rating_add, name="rating_add"),
]
