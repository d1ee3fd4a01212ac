"""Template helpers of the dashboards."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.filter
def case_url(pk: int) -> str:
    """The case page (cases:detail); the plain path if that page is not wired in this install."""
    try:
        return reverse("cases:detail", args=[pk])
    except NoReverseMatch:
        return f"/cases/{pk}/"
