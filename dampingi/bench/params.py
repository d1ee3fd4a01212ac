"""What the load generator asks for: real cases, names and NIKs from the benchmark database.

Names come from client systems Sari may see, in four forms: the exact name (lower case), a
spelling variant that name_key() unifies (Muhammad/Mohammad/Muhamad, Nur/Noor, old spelling
oe/dj/tj, a final y for i, ch for h), two words of a longer name, and a typo (two letters
swapped), which name_key() does not forgive: the results report how often each form finds
the client system on the first page.
"""

import random
import re

from django.contrib.auth import get_user_model

from dampingi.cases.permissions import cases_visible_to
from dampingi.clients.models import Membership
from dampingi.clients.selectors import client_systems_visible_to
from dampingi.demo.accounts import DEMO_PASSWORD

SAMPLE = 150
WORD_VARIANTS = {
    "muhammad": ["Mohammad", "Muhamad", "Mochammad", "Moh."],
    "mohammad": ["Muhammad", "Muhamad"],
    "muhamad": ["Muhammad", "Mohamad"],
    "nur": ["Noor", "Nurul"],
    "nurul": ["Nur"],
    "ahmad": ["Achmad", "Akhmad"],
    "achmad": ["Ahmad"],
}


def _case_of(word: str, template: str) -> str:
    return template.capitalize() if word[:1].isupper() else template.lower()


def spelling_variant(name: str, rng: random.Random) -> str | None:
    """Another way of writing the same name, one that name_key() maps to the same key."""
    words = name.split()
    options: list[tuple[int, str]] = []
    for i, word in enumerate(words):
        low = word.lower().rstrip(".")
        for alt in WORD_VARIANTS.get(low, []):
            options.append((i, alt))
        if "u" in low and not any(m in low for m in ("oe", "dj", "tj")):
            options.append((i, _case_of(word, low.replace("u", "oe", 1))))
        if low.startswith("j"):
            options.append((i, _case_of(word, "dj" + low[1:])))
        if len(low) > 3 and low.endswith("i"):
            options.append((i, _case_of(word, low[:-1] + "y")))
        m = re.search(r"([bdfgklmnprst])([aeiou])", low[1:])
        if m and len(low) > 3:
            at = m.start() + 1
            options.append((i, _case_of(word, low[:at] + low[at] + low[at:])))  # a doubled consonant
    if not options:
        return None
    i, alt = rng.choice(options)
    return " ".join(words[:i] + [alt] + words[i + 1 :])


def typo(name: str, rng: random.Random) -> str:
    words = name.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    word = words[i]
    if len(word) < 4:
        return name[:-1]
    at = rng.randint(1, len(word) - 3)
    words[i] = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return " ".join(words)


def name_queries(pairs: list[tuple[str, int]], rng: random.Random) -> list[dict]:
    """(full name, client system id) -> search requests of the four forms, in turn."""
    out = []
    for n, (full_name, system_id) in enumerate(pairs):
        form = ("variant", "exact", "partial", "typo")[n % 4]
        query = None
        if form == "variant":
            query = spelling_variant(full_name, rng)
        elif form == "partial" and len(full_name.split()) >= 3:
            query = " ".join(full_name.split()[1:3])
        elif form == "typo":
            query = typo(full_name, rng)
        if query is None:
            form, query = "exact", full_name.lower()
        out.append({"q": query, "kind": form, "expect": system_id, "name": full_name})
    return out


def request_params(*, seed: int, worker: str = "sari", supervisor: str = "ratna", manager: str = "hendra") -> dict:
    rng = random.Random(f"{seed}:bench-http")  # noqa: S311
    user = get_user_model().objects.get(username=worker)
    case_ids = list(
        cases_visible_to(user).filter(assigned_worker=user).order_by("-closed_at", "pk").values_list("pk", flat=True)
    )
    visible = client_systems_visible_to(user).values("pk")
    members = list(
        Membership.objects.filter(client_system__in=visible, client_system__kind__in=["individual", "family"])
        .order_by("pk")
        .values_list("person__full_name", "client_system_id", "person__nik")
    )
    named = rng.sample(members, min(SAMPLE, len(members)))
    with_nik = [m for m in members if m[2]]
    niks = rng.sample(with_nik, min(SAMPLE, len(with_nik)))
    return {
        "password": DEMO_PASSWORD,
        "worker": worker,
        "supervisor": supervisor,
        "manager": manager,
        "case_ids": case_ids[:200],
        "names": name_queries([(m[0], m[1]) for m in named], rng),
        "niks": [{"nik": m[2], "expect": m[1]} for m in niks],
    }


def dataset_facts(marker: dict, *, worker: str = "sari", supervisor: str = "ratna", manager: str = "hendra") -> dict:
    counts = marker.get("counts") or {}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[worker, supervisor, manager])}
    open_q = {"closed_at__isnull": True}
    return {
        "clients": marker["clients"],
        "seed": marker["seed"],
        "built_on": str(marker["built_on"])[:16],
        "build_s": marker.get("seconds"),
        "people": counts.get("clients_person"),
        "cases": counts.get("cases_case"),
        "phase_changes": counts.get("cases_phasetransition"),
        "notes": counts.get("cases_activitynote"),
        "timeline": (counts.get("cases_phasetransition") or 0) + (counts.get("cases_activitynote") or 0),
        "audit_events": counts.get("audit_auditevent"),
        "rows": sum(v for k, v in counts.items() if not k.startswith("timing_")),
        "build_timings": {k: v for k, v in counts.items() if k.startswith("timing_")},
        "worker_open_cases": cases_visible_to(users[worker]).filter(assigned_worker=users[worker], **open_q).count(),
        "supervisor_open_cases": cases_visible_to(users[supervisor]).filter(**open_q).count(),
        "manager_cases": cases_visible_to(users[manager]).count(),
    }
