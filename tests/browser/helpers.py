"""Steps shared by the browser journeys.

Selectors go by form action, field name, id and href rather than by visible text, so that the
journeys run unchanged in Indonesian and English while the translations are being written.
Where a test checks wording, it asks Django's own catalogue for the expected text (`translated`).
"""

import re

from django.utils import translation
from django.utils.functional import Promise
from playwright.sync_api import Locator, Page, expect

INVALID_VARIABLE = "INVALID_TEMPLATE_VARIABLE"


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def sign_out(page: Page) -> None:
    """Use the header's sign-out button; Django sends the user back to the sign-in page."""
    with page.expect_navigation():
        page.click("header form[action='/accounts/logout/'] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def translated(language: str, message: str | Promise, **params) -> str:
    """`message` (a msgid or a lazy label) as the UI shows it in `language`: from the compiled catalogue,
    or the English msgid while a translation is missing."""
    with translation.override(language):
        text = str(message) if isinstance(message, Promise) else translation.gettext(message)
        return text % {k: str(v) for k, v in params.items()} if params else text


def page_errors(page: Page) -> list[str]:
    return [text.strip() for text in page.locator(".form-errors, .field-error").all_inner_texts()]


def assert_page_clean(page: Page) -> None:
    """No form error and no broken template variable on the page the user now sees."""
    errors = page_errors(page)
    assert not errors, f"{page.url} shows errors: {errors}"
    assert INVALID_VARIABLE not in page.content(), f"{page.url} renders an invalid template variable"


def reveal(form: Locator) -> Locator:
    """Open the closed <details> around a form by clicking their summaries, outermost first, as a user would."""
    for _ in range(4):
        if form.is_visible():
            return form
        form.locator("xpath=ancestor::details[not(@open)][last()]/summary").click()
    expect(form).to_be_visible()
    return form


def submit(form: Locator, button: str = "button[type=submit]") -> None:
    """Press the form's (first) submit button and wait for the page the server answers with."""
    page = form.page
    with page.expect_navigation():
        form.locator(button).first.click()


def submit_clean(form: Locator, button: str = "button[type=submit]") -> None:
    submit(form, button)
    assert_page_clean(form.page)


def current_phase(page: Page) -> str:
    """The phase the phase bar marks as current (its link points at the phase's section)."""
    href = page.locator("nav#phase li[aria-current=step] a").get_attribute("href")
    return href.lstrip("#")


def wait_for_htmx(page: Page) -> None:
    """Until htmx has no request in flight and has settled the last swap.

    htmx attaches its triggers to swapped-in content only when it settles (20 ms later): a change
    made before that would go unnoticed, which a person never manages but a test does.
    """
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def choose_region(page: Page, name: str, codes: list[str]) -> None:
    """Pick province → regency → district → village in the dependent selects (HTMX swaps each level in)."""
    for level, code in enumerate(codes, start=1):
        select = f"select[name='{name}_{level}']"
        # The level above was chosen and the server sent this level's options.
        expect(page.locator(f"{select} option[value='{code}']")).to_be_attached()
        wait_for_htmx(page)
        with page.expect_response(lambda response: "/regions/select/" in response.url):
            page.select_option(select, code)
    # The server re-renders the selects after the last choice too, marking the village chosen.
    wait_for_htmx(page)
    expect(page.locator(f"select[name='{name}_{len(codes)}'] option[value='{codes[-1]}'][selected]")).to_be_attached()


# The page's width, the window's, and the first elements sticking out (with the section they are in).
_WIDTHS = """() => {
  const describe = (e) => {
    const where = e.parentElement && e.parentElement.closest('[id]');
    return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (where ? ' in #' + where.id : '');
  };
  const wide = [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1);
  return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, wide: wide.slice(0, 5).map(describe)};
}"""


def assert_no_horizontal_overflow(page: Page) -> None:
    # Measure a fully loaded document: right after a click the old page may be unloading.
    page.wait_for_load_state("load")
    page.wait_for_function("document.documentElement !== null && document.body !== null")
    widths = page.evaluate(_WIDTHS)
    assert widths["scroll"] <= widths["inner"] + 1, (
        f"{page.url} is wider than the phone ({widths['scroll']} > {widths['inner']}px); too wide: {widths['wide']}"
    )
