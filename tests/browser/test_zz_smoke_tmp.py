from dampingi.testing.factories import PASSWORD
from tests.browser.helpers import sign_in


def test_smoke(new_page, sari):
    page = new_page()
    sign_in(page, "sari", PASSWORD)
    print(page.url, page.locator("html").get_attribute("lang"))
    page.screenshot(path="/tmp/bt/home.png", full_page=True)
