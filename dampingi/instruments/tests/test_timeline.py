from django.urls import reverse

from dampingi.cases.selectors import case_timeline, case_timeline_count
from dampingi.instruments import services
from dampingi.instruments.tests.helpers import answers, role, today


def test_administrations_appear_on_the_case_timeline_with_a_link(sari, assessed_case):
    before = case_timeline_count(assessed_case)
    pie = services.pie_administer(actor=sari, case=assessed_case, administered_on=today(), role_problems=[role()])
    screening = services.screening_administer(
        actor=sari, case=assessed_case, administered_on=today(), answers=answers(harm_gambling=2)
    )

    external = [e for e in case_timeline(assessed_case) if e.kind == "external"]

    assert [e.obj.url for e in external] == [
        reverse("instruments:detail", args=[assessed_case.pk, pie.pk]),
        reverse("instruments:detail", args=[assessed_case.pk, screening.pk]),
    ]
    assert [e.day for e in external] == [today(), today()]
    assert all(e.actor == sari for e in external)
    assert "PIE" in external[0].obj.text
    assert case_timeline_count(assessed_case) == before + 2


def test_the_case_page_timeline_links_to_the_administration(client, sari, assessed_case):
    screening = services.screening_administer(
        actor=sari, case=assessed_case, administered_on=today(), answers=answers()
    )
    client.force_login(sari)

    page = client.get(reverse("cases:timeline", args=[assessed_case.pk])).content.decode()

    assert reverse("instruments:detail", args=[assessed_case.pk, screening.pk]) in page
