import re

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from dampingi.regions.forms import chosen_chain, region_levels


@require_GET
def region_select(request):
    """Re-render the four dependent selects for the levels chosen so far (HTMX fragment)."""
    name = request.GET.get("name", "region")
    if not re.fullmatch(r"[\w-]{1,64}", name):
        name = "region"
    chain = chosen_chain([request.GET.get(f"{name}_{level}", "") for level in range(1, 5)])
    widget = {
        "name": name,
        "attrs": {"id": f"id_{name}"},
        "levels": region_levels(chain),
        "url": reverse("regions:select"),
    }
    response = render(request, "regions/region_select.html", {"widget": widget})
    response["Vary"] = "HX-Request"
    return response
