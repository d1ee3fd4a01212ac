"""Person-In-Environment (after Karls & Wandrei, NASW 1994), version 1, in the product's own wording.

Structure only: four factors; Factor I social-role problems (role, interaction problem type,
severity, duration, coping), Factor II environmental problems (system, problem, severity,
duration), Factors III and IV health (restricted). Indices run from 1 to 6.
"""

from django.utils.translation import gettext_lazy as _

ID = "pie"
VERSION = "1"
NAME = _("Person-In-Environment (PIE)")

INDEX_MIN = 1
INDEX_MAX = 6

SEVERITY = {
    1: _("no problem"),
    2: _("low"),
    3: _("moderate"),
    4: _("high"),
    5: _("very high"),
    6: _("catastrophic"),
}
# Higher means more recent.
DURATION = {
    1: _("more than 5 years"),
    2: _("1 to 5 years"),
    3: _("6 to 12 months"),
    4: _("1 to 6 months"),
    5: _("2 to 4 weeks"),
    6: _("less than 2 weeks"),
}
COPING = {
    1: _("outstanding"),
    2: _("above average"),
    3: _("adequate"),
    4: _("somewhat inadequate"),
    5: _("inadequate"),
    6: _("no coping skills"),
}

# Factor I: role group -> roles. Keys are stored; labels are shown.
ROLE_GROUPS = {
    "family": (
        _("Family roles"),
        {
            "parent": _("parent"),
            "spouse": _("spouse"),
            "child": _("child"),
            "sibling": _("sibling"),
            "other_family": _("other family member"),
            "significant_other": _("significant other"),
        },
    ),
    "interpersonal": (
        _("Other interpersonal roles"),
        {
            "lover": _("partner (lover)"),
            "friend": _("friend"),
            "neighbour": _("neighbour"),
            "member": _("member of a group"),
            "other_interpersonal": _("other interpersonal role"),
        },
    ),
    "occupational": (
        _("Occupational roles"),
        {
            "paid_worker": _("paid worker"),
            "home_worker": _("home worker"),
            "volunteer": _("volunteer"),
            "student": _("student"),
            "other_occupational": _("other occupational role"),
        },
    ),
    "special": (
        _("Special life situation roles"),
        {
            "consumer": _("consumer of services"),
            "inpatient": _("inpatient"),
            "outpatient": _("outpatient"),
            "probationer": _("on probation or parole"),
            "prisoner": _("prisoner"),
            "legal_immigrant": _("documented migrant"),
            "undocumented_immigrant": _("undocumented migrant"),
            "refugee": _("refugee"),
            "other_special": _("other special life situation"),
        },
    ),
}

PROBLEM_TYPES = {
    "power": _("power"),
    "ambivalence": _("ambivalence"),
    "responsibility": _("responsibility"),
    "dependency": _("dependency"),
    "loss": _("loss"),
    "isolation": _("isolation"),
    "victimisation": _("victimisation"),
    "mixed": _("mixed"),
    "other": _("other"),
}

# Factor II: system -> example problems (each system also allows "other").
SYSTEMS = {
    "economic": (
        _("Economic and basic needs"),
        {
            "lack_of_food": _("lack of food"),
            "no_shelter": _("no shelter"),
            "inadequate_shelter": _("inadequate housing"),
            "insufficient_income": _("insufficient income"),
            "unemployment": _("unemployment"),
            "other_economic": _("other economic or basic-needs problem"),
        },
    ),
    "education": (
        _("Education and training"),
        {
            "no_school_access": _("no access to school or training"),
            "dropped_out": _("left school early"),
            "other_education": _("other education problem"),
        },
    ),
    "judicial": (
        _("Judicial and legal"),
        {
            "no_legal_documents": _("no civil registration documents"),
            "no_legal_help": _("no access to legal help"),
            "other_judicial": _("other judicial or legal problem"),
        },
    ),
    "health_safety": (
        _("Health, safety and social services"),
        {
            "unsafe_home": _("unsafe home"),
            "unsafe_neighbourhood": _("unsafe neighbourhood"),
            "no_health_services": _("no access to health services"),
            "no_social_services": _("no access to social services"),
            "other_health_safety": _("other health, safety or social-service problem"),
        },
    ),
    "voluntary": (
        _("Voluntary association"),
        {
            "no_religious_group": _("no access to a religious community"),
            "no_community_group": _("no access to community groups"),
            "discrimination": _("discrimination"),
            "other_voluntary": _("other voluntary-association problem"),
        },
    ),
    "affective": (
        _("Affective support"),
        {
            "no_affectional_support": _("absence of affectional support"),
            "excessive_support": _("support that smothers or controls"),
            "other_affective": _("other affective-support problem"),
        },
    ),
}

FACTORS = {
    1: _("Factor I — social role problems"),
    2: _("Factor II — environmental problems"),
    3: _("Factor III — mental health"),
    4: _("Factor IV — physical health"),
}
# Factors III and IV hold health data: shown only to users who may work on the case, never in lists.
RESTRICTED_FACTORS = (3, 4)


def role_label(key: str) -> str:
    for _group_key, (_group, roles) in ROLE_GROUPS.items():
        if key in roles:
            return str(roles[key])
    return key


def role_group_of(key: str) -> str:
    for group_key, (_group, roles) in ROLE_GROUPS.items():
        if key in roles:
            return group_key
    raise KeyError(key)


def system_problem_label(key: str) -> str:
    for _system_key, (_system, problems) in SYSTEMS.items():
        if key in problems:
            return str(problems[key])
    return key


def system_of(key: str) -> str:
    for system_key, (_system, problems) in SYSTEMS.items():
        if key in problems:
            return system_key
    raise KeyError(key)


def role_choices() -> list:
    return [(group, [(k, v) for k, v in roles.items()]) for _key, (group, roles) in ROLE_GROUPS.items()]


def system_problem_choices() -> list:
    return [(system, [(k, v) for k, v in problems.items()]) for _key, (system, problems) in SYSTEMS.items()]


def index_choices(labels: dict) -> list:
    return [(n, f"{n} · {label}") for n, label in labels.items()]
