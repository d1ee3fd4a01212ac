from django.urls import path

from dampingi.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("open/", views.case_open_view, name="open"),
    path("approvals/", views.approval_list, name="approvals"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/move/", views.case_move, name="move"),
    path("<int:pk>/terminate/", views.case_terminate_view, name="terminate"),
    path("<int:pk>/reopen/", views.case_reopen_view, name="reopen"),
    path("<int:pk>/approvals/<int:approval_id>/decide/", views.approval_decide_view, name="approval_decide"),
    path("<int:pk>/contract/", views.contract_edit, name="contract"),
    path("<int:pk>/consents/add/", views.consent_add, name="consent_add"),
    path("<int:pk>/consents/<int:consent_id>/withdraw/", views.consent_withdraw_view, name="consent_withdraw"),
    path("<int:pk>/transfer/", views.transfer_request_view, name="transfer"),
    path("<int:pk>/stakeholders/add/", views.stakeholder_add_view, name="stakeholder_add"),
    path("<int:pk>/stakeholders/<int:stakeholder_id>/edit/", views.stakeholder_edit_view, name="stakeholder_edit"),
    path(
        "<int:pk>/stakeholders/<int:stakeholder_id>/remove/", views.stakeholder_remove_view, name="stakeholder_remove"
    ),
    path("<int:pk>/notes/", views.note_list, name="notes"),
    path("<int:pk>/notes/add/", views.note_add, name="note_add"),
    path("<int:pk>/notes/<int:note_id>/edit/", views.note_edit, name="note_edit"),
    path("<int:pk>/timeline/", views.timeline, name="timeline"),
    path("<int:pk>/timeline/latest/", views.timeline_latest, name="timeline_latest"),
]
