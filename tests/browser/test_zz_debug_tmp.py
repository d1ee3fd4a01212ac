from tests.browser import test_journey


def test_phone_with_css_fix(new_page, sari):
    def patched(**kw):
        page = new_page(**kw)
        page.context.add_init_script("document.addEventListener('DOMContentLoaded', () => { const s = document.createElement('style'); s.textContent = '@media (max-width: 40rem) { dl.facts { grid-template-columns: 1fr; } }'; document.head.appendChild(s); })")
        return page
    test_journey.test_worker_registers_and_opens_a_case_on_a_phone(patched, sari)
