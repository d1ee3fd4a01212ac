import datetime
from xml.etree import ElementTree as ET

from django.utils import timezone

from dampingi.audit.models import AuditEvent
from dampingi.ecomaps.models import EcoMap, EcoSystem
from dampingi.ecomaps.services import ecomap_draw

SVG = "{http://www.w3.org/2000/svg}"


def today(days_ago: int = 0) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days_ago)


def system(name: str = "SDN 1 Cileunyi", **overrides) -> dict:
    data = {"name": name, "category": "school", "strength": "moderate", "stressful": False, "flow": "none", "note": ""}
    data.update(overrides)
    return data


def draw(case, actor, *systems: dict, drawn_on=None, note: str = "") -> EcoMap:
    return ecomap_draw(
        actor=actor,
        case=case,
        drawn_on=drawn_on or today(),
        note=note,
        systems=list(systems) or [system()],
    )


def counts() -> dict:
    return {
        "maps": EcoMap.objects.count(),
        "systems": EcoSystem.objects.count(),
        "audit_writes": AuditEvent.objects.exclude(action="case.view").count(),
    }


def form_data(*rows: dict, drawn_on=None, note: str = "", extra: int = 0, **more) -> dict:
    """The POST of the new-version page: the map fields and one formset row per dict (+ empty rows)."""
    data = {
        "drawn_on": (drawn_on or today()).isoformat() if not isinstance(drawn_on, str) else drawn_on,
        "note": note,
        "systems-TOTAL_FORMS": str(len(rows) + extra),
        "systems-INITIAL_FORMS": "0",
        "systems-MIN_NUM_FORMS": "0",
        "systems-MAX_NUM_FORMS": "40",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            if key == "stressful":
                if value:
                    data[f"systems-{i}-stressful"] = "on"
            elif value is not None:
                data[f"systems-{i}-{key}"] = value
    for i in range(len(rows), len(rows) + extra):
        data[f"systems-{i}-strength"] = "moderate"
        data[f"systems-{i}-flow"] = "none"
    data.update(more)
    return data


def parse_svg(html: str) -> ET.Element:
    """The first <svg> element of the HTML, parsed as XML (so it must be well-formed)."""
    start = html.index("<svg")
    end = html.index("</svg>", start) + len("</svg>")
    return ET.fromstring(html[start:end])


def classes(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())


def groups(root: ET.Element, css_class: str, *, within: str | None = None) -> list[ET.Element]:
    scope = root
    if within is not None:
        scope = next(g for g in root.iter(f"{SVG}g") if within in classes(g))
    return [g for g in scope.iter(f"{SVG}g") if css_class in classes(g)]
