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
    path("cases/<int:case_id>/ecomaps/", include("dampingi.ecomaps.urls")),
    path("cases/<int:case_id>/genograms/", include("dampingi.genograms.urls")),
    path("cases/<int:case_id>/summary/", include("dampingi.summaries.urls")),
    path("directory/", include("dampingi.directory.urls")),
    path("notifications/", include("dampingi.notifications.urls")),
    path("referrals/", include("dampingi.referrals.urls")),
    path("cases/<int:case_id>/conferences/", include("dampingi.conferences.urls")),
    path("imports/", include("dampingi.imports.urls")),
    path("admin/", admin.site.urls),
]
