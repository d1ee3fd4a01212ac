"""The demo accounts (one per role, LOCAL TRIAL ONLY) and the teams they work in.

Teams of Dinas Sosial Kabupaten Bandung ("Tim Cileunyi", "Tim Majalaya", region 32.04) and a
few teams of other Dinas Sosial offices in Jawa Barat. Each team serves the villages of its
districts, chosen from the Region table (whatever subset of regions is loaded).
"""

import math
import random
import re
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from dampingi.accounts.models import Role, Team, User
from dampingi.demo import names
from dampingi.regions.models import Region

# LOCAL TRIAL ONLY: every demo account signs in with this password.
DEMO_PASSWORD = "dampingi-demo"
KAB_BANDUNG = "32.04"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: str
    team: str = ""
    region: str = ""
    description: str = ""


DEMO_ACCOUNTS = [
    DemoAccount(
        "sari",
        "Sari",
        "Lestari",
        Role.WORKER,
        team="Tim Cileunyi",
        description="social worker (Sakti Peksos), Tim Cileunyi",
    ),
    DemoAccount(
        "dedi",
        "Dedi",
        "Kurniawan",
        Role.WORKER,
        team="Tim Majalaya",
        description="social worker (pendamping), Tim Majalaya",
    ),
    DemoAccount("ratna", "Ratna", "Dewi", Role.SUPERVISOR, description="supervisor of Tim Cileunyi and Tim Majalaya"),
    DemoAccount(
        "hendra",
        "Hendra",
        "Gunawan",
        Role.MANAGER,
        region=KAB_BANDUNG,
        description="manager, Dinas Sosial Kabupaten Bandung (region 32.04)",
    ),
    DemoAccount("yogi", "Yogi", "Pratama", Role.ADMINISTRATOR, description="administrator (staff, superuser)"),
]
DEMO_USERNAMES = [a.username for a in DEMO_ACCOUNTS]


@dataclass(frozen=True)
class TeamSpec:
    name: str
    slug: str
    region: str  # the regency the team belongs to
    districts: tuple[str, ...]  # preferred districts; any village of the regency if none is loaded
    weight: float  # share of the demo population
    core: bool = False  # a team of the demo accounts (Kabupaten Bandung)


TEAM_SPECS = [
    TeamSpec(
        "Tim Cileunyi",
        "cileunyi",
        KAB_BANDUNG,
        ("32.04.05", "32.04.06", "32.04.07", "32.04.28", "32.04.08"),
        0.36,
        core=True,
    ),
    TeamSpec(
        "Tim Majalaya",
        "majalaya",
        KAB_BANDUNG,
        ("32.04.33", "32.04.34", "32.04.35", "32.04.36", "32.04.29", "32.04.30", "32.04.31"),
        0.32,
        core=True,
    ),
    TeamSpec(
        "Dinsos Kota Bandung — Tim Sukasari",
        "sukasari",
        "32.73",
        ("32.73.01", "32.73.02", "32.73.07", "32.73.08"),
        0.09,
    ),
    TeamSpec("Dinsos Kab. Garut — Tim Tarogong", "tarogong", "32.05", ("32.05.04", "32.05.05", "32.05.01"), 0.07),
    TeamSpec("Dinsos Kab. Bogor — Tim Cibinong", "cibinong", "32.01", ("32.01.01", "32.01.02", "32.01.03"), 0.06),
    TeamSpec("Dinsos Kab. Tasikmalaya — Tim Singaparna", "singaparna", "32.06", ("32.06.24",), 0.05),
    TeamSpec("Dinsos Kab. Cirebon — Tim Sumber", "sumber", "32.09", ("32.09.15",), 0.05),
]

# One worker for about this many client systems of the team; never fewer than MIN_WORKERS.
CLIENTS_PER_WORKER = 40
MIN_WORKERS = 4
MAX_WORKERS = 60


@dataclass(frozen=True)
class Village:
    code: str
    name: str
    district_code: str
    district_name: str
    regency_name: str


@dataclass
class DemoTeam:
    spec: TeamSpec
    team: Team
    supervisor: User
    workers: list[User]
    villages: list[Village]
    share: int = 0  # client systems of the bulk population
    extra: dict = field(default_factory=dict)


def demo_accounts_exist() -> bool:
    return User.objects.filter(username__in=DEMO_USERNAMES).exists()


def villages_for(spec: TeamSpec) -> list[Village]:
    """Villages of the team's districts that are loaded; else every loaded village of its regency."""
    qs = Region.objects.filter(level=Region.Level.VILLAGE)
    rows = list(qs.filter(parent_id__in=spec.districts).order_by("code").values_list("code", "name", "parent_id"))
    if not rows:
        rows = list(
            qs.filter(code__startswith=spec.region + ".").order_by("code").values_list("code", "name", "parent_id")
        )
    if not rows:
        return []
    district_codes = {r[2] for r in rows}
    labels = dict(Region.objects.filter(code__in=district_codes | {spec.region}).values_list("code", "name"))
    return [
        Village(code, name, parent, labels.get(parent, parent), labels.get(spec.region, spec.region))
        for code, name, parent in rows
    ]


def _username(first_name: str, slug: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z]", "", first_name.split(" ")[0].lower().replace("oe", "u")) or "peksos"
    candidate = f"{base}.{slug}"
    n = 2
    while candidate in taken:
        candidate = f"{base}{n}.{slug}"
        n += 1
    taken.add(candidate)
    return candidate


def _split_name(full_name: str) -> tuple[str, str]:
    parts = full_name.split(" ", 1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def _get_or_make_user(username: str, taken: set[str], **fields) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(username=username, **fields)
    taken.add(username)
    return user


def ensure_accounts(*, rng: random.Random, clients: int) -> tuple[list[DemoTeam], dict[str, User]]:
    """Create (or reuse) the teams and accounts for a population of `clients` client systems.

    Returns the teams that have villages loaded and the five demo accounts by username.
    """
    password_hash = make_password(DEMO_PASSWORD)  # hashed once, reused for every demo account
    taken = set(User.objects.values_list("username", flat=True))
    kab_bandung = Region.objects.filter(code=KAB_BANDUNG).first()
    accounts: dict[str, User] = {}

    ratna = _get_or_make_user(
        "ratna", taken, first_name="Ratna", last_name="Dewi", role=Role.SUPERVISOR, password=password_hash
    )
    accounts["ratna"] = ratna
    active_specs = [(spec, villages_for(spec)) for spec in TEAM_SPECS]
    active_specs = [(spec, villages) for spec, villages in active_specs if villages or spec.core]
    populated = [spec for spec, villages in active_specs if villages]
    total_weight = sum(spec.weight for spec in populated) or 1.0
    teams: list[DemoTeam] = []
    assigned = 0
    for spec, villages in active_specs:
        share = 0
        if villages:
            last = spec is populated[-1]
            share = clients - assigned if last else int(clients * spec.weight / total_weight)
            assigned += share
        region_id = spec.region if Region.objects.filter(code=spec.region).exists() else KAB_BANDUNG
        if spec.core:
            supervisor = ratna
        else:
            sex = rng.choice("MF")
            first, last = _split_name(names.person_name(rng, sex=sex, birth_year=rng.randint(1970, 1985)))
            supervisor = _get_or_make_user(
                f"supervisor.{spec.slug}",
                taken,
                first_name=first,
                last_name=last,
                role=Role.SUPERVISOR,
                password=password_hash,
            )
        team, _created = Team.objects.get_or_create(
            name=spec.name, defaults={"region_id": region_id, "supervisor": supervisor}
        )
        if team.supervisor_id is None:
            team.supervisor = supervisor
            team.save(update_fields=["supervisor"])
        workers: list[User] = []
        for account in DEMO_ACCOUNTS:
            if account.team == spec.name:
                user = _get_or_make_user(
                    account.username,
                    taken,
                    first_name=account.first_name,
                    last_name=account.last_name,
                    role=account.role,
                    team=team,
                    password=password_hash,
                )
                accounts[account.username] = user
                workers.append(user)
        wanted = min(MAX_WORKERS, max(MIN_WORKERS, math.ceil(share / CLIENTS_PER_WORKER)))
        existing = list(
            User.objects.filter(team=team, role=Role.WORKER).exclude(pk__in=[w.pk for w in workers]).order_by("pk")
        )
        workers.extend(existing[: max(0, wanted - len(workers))])
        new_workers = []
        while len(workers) + len(new_workers) < wanted:
            sex = rng.choice("MFF")
            first, last = _split_name(names.person_name(rng, sex=sex, birth_year=rng.randint(1982, 1999)))
            username = _username(first, spec.slug, taken)
            new_workers.append(
                User(
                    username=username,
                    first_name=first,
                    last_name=last,
                    role=Role.WORKER,
                    team=team,
                    password=password_hash,
                )
            )
        workers.extend(User.objects.bulk_create(new_workers, batch_size=500))
        teams.append(
            DemoTeam(spec=spec, team=team, supervisor=supervisor, workers=workers, villages=villages, share=share)
        )

    hendra = _get_or_make_user(
        "hendra",
        taken,
        first_name="Hendra",
        last_name="Gunawan",
        role=Role.MANAGER,
        region=kab_bandung,
        password=password_hash,
    )
    accounts["hendra"] = hendra
    for spec, villages in active_specs:
        if spec.core or not villages or not Region.objects.filter(code=spec.region).exists():
            continue
        sex = rng.choice("MF")
        first, last = _split_name(names.person_name(rng, sex=sex, birth_year=rng.randint(1968, 1980)))
        _get_or_make_user(
            f"manager.{spec.slug}",
            taken,
            first_name=first,
            last_name=last,
            role=Role.MANAGER,
            region_id=spec.region,
            password=password_hash,
        )
    accounts["yogi"] = _get_or_make_user(
        "yogi",
        taken,
        first_name="Yogi",
        last_name="Pratama",
        role=Role.ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
        password=password_hash,
    )
    return teams, accounts
