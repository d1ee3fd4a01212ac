"""Building client records in tests the way the product does: through the services.

Other areas' tests may use these too (a registered individual or family to open cases on).
"""

import datetime

from dampingi.accounts.models import User
from dampingi.clients.models import ClientSystem, Sex
from dampingi.clients.services import client_system_register
from dampingi.regions.models import Region

# Siti, a girl born 12-03-2014 in Cileunyi: women add 40 to the day (52 = 12 + 40).
NIK_SITI = "3204055203140001"
SITI_BIRTH = datetime.date(2014, 3, 12)
# Her grandmother Enok, born 02-07-1950, and a boy, Rizki, born 05-01-2012, both from Cileunyi.
NIK_ENOK = "3204054207500002"
ENOK_BIRTH = datetime.date(1950, 7, 2)
NIK_RIZKI = "3204050501120003"
RIZKI_BIRTH = datetime.date(2012, 1, 5)
NO_KK_CILEUNYI = "3204051203100007"
VILLAGE = "32.04.05.2001"  # Cileunyi Kulon


def register_individual(
    *,
    actor: User,
    full_name: str = "Siti Aminah",
    nik: str | None = None,
    sex: str = Sex.FEMALE,
    birth_date: datetime.date | None = SITI_BIRTH,
    region_code: str | None = VILLAGE,
    **person,
) -> ClientSystem:
    member = {
        "full_name": full_name,
        "nik": nik,
        "sex": sex,
        "birth_date": birth_date,
        "region": Region.objects.get(code=region_code) if region_code else None,
        "relationship": "self",
        **person,
    }
    return client_system_register(actor=actor, kind=ClientSystem.Kind.INDIVIDUAL, members=[member])


def register_family(
    *, actor: User, no_kk: str = "", name: str = "", members: list[dict] | None = None, **system
) -> ClientSystem:
    members = members or [
        {"full_name": "Enok Suhaenah", "sex": Sex.FEMALE, "birth_date": ENOK_BIRTH, "relationship": "head"},
        {"full_name": "Siti Aminah", "sex": Sex.FEMALE, "birth_date": SITI_BIRTH, "relationship": "grandchild"},
    ]
    system.setdefault("region", Region.objects.get(code=VILLAGE))
    system.setdefault("address", "Kp. Cibodas RT 02/RW 05")
    return client_system_register(
        actor=actor, kind=ClientSystem.Kind.FAMILY, no_kk=no_kk, name=name, members=members, **system
    )
