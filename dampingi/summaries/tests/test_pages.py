import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dampingi.audit.models import AuditEvent
from dampingi.cases.models import Approval
from dampingi.cases.services import approval_decide
from dampingi.plans.gas import gas_t_score
from dampingi.summaries.tests.helpers import (
    CLIENT,
    ECOMAP_LATER_SYSTEM,
    ECOMAP_SYSTEM,
    FOLLOW_UP_LEVEL,
    GRANDMOTHER,
    HEALTH_DIAGNOSIS,
    HEALTH_REPORTED,
    NIK,
    STAKEHOLDER_EMAIL,
    STAKEHOLDER_PHONE,
    TERMINATION_SUMMARY,
    audit_actions,
)
from dampingi.testing.casework import assert_clean


def html_url(case, **params):
    query = "".join(f"?{k}={v}" for k, v in params.items())
    return reverse("summaries:html", args=[case.pk]) + query


def pdf_url(case, **params):
    query = "".join(f"?{k}={v}" for k, v in params.items())
    return reverse("summaries:pdf", args=[case.pk]) + query


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def squeeze(text: str) -> str:
    return " ".join(text.split())


T_SCORE = f"{gas_t_score([1, 1], [2, 1]):.2f}"


# --- The HTML page --------------------------------------------------------------------------------


def test_html_summary_shows_every_part_of_the_case(client, sari, full_case):
    client.force_login(sari)
    response = client.get(html_url(full_case, lang="en"))
    assert response.status_code == 200
    html = assert_clean(response)
    for heading in (
        "Case summary",
        "RAHASIA / CONFIDENTIAL",
        "The case",
        "Contract and consent",
        "Consents",
        "Assessment",
        "Problems",
        "Problem tree",
        "Social functioning over time",
        "Person-In-Environment (PIE)",
        "Digital-life screening",
        "Eco-map",
        "Genogram",
        "Intervention plan",
        "Goal attainment scaling",
        "T-score over time",
        "Termination",
        "Stakeholders involved",
    ):
        assert heading in html, heading
    assert CLIENT in html
    assert full_case.reference in html
    assert "Anak putus sekolah" in html and "Gizi kurang" in html
    assert "Anak putus sekolah: faktor 1" in html  # a cause
    assert "Anak putus sekolah: faktor 2" in html  # an effect
    assert 'class="problem-tree-svg"' in html and 'id="functioning-trend"' in html and 'id="gas-t-score"' in html
    assert "judi online" in html  # the screening notes
    assert ECOMAP_SYSTEM in html and ECOMAP_LATER_SYSTEM in html and 'class="ecomap-svg"' in html
    assert GRANDMOTHER in html and 'class="genogram-svg"' in html
    assert "lack of food" in html  # the PIE ranked problems
    assert FOLLOW_UP_LEVEL in html and "Tidak hadir di sekolah sama sekali" in html  # GAS levels +1 and −2
    assert "Tujuan 1" in html and "Indikator 1" in html and "Tugas 1.1" in html
    assert T_SCORE in html
    assert TERMINATION_SUMMARY in html and "goals achieved" in html
    assert "Bu Guru Yanti" in html and "wali kelas" in html
    assert "Nenek merasa cucunya lebih ceria." in html  # the client's own view
    assert "Iyah (nenek, wali)" in html  # who consented
    assert "Anak kembali bersekolah dan gizi membaik." in html  # the contract's focus
    assert "generated on" in html and str(sari) in html
    assert response["Cache-Control"] == "no-store"


def test_drawings_carry_their_own_styles_for_the_pdf(client, sari, full_case):
    """WeasyPrint applies only an SVG's own style sheet: the class-styled drawings get one inside."""
    client.force_login(sari)
    html = client.get(html_url(full_case)).content.decode()
    styled = [
        chunk
        for chunk in html.split("<svg")[1:]
        if 'class="problem-tree-svg"' in chunk.split(">", 1)[0] or 'class="chart"' in chunk.split(">", 1)[0]
    ]
    assert len(styled) == 3  # the problem tree, the social functioning trend, the T-score
    for chunk in styled:
        assert chunk.split(">", 1)[1].startswith("<style>"), chunk[:200]


def test_least_data_no_nik_no_contact_details(client, sari, full_case):
    client.force_login(sari)
    for response in (client.get(html_url(full_case)), client.get(pdf_url(full_case))):
        text = response.content.decode() if response["Content-Type"].startswith("text/html") else pdf_text(response)
        assert NIK not in text
        assert STAKEHOLDER_PHONE not in text and STAKEHOLDER_EMAIL not in text
        assert "2014-03-12" not in text and "12/03/2014" not in text and "03/12/2014" not in text


def test_print_links_snippet_points_to_both_formats(rf, sari, full_case):
    from django.template.loader import render_to_string

    html = assert_clean(render_to_string("summaries/_print_links.html", {"case": full_case}))
    assert "Print summary" in html and "Download PDF" in html
    assert f'href="{html_url(full_case)}"' in html and f'href="{pdf_url(full_case)}"' in html


# --- The PDF ------------------------------------------------------------------------------------------


def test_pdf_is_a_download_with_the_summary_text(client, sari, full_case):
    client.force_login(sari)
    response = client.get(pdf_url(full_case, lang="en"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="ringkasan-kasus-{full_case.pk}.pdf"'
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF")
    text = squeeze(pdf_text(response))
    assert CLIENT in text
    assert FOLLOW_UP_LEVEL in text
    assert T_SCORE in text
    assert squeeze(TERMINATION_SUMMARY) in text
    assert "RAHASIA / CONFIDENTIAL" in text
    assert full_case.reference in text
    assert HEALTH_DIAGNOSIS in text  # Sari works on the case


def test_pdf_download_never_reaches_the_network(client, sari, full_case, no_network):
    client.force_login(sari)
    response = client.get(pdf_url(full_case))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_pdf_pages_are_numbered_in_the_footer(client, sari, full_case):
    client.force_login(sari)
    reader = PdfReader(io.BytesIO(client.get(pdf_url(full_case)).content))
    total = len(reader.pages)
    assert total > 1
    assert f"1 / {total}" in reader.pages[0].extract_text()
    assert f"{total} / {total}" in reader.pages[-1].extract_text()


# --- Language -----------------------------------------------------------------------------------------


def test_english_case_prints_english_headings(client, sari, full_case, fast_pdf):
    full_case.language = "en"
    full_case.save(update_fields=["language"])
    client.force_login(sari)
    html = client.get(html_url(full_case)).content.decode()
    assert '<html lang="en">' in html
    assert "Case summary" in html and "Stakeholders involved" in html
    assert response_language(client.get(pdf_url(full_case))) == "en"
    (document,) = fast_pdf
    assert '<html lang="en">' in document and "Stakeholders involved" in document


def response_language(response) -> str:
    return response["Content-Language"]


def test_indonesian_case_prints_in_indonesian(client, sari, full_case, fast_pdf):
    assert full_case.language == "id"
    client.force_login(sari)  # Sari's own interface language is English (english_ui)
    response = client.get(html_url(full_case))
    assert '<html lang="id">' in response.content.decode()
    assert response_language(response) == "id"
    assert response_language(client.get(pdf_url(full_case))) == "id"
    assert '<html lang="id">' in fast_pdf[0]


def test_user_may_pick_the_other_language(client, sari, full_case, fast_pdf):
    client.force_login(sari)
    response = client.get(html_url(full_case, lang="en"))
    assert '<html lang="en">' in response.content.decode()
    assert response_language(client.get(pdf_url(full_case, lang="en"))) == "en"
    assert '<html lang="en">' in fast_pdf[0]


@pytest.mark.parametrize("lang", ["fr", "EN", "", "en-us", "<script>"])
def test_unknown_language_falls_back_to_the_case_language(client, sari, full_case, lang):
    client.force_login(sari)
    response = client.get(reverse("summaries:html", args=[full_case.pk]), {"lang": lang})
    assert response.status_code == 200
    assert '<html lang="id">' in response.content.decode()


# --- Restricted data ----------------------------------------------------------------------------------


def test_worker_gets_the_restricted_health_data(client, sari, full_case):
    client.force_login(sari)
    html = client.get(html_url(full_case)).content.decode()
    assert HEALTH_DIAGNOSIS in html and HEALTH_REPORTED in html
    assert "were left out of this copy" not in html


def test_manager_gets_no_health_data_and_is_told_so(client, hendra, full_case):
    client.force_login(hendra)
    html = assert_clean(client.get(html_url(full_case), {"lang": "en"}))
    assert HEALTH_DIAGNOSIS not in html and HEALTH_REPORTED not in html
    assert "Restricted health data (PIE Factors III and IV) were left out of this copy" in html
    text = pdf_text(client.get(pdf_url(full_case), {"lang": "en"}))
    assert HEALTH_DIAGNOSIS not in text and HEALTH_REPORTED not in text
    assert "left out of this copy" in squeeze(text)
    assert CLIENT in text  # the rest of the summary is there


def test_closed_case_leaves_health_data_out_even_for_its_worker(client, sari, ratna, full_case):
    closure = Approval.objects.get(case=full_case, kind="closure", status="pending")
    approval_decide(actor=ratna, approval_id=closure.pk, approve=True)
    client.force_login(sari)
    html = client.get(html_url(full_case), {"lang": "en"}).content.decode()
    assert HEALTH_DIAGNOSIS not in html
    assert "were left out of this copy" in html
    client.force_login(ratna)  # the supervisor may still act on the closed case
    assert HEALTH_DIAGNOSIS in client.get(html_url(full_case)).content.decode()


# --- Permissions and audit ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["sari", "ratna", "hendra"])
@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_who_may_read_the_case_may_print_it_and_it_is_audited(client, request, full_case, who, fmt, fast_pdf):
    user = request.getfixturevalue(who)
    client.force_login(user)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    url = html_url(full_case) if fmt == "html" else pdf_url(full_case)
    response = client.get(url)
    assert response.status_code == 200
    events = list(AuditEvent.objects.filter(pk__gt=last))
    actions = sorted(e.action for e in events)
    disclosure = "summaries.printed" if fmt == "html" else "summaries.pdf"
    assert actions == sorted(["case.view", disclosure])
    assert all(e.actor == user and e.case_id == full_case.pk for e in events)
    event = next(e for e in events if e.action == disclosure)
    assert event.target_type == "cases.case" and event.target_id == str(full_case.pk)
    assert event.after == {"format": fmt, "language": "id", "restricted_included": who != "hendra"}


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_worker_of_another_team_gets_404_and_nothing_is_written(client, dedi, full_case, fmt):
    client.force_login(dedi)
    before = AuditEvent.objects.count()
    response = client.get(html_url(full_case) if fmt == "html" else pdf_url(full_case))
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before
    assert CLIENT not in response.content.decode(errors="replace")


def test_anonymous_user_is_sent_to_log_in(client, full_case):
    before = AuditEvent.objects.count()
    response = client.get(pdf_url(full_case))
    assert response.status_code == 302
    assert AuditEvent.objects.count() == before


def test_post_is_refused(client, sari, full_case):
    client.force_login(sari)
    before = AuditEvent.objects.count()
    assert client.post(html_url(full_case)).status_code == 405
    assert client.post(pdf_url(full_case)).status_code == 405
    assert AuditEvent.objects.count() == before


def test_each_copy_is_recorded(client, sari, full_case, fast_pdf):
    client.force_login(sari)
    client.get(html_url(full_case))
    client.get(pdf_url(full_case, lang="en"))
    actions = audit_actions(full_case)
    assert actions[-4:] == ["case.view", "summaries.printed", "case.view", "summaries.pdf"]
    last = AuditEvent.objects.filter(case=full_case, action="summaries.pdf").get()
    assert last.after["language"] == "en"


# --- Queries ------------------------------------------------------------------------------------------


# Session and user (2), the case (1), the summary (22 of its own, one of them the restricted health
# entries; 2 for the eco-maps; 5 for the genograms), then two audit events (3 each: savepoint, insert, release).
SUMMARY_QUERIES = 2 + 1 + 22 + 2 + 5 + 6


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_query_count_does_not_grow_with_the_case(client, sari, case_of_size, django_assert_num_queries, fmt, fast_pdf):
    small, large = case_of_size(1), case_of_size(4)
    client.force_login(sari)
    url = html_url if fmt == "html" else pdf_url
    for case in (small, large):
        with django_assert_num_queries(SUMMARY_QUERIES):
            assert client.get(url(case)).status_code == 200


def test_manager_needs_one_query_less(client, hendra, case_of_size, django_assert_num_queries):
    client.force_login(hendra)
    for case in (case_of_size(1), case_of_size(3)):
        with django_assert_num_queries(SUMMARY_QUERIES - 1 + 1):  # + 1: the region's team ids (cases_visible_to)
            assert client.get(html_url(case)).status_code == 200
