from django.urls import path

from dampingi.clients import views

app_name = "clients"
urlpatterns = [
    path("", views.client_list, name="list"),
    path("new/", views.client_register, name="register"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/edit/", views.client_system_edit, name="edit"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
]
