"""What a new version starts with: the latest version, or the case's stakeholders and family."""

from dampingi.cases.models import Stakeholder
from dampingi.clients.models import Membership
from dampingi.ecomaps.selectors import prefill_systems, stakeholder_category
from dampingi.ecomaps.tests.helpers import draw, system
from dampingi.testing.casework import add_stakeholder
from dampingi.testing.clients import register_family
from dampingi.testing.factories import PersonFactory, make_case


def _stakeholder(case, name, kind, organisation="", role="pendamping"):
    return Stakeholder.objects.create(case=case, kind=kind, name=name, organisation=organisation, role=role)


def test_first_version_of_an_individual_lists_the_other_members_as_family_then_stakeholders(case):
    mother = PersonFactory(full_name="Ibu Ani")
    Membership.objects.create(client_system=case.client_system, person=mother, relationship="parent")
    teacher = add_stakeholder(case, "Bu Guru Yanti")
    rows, source = prefill_systems(case)
    assert source is None
    assert [(r["name"], r["category"]) for r in rows] == [("Ibu Ani", "family"), ("Bu Guru Yanti", "school")]
    assert rows[0]["person"] == mother.pk and rows[0]["note"] == "parent"
    assert rows[1]["stakeholder"] == teacher.pk and rows[1]["note"] == "wali kelas"
    assert all(r["strength"] == "moderate" and r["flow"] == "none" and not r["stressful"] for r in rows)


def test_first_version_of_a_family_lists_nothing_of_the_household(sari):
    family = register_family(actor=sari, name="Keluarga Enok")
    case = make_case(worker=sari, client_system=family)
    _stakeholder(case, "Pak Kades", Stakeholder.Kind.GOVERNMENT, organisation="Desa Cileunyi Kulon")
    rows, _ = prefill_systems(case)
    assert [r["name"] for r in rows] == ["Desa Cileunyi Kulon (Pak Kades)"]
    assert rows[0]["category"] == "government"


def test_later_versions_start_from_the_latest_as_it_was(case, sari):
    add_stakeholder(case, "Bu Guru Yanti")
    draw(case, sari, system("Puskesmas", category="health"))
    latest = draw(
        case,
        sari,
        system("Pinjol", category="online", strength="tenuous", stressful=True, flow="from_client", note="x"),
    )
    rows, source = prefill_systems(case)
    assert source == latest
    assert rows == [
        {
            "name": "Pinjol",
            "category": "online",
            "strength": "tenuous",
            "stressful": True,
            "flow": "from_client",
            "note": "x",
            "stakeholder": None,
            "person": None,
        }
    ]


def test_the_kind_of_a_stakeholder_is_guessed_from_its_words(case):
    kinds = Stakeholder.Kind
    assert stakeholder_category(_stakeholder(case, "dr. Rina", kinds.OTHER, "Puskesmas Cileunyi")) == "health"
    assert stakeholder_category(_stakeholder(case, "Pak Ujang", kinds.GOVERNMENT, "Dinas Sosial Kab. Bandung")) == (
        "welfare"
    )
    assert stakeholder_category(_stakeholder(case, "Ketua", kinds.COMMUNITY, "Karang Taruna")) == "community"
    assert stakeholder_category(_stakeholder(case, "Ustadz Hasan", kinds.OTHER, "Masjid Al-Ikhlas")) == "religion"
    assert stakeholder_category(_stakeholder(case, "Bu Tini", kinds.FAMILY, "Sekolah")) == "family"
    assert stakeholder_category(_stakeholder(case, "Pak Budi", kinds.OTHER)) == "other"
