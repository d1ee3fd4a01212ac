import socket

import pytest

from dampingi.summaries.tests.helpers import build_full_case, populate
from dampingi.testing.factories import ClientSystemFactory, make_case


@pytest.fixture(autouse=True)
def _english(english_ui):
    """Assertions here compare English msgids (see english_ui in the root conftest)."""


@pytest.fixture
def full_case(sari, ratna):
    """Sari's case walked through every phase with the real services, now in Termination (closure pending)."""
    return build_full_case(sari, ratna)


@pytest.fixture
def case_of_size(sari):
    """A factory of cases holding `n` of everything (problems, ratings, goals, tasks, scores...)."""

    def make(n: int):
        case = make_case(worker=sari, client_system=ClientSystemFactory(created_by=sari, name=f"Klien {n}"))
        return populate(case, sari, n)

    return make


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the PDF rendering tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def fast_pdf(monkeypatch):
    """Skip WeasyPrint where only the response, the audit or the language matters: the documents handed
    to the PDF renderer are kept in the returned list (the PDF tests proper render for real)."""
    documents: list[str] = []

    def fake_render_pdf(html: str, *, base_url: str) -> bytes:
        documents.append(html)
        return b"%PDF-1.7 stub"

    monkeypatch.setattr("dampingi.summaries.views.render_pdf", fake_render_pdf)
    return documents
