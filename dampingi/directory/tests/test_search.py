"""services_search and service_for_referral (used by the referral app)."""

import pytest
from django.http import Http404

from dampingi.directory.models import Service, TaxonomyTerm
from dampingi.directory.selectors import service_for_referral, services_search
from dampingi.directory.taxonomy_data import PSKS, SECTORS, load_reference_taxonomy, ref_id
from dampingi.directory.tests.helpers import make_service

CILEUNYI, MAJALAYA, KOTA = "32.04.05", "32.04.33", "32.73.01"


def names(qs):
    return [s.name for s in qs]


def test_reference_taxonomy_is_loaded_bilingual_and_the_loader_is_idempotent():
    from django.apps import apps

    count = TaxonomyTerm.objects.count()
    assert count == len(SECTORS) + len(PSKS)
    health = TaxonomyTerm.objects.get(code="sector.health")
    assert (health.name, health.indonesian_name) == ("Health", "Kesehatan")
    assert TaxonomyTerm.objects.get(code="psks.tksk").indonesian_name.startswith("Tenaga Kesejahteraan Sosial")
    load_reference_taxonomy(apps)
    assert TaxonomyTerm.objects.count() == count
    assert TaxonomyTerm.objects.get(pk=ref_id("sector.health")).code == "sector.health"


def test_search_by_need_accepts_code_uuid_or_term():
    make_service("Puskesmas umum", terms=["sector.health"])
    make_service("LBH", terms=["sector.legal-aid"])
    make_service("LKS anak", terms=["sector.child-protection", "psks.lks"])
    assert names(services_search(need="sector.health")) == ["Puskesmas umum"]
    assert names(services_search(need=str(ref_id("psks.lks")))) == ["LKS anak"]
    assert names(services_search(need=TaxonomyTerm.objects.get(code="sector.legal-aid"))) == ["LBH"]
    assert names(services_search(need="sector.unknown")) == []


def test_search_by_region_finds_locations_inside_and_areas_covering_it():
    make_service("Di Cileunyi", region=CILEUNYI)
    make_service("Di Majalaya", region=MAJALAYA)
    make_service("Di kota", region=KOTA)
    make_service("Seluruh kabupaten", area="32.04")
    make_service("Area Cileunyi", area=CILEUNYI)
    assert names(services_search(region_code=CILEUNYI)) == ["Area Cileunyi", "Di Cileunyi", "Seluruh kabupaten"]
    assert names(services_search(region_code="32.04")) == [
        "Area Cileunyi",
        "Di Cileunyi",
        "Di Majalaya",
        "Seluruh kabupaten",
    ]
    assert names(services_search(region_code="32.73")) == ["Di kota"]


def test_region_prefix_does_not_match_a_longer_sibling_code():
    make_service("Di 32.04.05", region=CILEUNYI)
    assert names(services_search(region_code="32.04.0")) == []


def test_search_by_name_is_case_insensitive_and_ranked():
    make_service("Layanan konseling keluarga")
    make_service("Konseling")
    make_service("Konseling remaja")
    make_service("Posyandu")
    assert names(services_search(q="konseling")) == ["Konseling", "Konseling remaja", "Layanan konseling keluarga"]


def test_criteria_combine_and_defunct_services_are_left_out():
    make_service("Puskesmas Cileunyi", terms=["sector.health"], region=CILEUNYI)
    make_service("Puskesmas Majalaya", terms=["sector.health"], region=MAJALAYA)
    make_service("Puskesmas lama", terms=["sector.health"], region=CILEUNYI, status="defunct")
    make_service("Sekolah Cileunyi", terms=["sector.education"], region=CILEUNYI)
    assert names(services_search(need="sector.health", region_code=CILEUNYI, q="puskesmas")) == ["Puskesmas Cileunyi"]


def test_service_for_referral_returns_active_services_only():
    active = make_service("Aktif")
    closed = make_service("Tutup sementara", status=Service.Status.TEMPORARILY_CLOSED)
    assert service_for_referral(active.pk) == active
    assert service_for_referral(str(active.pk)).organization.name == "Org Aktif"
    for pk in (closed.pk, "9b2c1f3e-0000-4000-8000-000000000000", "not-a-uuid"):
        with pytest.raises(Http404):
            service_for_referral(pk)


def test_terms_show_their_indonesian_name_in_the_indonesian_ui():
    from django.utils import translation

    term = TaxonomyTerm.objects.get(code="sector.legal-aid")
    with translation.override("id"):
        assert term.display_name == "Bantuan hukum"
    with translation.override("en"):
        assert term.display_name == "Legal aid"
