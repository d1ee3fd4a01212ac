from django.urls import path

from dampingi.reports import views

app_name = "reports"
urlpatterns = [path("", views.home, name="home")]
