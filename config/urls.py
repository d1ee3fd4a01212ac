from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("dampingi.reports.urls")),
    path("accounts/", include("dampingi.accounts.urls")),
    path("regions/", include("dampingi.regions.urls")),
    path("clients/", include("dampingi.clients.urls")),
    path("cases/", include("dampingi.cases.urls")),
    path("cases/<int:case_id>/assessment/", include("dampingi.assessments.urls")),
    path("cases/<int:case_id>/plan/", include("dampingi.plans.urls")),
    path("cases/<int:case_id>/instruments/", include("dampingi.instruments.urls")),
    path("admin/", admin.site.urls),
]
