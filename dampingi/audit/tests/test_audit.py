from django.contrib.admin.sites import site

from dampingi.audit.models import AuditEvent
from dampingi.audit.services import audit_record, snapshot
from dampingi.testing.factories import make_case


def test_audit_record_keeps_before_and_after_as_json(sari):
    case = make_case(worker=sari)
    event = audit_record(
        actor=sari, action="test.change", target=case, case=case, before={"phase": "a"}, after=snapshot(case)
    )
    event.refresh_from_db()
    assert event.before == {"phase": "a"}
    assert event.after["phase"] == "engagement"
    assert event.target_type == "cases.case"
    assert event.target_id == str(case.pk)


def test_admin_offers_no_way_to_add_change_or_delete_audit_events(rf, yogi):
    request = rf.get("/")
    request.user = yogi
    model_admin = site._registry[AuditEvent]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_admin_shows_who_did_what_but_not_the_case_content(client, sari, yogi):
    case = make_case(worker=sari)
    event = AuditEvent.objects.filter(case=case).latest("id")
    client.force_login(yogi)
    response = client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "case.open" in body
    assert case.presenting_problem not in body
