"""Accessibility held to WCAG 2.1 AA, in a real browser.

axe-core (bundled by the pinned ``axe-playwright-python``, requirements-dev.txt) checks every page
of the citizen's path and the officer's path against the WCAG 2.1 A and AA rules: no violation
of impact serious or critical. The citizen's pages are checked again on a 390-pixel phone, where
nothing may scroll sideways; body text is at least 16 pixels. And a citizen who uses only the
keyboard applies for a criminal record certificate (the e-form, the papers, the submission),
pays its fee online and answers a request for more papers: Tab, Shift+Tab, Enter, Space, arrows
and typing, no click; every control reached shows where the focus is.
"""

import re

import pytest

from tests.conftest import make_pdf

from .conftest import DESKTOP, PHONE, shoot
from .lived_in import lived_in

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}  # fmt: skip
BLOCKING = ("serious", "critical")


def audit(page, name):
    """axe-core on the page as it stands: its serious and critical violations, described."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, options=WCAG_21_AA).response["violations"]
    blocking = [v for v in found if v["impact"] in BLOCKING]
    if blocking:
        shoot(page, f"axe-{name}")
    return [f"{name}: {v['id']} ({v['impact']}) {v['help']} — " + "; ".join(
        f"{n['target']} {n.get('failureSummary', '').splitlines()[-1:]}" for n in v["nodes"][:4]) for v in blocking]  # fmt: skip


def visit(page, url, name):
    answer = page.goto(url)
    assert answer.status == 200, f"{url}: {answer.status}"
    return audit(page, name)


@pytest.fixture
def world(site, demo):
    return lived_in(demo)


def citizen_pages(world):
    """(name, address) of the citizen's path, signed in."""
    return [
        ("procedure-signed-in", "/procedures/2.000575/"),
        ("eform", f"/my/dossiers/{world.draft.pk}/form/"),
        ("papers", f"/my/dossiers/{world.draft.pk}/papers/"),
        ("review", f"/my/dossiers/{world.draft.pk}/review/"),
        ("my-dossiers", "/my/dossiers/"),
        ("dossier-submitted", f"/my/dossiers/{world.submitted.pk}/"),
        ("dossier-supplement", f"/my/dossiers/{world.supplement.pk}/"),
        ("supplement-answer", f"/my/dossiers/{world.supplement.pk}/supplement/"),
        ("pay", f"/my/dossiers/{world.awaiting_payment.pk}/"),
        ("dossier-returned", f"/my/dossiers/{world.returned.pk}/"),
        ("dossier-refused", f"/my/dossiers/{world.refused.pk}/"),
        ("notices", "/notices/"),
        ("account-contacts", "/accounts/contacts/"),
        ("account-data", "/accounts/my-data/"),
        ("account", "/accounts/"), ("organisations", "/accounts/organizations/"), ("claim", "/my/claim/"),
        ("procedure-for-whom", "/procedures/1.009994/"),
    ]


PUBLIC_PAGES = [("home", "/"), ("catalogue", "/procedures/?q=dang+ky"), ("procedure", "/procedures/1.001193/"),
                ("login", "/accounts/login/"), ("register", "/accounts/register/"), ("track", "/track/")]  # fmt: skip


def track(page, dossier):
    """The public tracking page, answered (the receipt's code and lookup key typed in)."""
    page.goto("/track/")
    page.fill("#code", dossier.code)
    page.fill("#key", dossier.lookup_key)
    page.press("#key", "Enter")
    page.wait_for_selector(f"h2:text-is('{dossier.code}')")


TEXT = ", ".join(f"main {tag}" for tag in "p li label td dd input select textarea button a legend".split())
SMALL_TEXT = (
    """() => [...document.querySelectorAll('%s')]
  .filter(e => e.offsetParent !== null && e.innerText !== '' && !e.closest('.small, .badge, .req, small, figure, .skip-link'))
  .filter(e => parseFloat(getComputedStyle(e).fontSize) < 16)
  .map(e => e.tagName.toLowerCase() + '.' + e.className + ' ' + getComputedStyle(e).fontSize)"""
    % TEXT
)
OVERFLOW = "() => document.documentElement.scrollWidth"


# Pages the phone skips: their kind is on the phone already (one more dossier page, one more form).
NOT_ON_THE_PHONE = {"register", "procedure-signed-in", "dossier-submitted", "dossier-supplement", "dossier-refused",
                    "notices", "account-data"}  # fmt: skip


def test_the_citizens_path_passes_axe_on_desktop_and_phone(page_for, world):
    problems, wide, small = [], [], []
    for viewport, tag in ((DESKTOP, "desktop"), (PHONE, "phone")):
        skip = NOT_ON_THE_PHONE if tag == "phone" else set()
        visitor = page_for(viewport=viewport, locale="vi-VN")
        for name, url in [page for page in PUBLIC_PAGES if page[0] not in skip]:
            problems += visit(visitor, url, f"{tag}-{name}")
            if tag == "phone" and visitor.evaluate(OVERFLOW) > PHONE["width"]:
                wide.append(f"{name}: {visitor.evaluate(OVERFLOW)}px")
            small += [f"{name}: {e}" for e in visitor.evaluate(SMALL_TEXT)]
        track(visitor, world.submitted)
        problems += audit(visitor, f"{tag}-track-found")
        citizen = page_for("congdan", viewport=viewport, locale="vi-VN")
        for name, url in [page for page in citizen_pages(world) if page[0] not in skip]:
            problems += visit(citizen, url, f"{tag}-{name}")
            if tag == "phone" and citizen.evaluate(OVERFLOW) > PHONE["width"]:
                wide.append(f"{name}: {citizen.evaluate(OVERFLOW)}px")
            small += [f"{name}: {e}" for e in citizen.evaluate(SMALL_TEXT)]
    assert not problems, "axe-core, WCAG 2.1 AA:\n" + "\n".join(problems)
    assert not wide, "wider than a 390-pixel phone: " + ", ".join(wide)
    assert not small, "body text under 16px: " + ", ".join(sorted(set(small)))


def test_the_officers_path_passes_axe(page_for, world):
    problems = []
    desk = page_for("tiepnhan.dongha")
    problems += visit(desk, "/backoffice/", "queue")
    problems += visit(desk, f"/backoffice/dossiers/{world.submitted.pk}/", "task-intake")
    problems += visit(desk, "/backoffice/desk/", "desk")
    problems += visit(desk, "/backoffice/desk/organizations/new/", "register-organisation")
    officer = page_for("congchuc.dongha")
    problems += visit(officer, "/backoffice/?scope=mine", "my-tasks")
    problems += visit(officer, f"/backoffice/dossiers/{world.appraisal.pk}/", "task-appraisal")
    leader = page_for("chutich.dongha")
    problems += visit(leader, f"/backoffice/dossiers/{world.approval.pk}/", "task-approval")
    manager = page_for("quanly.dongha")
    problems += visit(manager, "/backoffice/?scope=unit", "unit-queue")
    problems += visit(manager, "/dashboard/", "dashboard")
    problems += visit(manager, f"/backoffice/dossiers/{world.returned.pk}/", "dossier-returned")
    assert not problems, "axe-core, WCAG 2.1 AA:\n" + "\n".join(problems)


# --- the keyboard alone ---------------------------------------------------------------------

FOCUSED = """() => { const e = document.activeElement, s = getComputedStyle(e);
  return {tag: e.tagName, id: e.id, name: e.name || '', href: e.getAttribute('href') || '', value: e.value,
          type: e.type || '', text: (e.innerText || '').trim().slice(0, 60),
          ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none'}; }"""


class Keyboard:
    """A person with a keyboard: moves the focus with Tab until it stands on what they want."""

    def __init__(self, page, site):
        self.page, self.site, self.unringed = page, site, []

    def tab_to(self, selector, limit=60, backwards=False):
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
            if self.page.evaluate("s => document.activeElement.matches(s)", selector):
                focused = self.page.evaluate(FOCUSED)
                if not focused["ring"] and self.page.url.startswith(self.site):  # the gateway's page is not ours
                    self.unringed.append(f"{self.page.url} {selector}")
                return focused
        shoot(self.page, "keyboard-lost")
        raise AssertionError(f"{selector} is not reached with Tab on {self.page.url}")

    def activate(self, selector, key="Enter"):
        self.tab_to(selector)
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.page.wait_for_load_state()

    def choose(self, selector, value):
        """A select, with the arrow keys: down until the value is chosen."""
        self.tab_to(selector)
        for _ in range(10):
            if self.page.evaluate("s => document.querySelector(s).value", selector) == value:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"{value} not reached in {selector}")

    def upload(self, selector, name):
        """A file input reached with Tab; the file is set on the focused input (headless, no OS dialog)."""
        self.tab_to(selector)
        self.page.locator(":focus").set_input_files({"name": name, "mimeType": "application/pdf", "buffer": make_pdf()})


def open_task_officer(dossier):
    from egov.accounts.models import RoleAssignment
    from egov.dossiers.selectors import open_tasks

    task = next(t for t in open_tasks(dossier) if t.kind not in ("supplement", "system"))
    return task, RoleAssignment.objects.filter(role=task.role, agency=task.agency).first().user


def test_a_citizen_applies_pays_and_answers_with_the_keyboard_alone(page_for, demo, gateway, live_server):
    from egov.dossiers import services
    from egov.dossiers.models import Dossier

    gateway.ipn_url = f"{live_server.url}/api/v1/payments/vnpay/ipn/"
    page = page_for("congdan2", locale="en-US")
    keys = Keyboard(page, live_server.url)
    page.goto("/procedures/2.001417/")
    first = keys.tab_to("a.skip-link")  # the first stop: skip to the content, shown when focused
    assert page.locator("a.skip-link").bounding_box()["x"] >= 0, first
    keys.activate("main form[action$='/apply/'] button[type=submit]")

    # The e-form: what the account knows is filled in; the rest is typed and chosen.
    assert re.search(r"/form/$", page.url), page.url
    keys.choose("#f-certificate_type", "1")
    keys.tab_to("#f-purpose")
    page.keyboard.type("Xin việc")
    keys.choose("#f-requested_by", "self")
    assert page.evaluate("() => document.querySelector('#f-fee_category').value") == "standard"
    keys.activate("button[name=continue]")

    # The papers: each file input reached with Tab, its Upload button pressed with Enter.
    assert re.search(r"/papers/$", page.url), page.url
    for key in ("declaration", "id_copy"):
        keys.upload(f"#file-{key}", f"{key}.pdf")
        keys.activate(f"#paper-{key} form.upload button[type=submit]")
    keys.activate("main > p a.button.primary[href$='/review/']")

    # Check and submit: the consent ticked with Space.
    assert re.search(r"/review/$", page.url), page.url
    keys.tab_to("input[name=consent]")
    page.keyboard.press("Space")
    keys.activate("main form button.primary")
    page.wait_for_selector("#confirmation")
    dossier = Dossier.objects.get(applicant=demo["congdan2"], status=Dossier.Status.SUBMITTED)
    shoot(page, "keyboard-submitted")

    # The desk accepts; the fee is paid online, by keyboard, there and on the gateway's page.
    task, desk = open_task_officer(dossier)
    services.complete_task(desk, task.pk, "accept")
    page.reload()
    keys.activate("#fee button[name=provider][value=vnpay]")
    page.wait_for_selector("#pay")
    keys.activate("#pay")
    page.wait_for_url(f"**/my/dossiers/{dossier.pk}/")
    dossier.refresh_from_db()
    assert dossier.payment_status == "paid", dossier.payment_status

    # The case officer asks for a clearer copy of the ID; the citizen answers by keyboard.
    task, officer = open_task_officer(dossier)
    services.complete_task(officer, task.pk, "supplement", {"documents": ["id_copy"]}, "Bản chụp bị mờ.")
    page.reload()
    keys.activate("main a[href$='/supplement/']")
    keys.upload("#file-id_copy", "cccd-ro.pdf")
    keys.activate("form.upload button[type=submit]")
    keys.tab_to("#note")
    page.keyboard.type("Đã gửi bản chụp rõ hơn.")
    keys.activate("form:not(.upload) button.primary")
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.IN_PROGRESS, dossier.status
    shoot(page, "keyboard-answered")
    assert not keys.unringed, "focused without a visible focus ring: " + ", ".join(keys.unringed)


def test_focus_is_always_visible_in_the_stylesheet():
    """The stylesheet draws a focus ring for keyboard users and never takes it away."""
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "egov.css").read_text()
    assert re.search(r":focus-visible\s*\{[^}]*outline:\s*var\(--focus\)", css)
    assert re.search(r"--focus:\s*3px solid", css)
    assert not re.search(r"(?<!main):focus(-visible)?\s*\{[^}]*outline:\s*(none|0)", css)
    assert re.search(r":root\s*\{[^}]*font-size:\s*100%", css)  # 16px, the reader's own setting
