"""`{% svgstyled %}…{% endsvgstyled %}`: the enclosed drawings carry their own style rules (see printing.py)."""

from django import template
from django.utils.safestring import mark_safe

from dampingi.summaries.printing import with_svg_styles

register = template.Library()


class SvgStyledNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        # The enclosed output is already escaped by the templates that produced it.
        return mark_safe(with_svg_styles(self.nodelist.render(context)))  # noqa: S308


@register.tag("svgstyled")
def do_svgstyled(parser: template.base.Parser, token: template.base.Token) -> SvgStyledNode:
    nodelist = parser.parse(("endsvgstyled",))
    parser.delete_first_token()
    return SvgStyledNode(nodelist)
