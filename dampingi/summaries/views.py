"""The printable case summary, mounted at /cases/<case_id>/summary/.

Both pages are reads: the case for the user (404 for outsiders, so nothing is written for them),
the summary in the case file's language (or the other one with ?lang=), then the audit events
(the "case viewed" event and the disclosure: who took a copy, when, in which format).
"""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.http import require_GET

from dampingi.cases.models import Case
from dampingi.cases.permissions import get_case_for_user_or_404
from dampingi.cases.services import case_record_view
from dampingi.summaries import services
from dampingi.summaries.printing import render_pdf
from dampingi.summaries.selectors import case_summary

TEMPLATE = "summaries/summary.html"


def document_language(case: Case, requested: str | None) -> str:
    """?lang= when it names a language of the site, else the case file's language (Indonesian by default)."""
    languages = {code for code, _name in settings.LANGUAGES}
    if requested in languages:
        return requested
    return case.language if case.language in languages else "id"


def _render(request, case: Case, *, language: str, output_format: str) -> tuple[str, bool]:
    with translation.override(language):
        summary = case_summary(case=case, user=request.user)
        context = {**summary, "language": language, "output_format": output_format}
        html = render_to_string(TEMPLATE, context, request=request)
    return html, summary["restricted_included"]


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def summary_html(request, case_id: int):
    case = get_case_for_user_or_404(request.user, case_id)
    language = document_language(case, request.GET.get("lang"))
    html, restricted = _render(request, case, language=language, output_format=services.HTML)
    case_record_view(actor=request.user, case=case)
    services.summary_record_disclosure(
        actor=request.user, case=case, output_format=services.HTML, language=language, restricted_included=restricted
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Language"] = language
    return _no_store(response)


@require_GET
def summary_pdf(request, case_id: int):
    case = get_case_for_user_or_404(request.user, case_id)
    language = document_language(case, request.GET.get("lang"))
    html, restricted = _render(request, case, language=language, output_format=services.PDF)
    pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
    case_record_view(actor=request.user, case=case)
    services.summary_record_disclosure(
        actor=request.user, case=case, output_format=services.PDF, language=language, restricted_included=restricted
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ringkasan-kasus-{case.pk}.pdf"'
    response["Content-Language"] = language
    return _no_store(response)
