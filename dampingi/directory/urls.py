from django.urls import path

from dampingi.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.service_list, name="service_list"),
    path("services/new/", views.service_edit, name="service_new"),
    path("services/<str:pk>/", views.service_detail_view, name="service_detail"),
    path("services/<str:pk>/edit/", views.service_edit, name="service_edit"),
    path("services/<str:pk>/capacity/", views.service_capacity, name="service_capacity"),
    path("organizations/new/", views.organization_edit, name="organization_new"),
    path("organizations/<str:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("hsds/import/", views.hsds_import, name="hsds_import"),
    path("hsds/export.<str:file_format>", views.hsds_export, name="hsds_export"),
    path("api/", views.api_root, name="api_root"),
    path("api/services", views.api_services, name="api_services"),
    path("api/services/<str:pk>", views.api_service, name="api_service"),
]
