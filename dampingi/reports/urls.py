from django.urls import path

from dampingi.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/overdue-tasks/", views.overdue_tasks, name="overdue_tasks"),
    path("dashboard/follow-ups/", views.followups, name="followups"),
    path("dashboard/inactive-cases/", views.inactive_cases, name="inactive_cases"),
]
