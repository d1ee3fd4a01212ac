"""Mounted at /cases/<case_id>/plan/ (config/urls.py)."""

from django.urls import path

from dampingi.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.planning, name="section"),
    path("approach/", views.approach_save, name="approach"),
    path("goals/add/", views.goal_add, name="goal_add"),
    path("goals/<int:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:goal_id>/delete/", views.goal_delete, name="goal_delete"),
    path("goals/<int:goal_id>/tasks/add/", views.task_add, name="task_add"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:task_id>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:task_id>/delete/", views.task_delete, name="task_delete"),
    path("tasks/<int:task_id>/progress/", views.task_progress, name="task_progress"),
    path("submit/", views.plan_submit, name="submit"),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("evaluation/record/", views.evaluation_record, name="evaluation_record"),
    path("scores/add/", views.score_add, name="score_add"),
]
