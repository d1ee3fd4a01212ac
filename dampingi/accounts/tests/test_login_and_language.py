from django.urls import reverse

from dampingi.audit.models import AuditEvent
from dampingi.testing.factories import PASSWORD


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("reports:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_sign_in_page_is_indonesian_by_default(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'lang="id"' in response.content.decode()
    assert "Masuk" in response.content.decode()


def test_worker_signs_in_with_username_and_password(client, sari):
    response = client.post(reverse("accounts:login"), {"username": "sari", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("reports:home")).status_code == 200


def test_wrong_password_shows_a_translated_error_and_keeps_the_username(client, sari):
    response = client.post(reverse("accounts:login"), {"username": "sari", "password": "wrong"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="sari"' in body
    assert "kata sandi" in body.lower()


def test_user_switches_to_english_and_the_choice_is_kept_on_the_account(client, sari):
    client.force_login(sari)
    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": "/cases/"})
    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    sari.refresh_from_db()
    assert sari.language == "en"
    page = client.get(reverse("accounts:login"), follow=True).content.decode()
    assert 'lang="en"' in page
    assert AuditEvent.objects.filter(action="user.language", actor=sari).count() == 1


def test_language_switch_ignores_offsite_next_urls(client, sari):
    client.force_login(sari)
    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_unknown_language_is_refused_without_change(client, sari):
    client.force_login(sari)
    client.post(reverse("accounts:set_language"), {"language": "xx"})
    sari.refresh_from_db()
    assert sari.language == "id"
    assert not AuditEvent.objects.filter(action="user.language").exists()
