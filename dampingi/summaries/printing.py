"""Turning the summary's HTML into a PDF with WeasyPrint, without touching the network.

The template carries its styles inline, so the PDF needs no stylesheet, font or image from
anywhere: `DataOnlyURLFetcher` refuses every URL except `data:` ones (an http(s), file or ftp
reference in a rendered document is never followed, whatever a user typed into a case file).

WeasyPrint draws an inline <svg> with the SVG's own style sheets only, not the document's;
`with_svg_styles` therefore puts the drawing rules (problem tree, line charts) inside each <svg>,
which browsers also honour.
"""

import re

import weasyprint
from weasyprint.urls import URLFetcher


class DataOnlyURLFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves `data:` URLs and refuses everything else.

    WeasyPrint logs a refused resource and leaves it out; `refused` keeps the URLs for the tests.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None):
        if not url.lower().startswith("data:"):
            self.refused.append(url)
            raise ValueError(f"Only data: URLs may be fetched while printing, not {url[:80]}")
        return super().fetch(url, headers)


def render_pdf(html: str, *, base_url: str, url_fetcher: URLFetcher | None = None) -> bytes:
    """The PDF of a standalone HTML document (styles inline); no URL but data: is fetched."""
    fetcher = url_fetcher if url_fetcher is not None else DataOnlyURLFetcher()
    return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()


# Drawing rules of the SVGs the summary includes (as in static/css/casework.css, with plain colours:
# custom properties do not reach inside an SVG drawn by WeasyPrint).
SVG_STYLE = """
.problem-tree-svg { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 12px; }
.problem-tree-svg .edge { fill: none; stroke: #5f6b7a; stroke-width: 1.4; }
.problem-tree-svg .edge.problem-problem { stroke: #1f4e8c; stroke-width: 2; }
.problem-tree-svg .edge.problem-problem.cycle { stroke-dasharray: 6 3; }
.problem-tree-svg marker.arrow path, .problem-tree-svg .arrow path { fill: #5f6b7a; }
.problem-tree-svg .node rect { stroke: #5f6b7a; stroke-width: 1; }
.problem-tree-svg .node text { fill: #1b1f24; font-weight: 400; }
.problem-tree-svg .node.cause rect { fill: #fff4e0; }
.problem-tree-svg .node.problem rect { fill: #e6eef8; }
.problem-tree-svg .node.effect rect { fill: #eef5e9; }
.problem-tree-svg .node.priority rect { fill: #fde8e8; stroke: #b3261e; stroke-width: 3; }
.problem-tree-svg .node.problem text { font-weight: 600; }
.problem-tree-svg .node .flag { font-size: 10px; fill: #b3261e; }
svg.chart { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 9px; }
svg.chart .axis { stroke: #1b1f24; stroke-width: 1; }
svg.chart .grid { stroke: #d0d5dc; stroke-width: .5; }
svg.chart .reference { stroke: #5f6b7a; stroke-width: 1; stroke-dasharray: 4 3; }
svg.chart text { fill: #5f6b7a; }
svg.chart .line { fill: none; stroke-width: 2; }
svg.chart .series-1 .line { stroke: #1f5f99; }
svg.chart .series-1 .point { fill: #1f5f99; }
svg.chart .series-2 .line { stroke: #b35c00; stroke-dasharray: 6 3; }
svg.chart .series-2 .point { fill: #b35c00; }
svg.chart .series-3 .line { stroke: #2e7d32; stroke-dasharray: 2 2; }
svg.chart .series-3 .point { fill: #2e7d32; }
"""

_SVG_OPEN = re.compile(r"(<svg\b[^>]*>)", re.IGNORECASE)


def with_svg_styles(html: str, css: str = SVG_STYLE) -> str:
    """`html` with `<style>css</style>` placed first inside each <svg> element."""
    return _SVG_OPEN.sub(lambda m: f"{m.group(1)}<style>{css}</style>", html)
