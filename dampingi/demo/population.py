"""A synthetic population of client systems: individuals, families, groups and communities.

About 60% individuals, 30% families (2–7 members with a head, relationships and a No. KK),
7% groups and 3% communities. People get Indonesian names, a NIK consistent with their
birth date, sex and district (most were registered where they live, some elsewhere:
people move), an address in a village from the Region table, PPKS categories that fit
their age and the kind of client system, and sometimes a disability.

Everything here is built in memory from a seeded random generator; nothing touches the
database, so the same seed always gives the same people.
"""

import datetime
import random
from dataclasses import dataclass, field

from dampingi.accounts.models import User
from dampingi.clients.models import ClientSystem, Disability, Membership, Person
from dampingi.clients.services import family_default_name
from dampingi.demo import names
from dampingi.demo.accounts import Village
from dampingi.demo.identity import SerialBook, make_nik, make_no_kk
from dampingi.demo.texts import PPKS_THEME

KAMPUNG = (
    "Babakan",
    "Cikoneng",
    "Sukamaju",
    "Cibiru Tonggoh",
    "Pasirlaja",
    "Cijambe",
    "Legok",
    "Ciherang",
    "Sukamanah",
    "Bojong",
    "Cipadung",
    "Sindangsari",
    "Tegallega",
    "Cibodas",
    "Rancakasumba",
    "Pangauban",
    "Cigentur",
    "Sawah Lega",
    "Pasirjati",
    "Margamulya",
    "Cisalak",
    "Leuwi Bandung",
    "Ciburial",
    "Kaum",
    "Pasantren",
    "Sukarame",
    "Cimuncang",
    "Neglasari",
    "Parakan",
    "Tanjungsari",
)
STREETS = (
    "Raya {district}",
    "Desa {village}",
    "Sukajadi",
    "Pendidikan",
    "Masjid Al-Ikhlas",
    "Pesantren",
    "Manglayang",
    "Merdeka",
    "Pahlawan",
    "Cagak",
    "Babakan Sari",
    "Kebon Kopi",
    "Sawah",
    "Pasar Lama",
)
FLOWERS = ("Mawar", "Melati", "Kenanga", "Anggrek", "Flamboyan", "Dahlia", "Cempaka", "Teratai")
HOUSING = ("Griya Asri", "Bumi Harapan", "Permata Biru", "Cibiru Indah", "Bumi Orange", "Gading Tutuka")

KIND_WEIGHTS = [
    (ClientSystem.Kind.INDIVIDUAL, 60),
    (ClientSystem.Kind.FAMILY, 30),
    (ClientSystem.Kind.GROUP, 7),
    (ClientSystem.Kind.COMMUNITY, 3),
]

# PPKS fitting an individual's age (and sex for adults): (slug, weight).
PPKS_UNDER_6 = [("abt", 40), ("adk", 20), ("akte", 20), ("ampk", 20)]
PPKS_CHILD = [("at", 30), ("abh", 12), ("aj", 10), ("adk", 12), ("akte", 18), ("ampk", 10), ("trf", 2)]
PPKS_ADULT_MALE = [
    ("pd", 15),
    ("gel", 6),
    ("pgm", 5),
    ("pml", 8),
    ("bwblp", 8),
    ("odha", 3),
    ("napza", 10),
    ("ktk", 3),
    ("pmbs", 8),
    ("fm", 30),
    ("km", 1),
    ("trf", 2),
]
PPKS_ADULT_FEMALE = [
    ("pd", 12),
    ("prse", 20),
    ("ts", 3),
    ("ktk", 15),
    ("trf", 5),
    ("pmbs", 12),
    ("fm", 25),
    ("odha", 3),
    ("napza", 2),
    ("pml", 3),
    ("km", 1),
]
PPKS_OLDER = [("lut", 60), ("pd", 15), ("fm", 20), ("gel", 5)]
PPKS_FAMILY = [("fm", 45), ("kbsp", 35), ("kba", 12), ("kbs", 5), ("prse", 3)]
PPKS_GROUP = [
    ("kba", 25),
    ("fm", 25),
    ("lut", 12),
    ("pd", 12),
    ("prse", 10),
    ("napza", 7),
    ("kbs", 5),
    ("odha", 3),
    ("km", 1),
]
PPKS_COMMUNITY = [("kba", 55), ("kbs", 15), ("fm", 20), ("kat", 10)]

DISABILITY_NOTES = {
    Disability.PHYSICAL: (
        "Kaki kanan diamputasi setelah kecelakaan kerja",
        "Lumpuh layuh sejak kecil (polio)",
        "Stroke, lumpuh sebagian sisi kiri",
        "Cerebral palsy",
    ),
    Disability.INTELLECTUAL: ("Down syndrome", "Disabilitas intelektual sedang"),
    Disability.MENTAL: ("Skizofrenia, berobat di RSJ Cisarua", "Gangguan bipolar, kontrol di puskesmas"),
    Disability.SENSORY: ("Tunanetra sejak lahir", "Tunarungu-wicara", "Low vision akibat katarak"),
    Disability.MULTIPLE: ("Tunarungu dan disabilitas intelektual",),
}


def weighted(rng: random.Random, pairs):
    return rng.choices([p for p, _w in pairs], weights=[w for _p, w in pairs])[0]


@dataclass
class ClientBundle:
    """One client system with its people, before anything is written."""

    system: ClientSystem
    village: Village
    persons: list[Person] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    ppks: list[str] = field(default_factory=list)
    main: Person | None = None
    main_age: int | None = None
    call_name: str = ""
    guardian_name: str = ""
    guardian_relation: str = ""
    size_note: str = ""

    @property
    def theme(self) -> str:
        return PPKS_THEME[self.ppks[0]]


@dataclass
class PopulationContext:
    rng: random.Random
    anchor: datetime.date  # ages are computed on this day (1 January of the current year)
    nik_book: SerialBook
    kk_book: SerialBook
    other_districts: list[str]  # where people who moved were first registered

    def birth_date(self, age: int) -> datetime.date:
        return self.anchor - datetime.timedelta(days=age * 365 + age // 4 + self.rng.randrange(1, 365))

    def age(self, birth_date: datetime.date) -> int:
        a = self.anchor
        return a.year - birth_date.year - ((a.month, a.day) < (birth_date.month, birth_date.day))


def address(rng: random.Random, village: Village) -> str:
    rt, rw = rng.randint(1, 9), rng.randint(1, 15)
    roll = rng.random()
    if roll < 0.45:
        return f"Kp. {rng.choice(KAMPUNG)} RT {rt:02d}/RW {rw:02d}"
    if roll < 0.75:
        street = rng.choice(STREETS).format(district=village.district_name, village=village.name)
        return f"Jl. {street} No. {rng.randint(1, 120)} RT {rt:02d}/RW {rw:02d}"
    if roll < 0.9:
        return f"Gg. {rng.choice(FLOWERS)} No. {rng.randint(1, 40)} RT {rt:02d}/RW {rw:02d}"
    return f"Perum {rng.choice(HOUSING)} Blok {rng.choice('ABCDEFG')}{rng.randint(1, 12)} No. {rng.randint(1, 30)}"


def make_person(
    ctx: PopulationContext,
    village: Village,
    *,
    sex: str,
    age: int,
    home: str,
    nik_rate: float = 0.95,
    disability_rate: float = 0.0,
    disability: str | None = None,
    name: str | None = None,
) -> Person:
    rng = ctx.rng
    birth_date = ctx.birth_date(age)
    full_name = name or names.person_name(rng, sex=sex, birth_year=birth_date.year)
    nik = None
    if rng.random() < nik_rate:
        district = (
            village.district_code if rng.random() < 0.88 or not ctx.other_districts else rng.choice(ctx.other_districts)
        )
        nik = make_nik(ctx.nik_book, district_code=district, birth_date=birth_date, sex=sex)
    kind = disability
    if kind is None and rng.random() < disability_rate:
        kind = rng.choice([d for d in Disability.values if d])
    return Person(
        full_name=full_name,
        nik=nik,
        sex=sex,
        birth_date=birth_date,
        birth_place=rng.choice(names.BIRTH_PLACES) if rng.random() < 0.9 else village.regency_name.split(" ")[-1],
        phone=names.phone_number(rng) if age >= 17 and rng.random() < 0.7 else "",
        address=home,
        region_id=village.code,
        disability=kind or "",
        disability_note=rng.choice(DISABILITY_NOTES[kind]) if kind else "",
    )


def _member(bundle: ClientBundle, person: Person, relationship: str, *, head: bool = False) -> None:
    bundle.persons.append(person)
    bundle.memberships.append(
        Membership(client_system=bundle.system, person=person, relationship=relationship, is_head=head)
    )


def _individual(ctx: PopulationContext, village: Village, creator: User) -> ClientBundle:
    rng = ctx.rng
    band = weighted(rng, [("under6", 10), ("child", 27), ("adult", 40), ("older", 23)])
    sex = rng.choice("MF")
    if band == "under6":
        age, pool = rng.randint(0, 5), PPKS_UNDER_6
    elif band == "child":
        age, pool = rng.randint(6, 17), PPKS_CHILD
    elif band == "adult":
        age, pool = rng.randint(18, 59), PPKS_ADULT_FEMALE if sex == "F" else PPKS_ADULT_MALE
    else:
        age, pool = rng.randint(60, 92), PPKS_OLDER
    slug = weighted(rng, pool)
    if slug in ("prse", "ts") and sex == "M":
        sex = "F"
    home = address(rng, village)
    disability = None
    if slug in ("pd", "adk"):
        disability = rng.choice([d for d in Disability.values if d])
    nik_rate = 0.55 if slug in ("aj", "gel", "pgm") else (0.8 if age < 1 else 0.95)
    person = make_person(
        ctx,
        village,
        sex=sex,
        age=age,
        home=home,
        nik_rate=nik_rate,
        disability=disability,
        disability_rate=0.15 if age >= 60 else 0.04,
    )
    system = ClientSystem(
        kind=ClientSystem.Kind.INDIVIDUAL,
        name=person.full_name,
        address=home,
        region_id=village.code,
        created_by=creator,
    )
    bundle = ClientBundle(system=system, village=village, main=person, main_age=age)
    _member(bundle, person, Membership.Relationship.SELF)
    bundle.ppks = [slug]
    if slug not in ("fm",) and rng.random() < 0.2:
        bundle.ppks.append("fm")
    if age >= 60 and person.disability and "pd" not in bundle.ppks:
        bundle.ppks.append("pd")
    bundle.call_name = names.short_call_name(person.full_name, sex=sex, age=age)
    if age < 18:
        # A child's consent comes from a parent or guardian (recorded as a stakeholder of the case;
        # an individual client system has exactly one member).
        relation, guardian_sex, guardian_age = rng.choice(
            [
                ("parent", "F", age + rng.randint(19, 38)),
                ("parent", "M", age + rng.randint(21, 42)),
                ("grandparent", "F", age + rng.randint(40, 62)),
                ("relative", rng.choice("MF"), age + rng.randint(18, 40)),
            ]
        )
        bundle.guardian_name = names.person_name(rng, sex=guardian_sex, birth_year=ctx.anchor.year - guardian_age)
        bundle.guardian_relation = relation
    return bundle


def _family(ctx: PopulationContext, village: Village, creator: User) -> ClientBundle:
    rng = ctx.rng
    size = weighted(rng, [(2, 10), (3, 20), (4, 28), (5, 22), (6, 12), (7, 8)])
    home = address(rng, village)
    female_head = rng.random() < 0.15
    head_age = rng.randint(26, 66)
    head = make_person(
        ctx, village, sex="F" if female_head else "M", age=head_age, home=home, nik_rate=0.98, disability_rate=0.05
    )
    issued = ctx.anchor - datetime.timedelta(days=rng.randint(60, 5500))
    system = ClientSystem(
        kind=ClientSystem.Kind.FAMILY,
        name=family_default_name(head.full_name),
        address=home,
        region_id=village.code,
        created_by=creator,
        no_kk=make_no_kk(ctx.kk_book, district_code=village.district_code, issued_on=issued) or "",
    )
    bundle = ClientBundle(system=system, village=village, main=head, main_age=head_age)
    _member(bundle, head, Membership.Relationship.HEAD, head=True)
    remaining = size - 1
    mother_age = head_age
    if not female_head and remaining > 0 and rng.random() < 0.9:
        spouse_age = max(18, head_age - rng.randint(0, 8))
        mother_age = spouse_age
        _member(
            bundle,
            make_person(ctx, village, sex="F", age=spouse_age, home=home, nik_rate=0.98),
            Membership.Relationship.SPOUSE,
        )
        remaining -= 1
    if remaining >= 3 and rng.random() < 0.2:
        elder_age = min(92, head_age + rng.randint(20, 30))
        _member(
            bundle,
            make_person(ctx, village, sex=rng.choice("MFF"), age=elder_age, home=home, disability_rate=0.2),
            rng.choice([Membership.Relationship.PARENT, Membership.Relationship.PARENT_IN_LAW]),
        )
        remaining -= 1
    oldest_child = max(0, mother_age - 19)
    for _i in range(remaining):
        if oldest_child <= 0 or (head_age > 50 and rng.random() < 0.15):
            _member(
                bundle,
                make_person(ctx, village, sex=rng.choice("MF"), age=rng.randint(0, 8), home=home, nik_rate=0.85),
                Membership.Relationship.GRANDCHILD,
            )
            continue
        child_age = rng.randint(0, min(oldest_child, 24))
        relation = weighted(
            rng,
            [
                (Membership.Relationship.CHILD, 92),
                (Membership.Relationship.STEPCHILD, 5),
                (Membership.Relationship.ADOPTED_CHILD, 3),
            ],
        )
        _member(
            bundle,
            make_person(
                ctx, village, sex=rng.choice("MF"), age=child_age, home=home, nik_rate=0.9, disability_rate=0.03
            ),
            relation,
        )
    slug = weighted(rng, PPKS_FAMILY)
    if slug == "prse" and not female_head:
        slug = "fm"
    bundle.ppks = [slug] + (["fm"] if slug in ("kbsp", "kba") and rng.random() < 0.3 else [])
    bundle.call_name = f"keluarga {names.short_call_name(head.full_name, sex=head.sex, age=head_age)}"
    bundle.size_note = f"{size} orang"
    system.description = f"Keluarga {size} orang dalam satu KK; kepala keluarga {head.full_name}."
    return bundle


GROUP_NAMES = {
    "kba": "Kelompok Ibu Penyintas Banjir {village}",
    "kbs": "Kelompok Warga Terdampak Konflik Lahan {village}",
    "fm": "KUBE {flower} {village}",
    "lut": "Kelompok Lansia Sehat Bahagia {village}",
    "pd": "Kelompok Difabel Mandiri {district}",
    "prse": "Kelompok Perempuan Prasejahtera {village}",
    "napza": "Kelompok Dukungan Pemulihan {district}",
    "odha": "Kelompok Dukungan Sebaya {district}",
    "km": "Kelompok Warga {village} (pendampingan khusus)",
}


def _group(ctx: PopulationContext, village: Village, creator: User) -> ClientBundle:
    rng = ctx.rng
    slug = weighted(rng, PPKS_GROUP)
    home = address(rng, village)
    name = GROUP_NAMES[slug].format(
        village=village.name,
        district=village.district_name,
        flower=rng.choice(FLOWERS + ("Sauyunan", "Mekar Sari", "Maju Bersama")),
    )
    system = ClientSystem(
        kind=ClientSystem.Kind.GROUP, name=name[:150], address=home, region_id=village.code, created_by=creator
    )
    bundle = ClientBundle(system=system, village=village)
    size = rng.randint(4, 10)
    for i in range(size):
        sex = "F" if slug in ("kba", "prse") else rng.choice("MF")
        age = rng.randint(60, 85) if slug == "lut" else rng.randint(20, 58)
        person = make_person(
            ctx,
            village,
            sex=sex,
            age=age,
            home=address(rng, village),
            disability=rng.choice([d for d in Disability.values if d]) if slug == "pd" else None,
        )
        _member(bundle, person, Membership.Relationship.CONTACT if i == 0 else Membership.Relationship.MEMBER)
        if i == 0:
            bundle.main, bundle.main_age = person, age
    bundle.ppks = [slug]
    bundle.call_name = "anggota kelompok"
    bundle.size_note = f"{size} anggota"
    system.description = f"Kelompok dengan {size} anggota terdaftar; ketua: {bundle.main.full_name}."
    return bundle


def _community(ctx: PopulationContext, village: Village, creator: User) -> ClientBundle:
    rng = ctx.rng
    slug = weighted(rng, PPKS_COMMUNITY)
    kampung = rng.choice(KAMPUNG)
    if slug == "kat":
        name = f"Komunitas Adat Kampung {kampung} Girang, Desa {village.name}"
    elif rng.random() < 0.5:
        name = f"Warga Kampung {kampung}, Desa {village.name}"
    else:
        name = f"Warga RW {rng.randint(1, 15):02d} Desa {village.name}"
    households = rng.randint(35, 260)
    system = ClientSystem(
        kind=ClientSystem.Kind.COMMUNITY,
        name=name[:150],
        address=f"Kp. {kampung}",
        region_id=village.code,
        created_by=creator,
        description=f"Sekitar {households} KK; tokoh penghubung: ketua RW.",
    )
    bundle = ClientBundle(system=system, village=village)
    contact = make_person(
        ctx, village, sex=rng.choice("MMF"), age=rng.randint(35, 65), home=address(rng, village), nik_rate=1.0
    )
    _member(bundle, contact, Membership.Relationship.CONTACT)
    bundle.main, bundle.main_age = contact, None
    bundle.ppks = [slug]
    bundle.call_name = "warga"
    bundle.size_note = f"{households} KK"
    return bundle


BUILDERS = {
    ClientSystem.Kind.INDIVIDUAL: _individual,
    ClientSystem.Kind.FAMILY: _family,
    ClientSystem.Kind.GROUP: _group,
    ClientSystem.Kind.COMMUNITY: _community,
}


def build_client(ctx: PopulationContext, village: Village, creator: User) -> ClientBundle:
    kind = weighted(ctx.rng, KIND_WEIGHTS)
    return BUILDERS[kind](ctx, village, creator)
