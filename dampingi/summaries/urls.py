from django.urls import path

from dampingi.summaries import views

app_name = "summaries"
urlpatterns = [
    path("", views.summary_html, name="html"),
    path("pdf/", views.summary_pdf, name="pdf"),
]
