import pytest

from dampingi.summaries.printing import DataOnlyURLFetcher, render_pdf, with_svg_styles

PIXEL = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.mark.parametrize(
    "url", ["http://example.com/style.css", "https://example.com/x.png", "file:///etc/passwd", "ftp://example.com/a"]
)
def test_fetcher_refuses_anything_but_data_urls(url):
    fetcher = DataOnlyURLFetcher()
    with pytest.raises(ValueError):
        fetcher(url)
    assert fetcher.refused == [url]


def test_fetcher_serves_data_urls():
    response = DataOnlyURLFetcher()(PIXEL)
    assert response.read().startswith(b"\x89PNG")


def test_rendering_never_reaches_the_network(no_network):
    fetcher = DataOnlyURLFetcher()
    html = (
        '<html><head><link rel="stylesheet" href="http://example.com/evil.css">'
        "<style>@import url(https://example.com/more.css); body { background: url(/relative.png); }</style></head>"
        f'<body><p>Isi</p><img src="http://example.com/track.png"><img src="{PIXEL}"></body></html>'
    )
    pdf = render_pdf(html, base_url="http://testserver/", url_fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert "http://example.com/evil.css" in fetcher.refused
    assert "http://example.com/track.png" in fetcher.refused
    assert "https://example.com/more.css" in fetcher.refused
    assert "http://testserver/relative.png" in fetcher.refused
    assert not any(url.startswith("data:") for url in fetcher.refused)


def test_svg_styles_are_put_inside_each_drawing():
    html = with_svg_styles('<p>a</p><svg viewBox="0 0 1 1"><g/></svg><SVG class="x">', css=".x{}")
    assert html == '<p>a</p><svg viewBox="0 0 1 1"><style>.x{}</style><g/></svg><SVG class="x"><style>.x{}</style>'
