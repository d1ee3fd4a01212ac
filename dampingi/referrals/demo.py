"""Demo partner accounts (LOCAL TRIAL ONLY): one user for each of two partner organisations.

Called by the demo seed (dampingi.demo) after the directory is loaded. The organisations are
found by name in the directory, or created with a minimal HSDS record when the directory has
none of that name; each gets an active service with capacity so that referrals can be sent.
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from dampingi.accounts.models import Role, User
from dampingi.referrals.models import PartnerStaff


@dataclass(frozen=True)
class DemoPartner:
    username: str
    first_name: str
    last_name: str
    organization: str
    organization_description: str
    service: str


DEMO_PARTNERS = [
    DemoPartner(
        "wulan",
        "Wulan",
        "Pertiwi",
        "Puskesmas Cileunyi",
        "Pusat kesehatan masyarakat Kecamatan Cileunyi",
        "Layanan gizi dan tumbuh kembang anak",
    ),
    DemoPartner(
        "bagus",
        "Bagus",
        "Hartono",
        "LBH Bandung",
        "Lembaga Bantuan Hukum Bandung",
        "Pendampingan hukum bagi anak dan perempuan",
    ),
]
DEMO_PARTNER_USERNAMES = [p.username for p in DEMO_PARTNERS]


def ensure_partner_accounts(*, password: str) -> list[User]:
    """Create (or update) the demo partner users and link each to its organisation. Idempotent."""
    from dampingi.directory.models import Organization, Service

    users = []
    with transaction.atomic():
        for spec in DEMO_PARTNERS:
            org = Organization.objects.filter(name=spec.organization).order_by("created_at").first()
            if org is None:
                org = Organization.objects.create(name=spec.organization, description=spec.organization_description)
            active = Service.objects.filter(organization=org, status=Service.Status.ACTIVE)
            if not active.filter(capacity=Service.Capacity.CAPACITY).exists():
                Service.objects.create(
                    organization=org,
                    name=spec.service,
                    status=Service.Status.ACTIVE,
                    capacity=Service.Capacity.CAPACITY,
                    last_verified_on=timezone.localdate(),
                )
            user, _created = User.objects.update_or_create(
                username=spec.username,
                defaults={
                    "first_name": spec.first_name,
                    "last_name": spec.last_name,
                    "role": Role.PARTNER,
                    "password": make_password(password),
                    "is_active": True,
                },
            )
            PartnerStaff.objects.update_or_create(user=user, defaults={"organization": org})
            users.append(user)
    return users
