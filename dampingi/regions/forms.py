"""Province → regency → district → village, chosen with dependent selects (HTMX)."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dampingi.regions.models import Region

LEVEL_LABELS = {
    1: _("Province"),
    2: _("Regency/city"),
    3: _("District"),
    4: _("Village"),
}


def chosen_chain(values: list[str]) -> list[str]:
    """Keep each level's code only while it lies inside the level above (changing a province clears the rest)."""
    chain: list[str] = []
    for level, code in enumerate(values, start=1):
        code = (code or "").strip()
        if not code or code.count(".") != level - 1:
            break
        if chain and not code.startswith(chain[-1] + "."):
            break
        chain.append(code)
    return chain


def region_levels(chain: list[str]) -> list[dict]:
    """The four selects: each level's options (children of the level above) and its choice."""
    parents = [None, *chain]
    levels = []
    for level in range(1, 5):
        parent = parents[level - 1] if level - 1 < len(parents) else None
        if level > 1 and parent is None:
            options = []
        else:
            options = list(Region.objects.filter(parent_id=parent, level=level).values_list("code", "name"))
        levels.append(
            {
                "level": level,
                "label": LEVEL_LABELS[level],
                "options": options,
                "selected": chain[level - 1] if level - 1 < len(chain) else "",
            }
        )
    return levels


class RegionSelectWidget(forms.Widget):
    template_name = "regions/region_select.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        code = value.pk if isinstance(value, Region) else (value or "")
        chain = Region(code=code).ancestor_codes() if code else []
        context["widget"]["levels"] = region_levels(chain)
        context["widget"]["url"] = reverse("regions:select")
        return context

    def value_from_datadict(self, data, files, name):
        chain = chosen_chain([data.get(f"{name}_{level}", "") for level in range(1, 5)])
        return chain[-1] if chain else data.get(name) or None

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}_{level}" in data for level in range(1, 5)) and name not in data


class RegionField(forms.ModelChoiceField):
    widget = RegionSelectWidget

    def __init__(self, *, min_level: int = 1, **kwargs):
        self.min_level = min_level
        kwargs.setdefault("queryset", Region.objects.all())
        super().__init__(**kwargs)

    def clean(self, value):
        region = super().clean(value)
        if region is not None and region.level < self.min_level:
            raise forms.ValidationError(
                _("Choose down to the %(level)s.") % {"level": str(LEVEL_LABELS[self.min_level]).lower()},
                code="region_too_coarse",
            )
        return region
