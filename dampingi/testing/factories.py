"""Factories and the persona cast shared by every app's tests and by the browser tests."""

import datetime
from dataclasses import dataclass

import factory
from django.utils import timezone

from dampingi.accounts.models import Role, Team, User
from dampingi.cases.models import Case, Programme
from dampingi.cases.reference import programmes_load
from dampingi.cases.services import case_open
from dampingi.clients.models import ClientSystem, Membership, Person, PPKSCategory, Sex
from dampingi.clients.reference import ppks_load
from dampingi.regions.models import Region
from dampingi.regions.services import regions_load

# Kabupaten Bandung (Cileunyi, Majalaya) and Kota Bandung: enough regions for every test.
TEST_REGION_PREFIXES = ["32.04.05", "32.04.33", "32.73.01"]
CILEUNYI = "32.04.05"
MAJALAYA = "32.04.33"
KAB_BANDUNG = "32.04"
VILLAGE_CILEUNYI_KULON = "32.04.05.2001"

PASSWORD = "dampingi-test-123"


def load_test_reference_data() -> None:
    if not Region.objects.filter(code=CILEUNYI).exists():
        regions_load(prefixes=TEST_REGION_PREFIXES)
    if not PPKSCategory.objects.exists():
        ppks_load()
    if not Programme.objects.exists():
        programmes_load()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="id_ID")
    last_name = factory.Faker("last_name", locale="id_ID")
    password = factory.django.Password(PASSWORD)
    role = Role.WORKER


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Tim {n}")
    region_id = KAB_BANDUNG


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Faker("name", locale="id_ID")
    sex = Sex.FEMALE
    birth_date = datetime.date(2014, 3, 12)
    region_id = VILLAGE_CILEUNYI_KULON


class ClientSystemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientSystem
        skip_postgeneration_save = True

    kind = ClientSystem.Kind.INDIVIDUAL
    name = factory.Faker("name", locale="id_ID")
    region_id = VILLAGE_CILEUNYI_KULON
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def with_person(self, create, extracted, **kwargs):
        if create and self.kind == ClientSystem.Kind.INDIVIDUAL and extracted is not False:
            person = PersonFactory(full_name=self.name)
            Membership.objects.create(client_system=self, person=person, relationship=Membership.Relationship.SELF)


def make_case(*, worker: User, client_system: ClientSystem | None = None, **overrides) -> Case:
    """Open a case through the real service, as a worker would."""
    team = overrides.pop("team", worker.team)
    params = {
        "client_system": client_system or ClientSystemFactory(created_by=worker),
        "programme": overrides.pop("programme", Programme.objects.order_by("name").first()),
        "presenting_problem": "Anak ditinggal orang tua, tinggal bersama nenek.",
        "referral_source": "government",
        "ppks": PPKSCategory.objects.get(slug="at"),
        "priority": "high",
        "assigned_worker": worker,
        "supervisor": team.supervisor,
        "team": team,
    }
    params.update(overrides)
    return case_open(actor=worker, opened_at=timezone.now(), **params)


@dataclass
class Cast:
    sari: User
    dedi: User
    ratna: User
    hendra: User
    yogi: User
    cileunyi: Team
    majalaya: Team

    @classmethod
    def create(cls) -> "Cast":
        ratna = UserFactory(username="ratna", first_name="Ratna", last_name="Dewi", role=Role.SUPERVISOR)
        cileunyi = TeamFactory(name="Tim Cileunyi", region_id=KAB_BANDUNG, supervisor=ratna)
        majalaya = TeamFactory(name="Tim Majalaya", region_id=KAB_BANDUNG, supervisor=ratna)
        return cls(
            sari=UserFactory(username="sari", first_name="Sari", last_name="Lestari", role=Role.WORKER, team=cileunyi),
            dedi=UserFactory(
                username="dedi", first_name="Dedi", last_name="Kurniawan", role=Role.WORKER, team=majalaya
            ),
            ratna=ratna,
            hendra=UserFactory(
                username="hendra", first_name="Hendra", last_name="Gunawan", role=Role.MANAGER, region_id=KAB_BANDUNG
            ),
            yogi=UserFactory(
                username="yogi",
                first_name="Yogi",
                last_name="Pratama",
                role=Role.ADMINISTRATOR,
                is_staff=True,
                is_superuser=True,
            ),
            cileunyi=cileunyi,
            majalaya=majalaya,
        )
