"""What the days of the people (test_day_*.py) share: papers to upload, the officer's decision
form, reading a PDF the page gave, and the words the pages say in English.

The browser runs with ``en-US``, so the pages speak English; what a test expects in words it
reads from the same catalogue under ``translation.override("en")``, whatever language an
earlier test left active in this process.
"""

import io
import re

from django.utils import translation

from tests.conftest import make_pdf


def pdf(name="giay-to.pdf"):
    return {"name": name, "mimeType": "application/pdf", "buffer": make_pdf()}


def english(text):
    """``text`` (a lazy gettext string, a label, or a function that says it in the active
    language, such as a definition's ``name``) as the English pages say it."""
    with translation.override("en"):
        return str(text() if callable(text) else text)


def open_from_queue(page, code, scope="queue"):
    """The officer's queue, then the dossier by its code."""
    page.goto(f"/backoffice/?scope={scope}")
    page.locator("table.queue a", has_text=code).click()
    page.wait_for_url(re.compile(r"/backoffice/dossiers/"))


def decide(page, outcome, note=None, documents=(), fields=()):
    """The officer's decision on the step in hand: an outcome, what is missing (for a
    supplement request), a note; then "record and hand over"."""
    form = page.locator("form[action$='/complete/']").first
    form.locator(f"input[name=outcome][value={outcome}]").check()
    if documents or fields:
        form.locator("details summary").first.click()
        for key in documents:
            form.locator(f"input[name=documents][value={key}]").check()
        for key in fields:
            form.locator(f"input[name=fields][value={key}]").check()
    if note:
        form.locator("textarea[name=note]").fill(note)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def pdf_text(body):
    """The text of a PDF (the bytes the page gave)."""
    from pypdf import PdfReader

    assert body[:4] == b"%PDF", body[:200]
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def download(page, link):
    """The file behind ``link`` on ``page``, fetched with the page's own session (a PDF opens in
    a new tab; the headless browser has no viewer for it)."""
    answer = page.request.get(link.get_attribute("href"))
    assert answer.status == 200, answer.status
    return answer.body()
