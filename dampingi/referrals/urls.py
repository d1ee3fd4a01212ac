"""Mounted at /referrals/ (config/urls.py)."""

from django.urls import path

from dampingi.referrals import views

app_name = "referrals"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("cases/<int:case_id>/new/", views.referral_new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.referral_edit, name="edit"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/letter/", views.letter, name="letter"),
]
