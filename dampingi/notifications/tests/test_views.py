"""The inbox page, opening a notification, marking read, and the navigation badge."""

import pytest
from django.urls import reverse

from dampingi.notifications.models import Notification
from dampingi.notifications.services import notify
from dampingi.notifications.tests.helpers import assert_clean

INBOX = "/notifications/"


def make(user, n=1, **overrides):
    params = {
        "kind": "task_due",
        "title": "A plan task is due today: case K-000001",
        "body": "Due today.",
        "url": "/cases/",
    }
    params.update(overrides)
    made = []
    for i in range(n):
        made += notify(recipients=[user], **{**params, "title": f"{params['title']} #{i}"})
    return made


def test_inbox_lists_own_notifications_newest_first_with_unread_marked(client, sari, dedi):
    old, new = make(sari, 2)
    Notification.objects.filter(pk=old.pk).update(read_at=old.created_at)
    make(dedi, title="Dedi's reminder")
    client.force_login(sari)
    response = client.get(INBOX)
    assert response.status_code == 200
    assert_clean(response)
    html = response.content.decode()
    assert html.index(new.title) < html.index(old.title)
    assert f'id="notification-{new.pk}"' in html and f'class="unread" id="notification-{new.pk}"' in html
    assert f'class="read" id="notification-{old.pk}"' in html
    assert "Dedi&#x27;s reminder" not in html and "Dedi's reminder" not in html
    assert reverse("notifications:open", args=[new.pk]) in html
    assert reverse("notifications:mark_all_read") in html


def test_an_empty_inbox_says_so(client, hendra):
    client.force_login(hendra)
    response = client.get(INBOX)
    assert_clean(response)
    assert "No notifications yet." in response.content.decode()


def test_the_inbox_needs_a_sign_in(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_opening_marks_read_and_goes_to_the_link(client, sari):
    [n] = make(sari, url="/cases/12/#planning")
    client.force_login(sari)
    response = client.post(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/cases/12/#planning"
    n.refresh_from_db()
    assert n.read_at is not None


def test_opening_only_works_by_post(client, sari):
    [n] = make(sari)
    client.force_login(sari)
    assert client.get(reverse("notifications:open", args=[n.pk])).status_code == 405
    n.refresh_from_db()
    assert n.read_at is None


@pytest.mark.parametrize(
    "url",
    ["https://evil.example.com/login", "//evil.example.com/", "/\\evil.example.com", "javascript:alert(1)", ""],
)
def test_opening_never_redirects_off_site(client, sari, url):
    [n] = make(sari, url=url)
    client.force_login(sari)
    response = client.post(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == INBOX


@pytest.mark.parametrize("name", ["open", "mark_read"])
def test_anothers_notification_is_404_and_stays_unread(client, sari, dedi, hendra, name):
    [his] = make(dedi)
    for user in (sari, hendra):
        client.force_login(user)
        assert client.post(reverse(f"notifications:{name}", args=[his.pk])).status_code == 404
    assert client.post(reverse(f"notifications:{name}", args=[987654])).status_code == 404
    his.refresh_from_db()
    assert his.read_at is None


def test_mark_read_stays_in_the_inbox(client, sari):
    [n] = make(sari)
    client.force_login(sari)
    response = client.post(reverse("notifications:mark_read", args=[n.pk]))
    assert response["Location"] == INBOX
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_all_read_marks_only_own(client, sari, dedi):
    make(sari, 3)
    make(dedi, 2)
    client.force_login(sari)
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert_clean(response)
    assert "3 notifications marked read." in response.content.decode()
    assert not Notification.objects.filter(recipient=sari, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=dedi, read_at__isnull=True).count() == 2
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "There was nothing unread." in response.content.decode()


def test_the_inbox_pages_through_many_notifications(client, sari, settings):
    settings.DAMPINGI_PAGE_SIZE = 5
    make(sari, 7)
    client.force_login(sari)
    first = client.get(INBOX).content.decode()
    second = client.get(INBOX, {"page": 2}).content.decode()
    assert first.count('<li class="unread"') == 5 and second.count('<li class="unread"') == 2
    assert "Page 2 of 2" in second


def test_the_inbox_runs_a_fixed_number_of_queries(client, sari, django_assert_num_queries):
    make(sari, 2)
    client.force_login(sari)
    # session, user, count for the pages, the page of notifications, the nav badge's unread count
    with django_assert_num_queries(5):
        small = client.get(INBOX)
    make(sari, 30)
    with django_assert_num_queries(5):
        big = client.get(INBOX, {"page": 2})
    assert small.status_code == big.status_code == 200


def test_the_nav_shows_the_unread_count_on_every_page(client, sari):
    client.force_login(sari)
    html = client.get(reverse("cases:list")).content.decode()
    assert 'class="nav-notifications">Notifications</a>' in html  # nothing unread: no badge
    make(sari, 3)
    html = client.get(reverse("cases:list")).content.decode()
    assert '<span class="badge pending">3<span class="sr-only"> unread</span></span>' in html
    Notification.objects.filter(recipient=sari).update(read_at=Notification.objects.first().created_at)
    assert 'sr-only"> unread' not in client.get(INBOX).content.decode()


def test_the_unread_count_is_zero_for_anonymous_visitors_and_costs_no_query(rf, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    from dampingi.notifications.context_processors import unread_count

    request = rf.get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread_count(request) == {"notifications_unread": 0}


def test_the_unread_count_runs_one_query_only_when_shown(rf, sari, django_assert_num_queries):
    from dampingi.notifications.context_processors import unread_count

    make(sari, 2)
    request = rf.get("/")
    request.user = sari
    with django_assert_num_queries(0):
        context = unread_count(request)
    with django_assert_num_queries(1):
        assert context["notifications_unread"] == 2
        assert str(context["notifications_unread"]) == "2"
