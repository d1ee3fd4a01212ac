"""Partner personas and referral helpers.

Puskesmas Cileunyi (health) and LBH Bandung (legal aid) are two partner organisations of the
directory; `puskesmas_staff` and `lbh_staff` work for them. Sari's case (team Cileunyi) is the
one referred; Dedi (team Majalaya) is the outsider worker.
"""

import datetime

import pytest
from django.utils import timezone

from dampingi.accounts.models import Role
from dampingi.audit.models import AuditEvent
from dampingi.cases.models import Consent
from dampingi.directory.models import Organization, Service
from dampingi.referrals.models import PartnerStaff, Referral, ReferralEvent
from dampingi.referrals.services import referral_create
from dampingi.testing.cases import record_consent
from dampingi.testing.factories import ClientSystemFactory, UserFactory, make_case


@pytest.fixture(autouse=True)
def _english(english_ui):
    """Assertions here compare English msgids (see english_ui in the root conftest)."""


def make_partner(username: str, organization: Organization, **extra):
    user = UserFactory(username=username, role=Role.PARTNER, language="en", **extra)
    PartnerStaff.objects.create(user=user, organization=organization)
    return user


@pytest.fixture
def puskesmas(db):
    return Organization.objects.create(name="Puskesmas Cileunyi", description="Pusat kesehatan masyarakat")


@pytest.fixture
def lbh(db):
    return Organization.objects.create(name="LBH Bandung", description="Lembaga bantuan hukum")


@pytest.fixture
def gizi_service(puskesmas):
    return Service.objects.create(
        organization=puskesmas,
        name="Layanan gizi anak",
        status=Service.Status.ACTIVE,
        capacity=Service.Capacity.CAPACITY,
        last_verified_on=timezone.localdate() - datetime.timedelta(days=20),
    )


@pytest.fixture
def legal_service(lbh):
    return Service.objects.create(
        organization=lbh, name="Pendampingan hukum anak", status=Service.Status.ACTIVE, capacity="capacity"
    )


@pytest.fixture
def puskesmas_staff(cast, puskesmas):
    return make_partner("wulan", puskesmas, first_name="Wulan", last_name="Sari", email="wulan@puskesmas.test")


@pytest.fixture
def lbh_staff(cast, lbh):
    return make_partner("bagus", lbh, first_name="Bagus", last_name="Hartono")


@pytest.fixture
def referred_case(sari):
    """Sari's case, with a consent that covers sharing; the client has a NIK, phone and address on file."""
    client_system = ClientSystemFactory(created_by=sari, name="Putri Lestari")
    person = client_system.members.get()
    person.nik = "3204054203140001"
    person.phone = "081234567890"
    person.address = "Jl. Cibiru Hilir No. 7"
    person.disability = "sensory"
    person.disability_note = "low vision"
    person.save()
    case = make_case(worker=sari, client_system=client_system)
    record_consent(case, sari)
    return case


def sharing_consent(case) -> Consent:
    return Consent.objects.get(case=case, covers_sharing=True, withdrawn_on__isnull=True)


def future(days: int = 7) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def new_referral(case, service, actor, **overrides) -> Referral:
    params = {
        "reason": "Berat badan kurang, perlu pemeriksaan gizi.",
        "urgency": "urgent",
        "answer_by": future(),
        "consent_id": sharing_consent(case).pk,
    }
    params.update(overrides)
    return referral_create(actor=actor, case=case, service=service, **params)


@pytest.fixture
def draft(referred_case, gizi_service, sari):
    return new_referral(referred_case, gizi_service, sari)


@pytest.fixture
def sent(referred_case, gizi_service, sari):
    return new_referral(referred_case, gizi_service, sari, send=True)


def put_in_status(referral: Referral, status: str) -> Referral:
    """Put a referral in a status directly (tests only: real moves go through referral_move)."""
    now = timezone.now()
    fields = {"status": status}
    if status != "draft":
        fields["sent_at"] = referral.sent_at or now
    if status in ("completed", "failed"):
        fields["outcome"] = "Sudah diperiksa."
    if status == "rejected":
        fields["status_reason"] = "Di luar wilayah."
    Referral.objects.filter(pk=referral.pk).update(**fields)
    referral.refresh_from_db()
    return referral


def counts() -> tuple[int, int, int]:
    return Referral.objects.count(), ReferralEvent.objects.count(), AuditEvent.objects.count()
