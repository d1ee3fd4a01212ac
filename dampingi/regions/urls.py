from django.urls import path

from dampingi.regions import views

app_name = "regions"
urlpatterns = [path("select/", views.region_select, name="select")]
