"""People's words everywhere: no page, message or document shows a code where a person reads.

Each role of the demo (a visitor, a citizen with dossiers in every state, the desk, a case
officer, the chairperson, the centre manager, the administrator) walks every page it can reach
from its start page, breadth first, in Vietnamese and in English, with the Django test client.
The visible text (tags, scripts and styles stripped; the labels a screen reader reads kept)
must hold no code-shaped word: a ``snake_case`` token (a role, an outcome, a status, a field or
paper key) anywhere, nor, on a Vietnamese page, one of the vocabularies' bare English values
(``intake``, ``approve``, ``draft``, a step's key...). The e-mails, SMS and notices of the demo
dossiers' events and the text of their PDFs are held to the same rule.
"""

import io
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django.utils import translation

from tests.documents.test_documents import pdf_text

from .lived_in import lived_in

pytestmark = pytest.mark.django_db

SNAKE = re.compile(r"(?<![\w.@/-])[a-z]+(?:_[a-z0-9]+)+(?![\w@/-])")
# Codes people need are digits and dots (procedure 1.001193, unit 000.17.22.H56, dossier codes):
# none has an underscore. Nothing is allowed yet; a word added here says why.
ALLOWED = frozenset()
# Where the walk does not go: leaving the session or the site, switching language (a POST),
# downloads, machine endpoints, the admin's forms (its lists are read below).
SKIP = re.compile(
    r"^/(accounts/logout|i18n/|jsi18n/|api/|attachments/|static/|media/|healthz|oidc/|verify/)"
    r"|/(pay|withdraw|rate|apologise|claim|complete|form/state)/$"
    r"|^/admin/|/(bpmn|diagram)/$|format=|export|download|\.pdf$|\.xlsx$|\.csv$"
)
MAX_PAGES = 60  # per role and language
MAX_VARIANTS = 3  # query strings followed per path (filters, sorting, pages)
# The admin's index and a few of its lists, read as they are (the walk follows no admin link).
ADMIN = ["/admin/", "/admin/dossiers/dossier/", "/admin/workflows/dossiertask/", "/admin/catalog/procedure/",
         "/admin/accounts/roleassignment/", "/admin/documents/document/", "/admin/notifications/notification/"]  # fmt: skip
# Every signed-in person's own pages (the header links to none of them yet).
ACCOUNT = ["/accounts/contacts/", "/accounts/my-data/", "/accounts/password/", "/accounts/tokens/",
           "/notices/preferences/"]  # fmt: skip


class VisibleText(HTMLParser):
    """The text a person sees or hears, node by node: text outside scripts and styles, and the
    labels read aloud (alt, aria-label, title, placeholder, a button's value)."""

    SPOKEN = ("alt", "aria-label", "title", "placeholder")
    SILENT = ("script", "style", "template")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.nodes, self.links, self.depth = [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.SILENT:
            self.depth += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        self.nodes.extend(attrs[name] for name in self.SPOKEN if attrs.get(name))
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
            self.nodes.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.SILENT and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth and data.strip():
            self.nodes.append(" ".join(data.split()))


def read(html):
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser.nodes, parser.links


def vocabulary():
    """The bare values of the engine's vocabularies and of the demo procedures' keys."""
    from egov.catalog.models import ProcedureVersion
    from egov.common import vocabulary as v
    from egov.documents.models import Document, Kind
    from egov.dossiers.models import Dossier, Payment
    from workflows.models import DossierTask

    words = set()
    for choices in (v.Role, v.Outcome, v.Channel, v.Timeliness, Dossier.Status, Dossier.Payment, Payment.Status,
                    DossierTask.Kind, Kind, Document.Status):  # fmt: skip
        words.update(choices.values)
    for version in ProcedureVersion.objects.all():
        spec = version.spec
        words.update(step.key for step in spec.steps)
        words.update(f.key for f in spec.fields)
        words.update(d.key for d in spec.documents)
    return {w for w in words if re.fullmatch(r"[a-z0-9_]+", w)}


def code_words(nodes, language, words):
    """The code-shaped words of a text, given node by node (lines of a PDF or a message): any
    ``snake_case`` token; and on a Vietnamese page, a vocabulary's bare value standing on its
    own or among Vietnamese words (``intake`` alone in a cell, ``Bước xử lý · approve``,
    ``application: scan.pdf``), though not inside a run of English words (a name in English,
    a message not translated yet: not a code)."""
    found = set()
    for node in nodes:
        found |= set(SNAKE.findall(node))
        if language != "vi":
            continue
        # Numbers, dates, codes and addresses are nobody's language: a word's neighbours are
        # the nearest words around them.
        tokens = [t for t in (token.strip(PUNCTUATION) for token in node.split()) if t and not NEUTRAL.search(t)]
        english = [bool(re.fullmatch(r"[A-Za-z]+(?:['’][A-Za-z]+)?", token)) for token in tokens]
        for i, token in enumerate(tokens):
            if token in words and not (i and english[i - 1]) and not (i + 1 < len(tokens) and english[i + 1]):
                found.add(token)
    return found - ALLOWED


NEUTRAL = re.compile(r"\d|://|@|^\W+$")
PUNCTUATION = "\"'“”‘’()[]{}:;,.!?·—–-…«»"


def around(nodes, word, width=60):
    text = " ".join(nodes)
    at = text.find(word)
    return text[max(at - width, 0) : at + len(word) + width]


def crawl(client, starts, language, words):
    """Breadth first from ``starts``; returns (pages read, {url: {word: context}})."""
    client.cookies["egov_language"] = language
    queue, seen, variants, findings = deque(starts), set(starts), {}, {}
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        answer = client.get(url)
        if answer.status_code in (301, 302) and answer.get("Location", "").startswith("/"):
            target = answer["Location"]
            if target not in seen and not SKIP.search(target):
                seen.add(target)
                queue.appendleft(target)
            continue
        if answer.status_code != 200 or "text/html" not in answer.get("Content-Type", ""):
            continue
        pages += 1
        nodes, links = read(answer.content.decode())
        found = code_words(nodes, language, words)
        if found:
            findings[url] = {word: around(nodes, word) for word in sorted(found)}
        for href in links:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or href in seen or SKIP.search(href):
                continue
            if parts.query:
                variants[parts.path] = variants.get(parts.path, 0) + 1
                if variants[parts.path] > MAX_VARIANTS:
                    continue
            seen.add(href)
            queue.append(href)
    return pages, findings


@pytest.mark.parametrize(
    ("nodes", "language", "found"),
    [
        (["Tiếp nhận intake — intake_officer @ Ủy ban nhân dân phường Đông Hà"], "vi", {"intake", "intake_officer"}),
        (["Bước xử lý · approve"], "vi", {"approve"}),
        (["owner_id: cccd.pdf"], "en", {"owner_id"}),
        (["application: cccd.pdf"], "vi", {"application"}),
        (["intake"], "vi", {"intake"}),
        (["Status: in_progress"], "en", {"in_progress"}),
        (["Dear Nguyễn Văn An, the result is ready", "I have seen the applicant's passport"], "vi", set()),
        (["an.nguyen@example.vn 000.17.22.H56-261205-0001 http://x/my/dossiers/1/", "Intake officer"], "vi", set()),
    ],
)
def test_the_reader_tells_codes_from_words(nodes, language, found):
    words = {"intake", "approve", "application", "result", "ready", "passport", "intake_officer"}
    assert code_words(nodes, language, words) == found


# Each role of the demo and where it starts.
ROLES = {
    "anonymous": (None, ["/", "/accounts/login/", "/accounts/register/", "/track/"]),
    "citizen": ("congdan", ["/my/dossiers/", "/", *ACCOUNT]),
    "intake officer": ("tiepnhan.dongha", ["/backoffice/", "/backoffice/desk/", *ACCOUNT]),
    "specialist": ("congchuc.dongha", ["/backoffice/", "/backoffice/?scope=mine", *ACCOUNT]),
    "leader": ("chutich.dongha", ["/backoffice/", *ACCOUNT]),
    "centre manager": ("quanly.dongha", ["/backoffice/", "/dashboard/", *ACCOUNT]),
    "administrator": ("quantri", ["/backoffice/", "/dashboard/", *ADMIN, *ACCOUNT]),
}


@pytest.fixture
def world(demo, django_capture_on_commit_callbacks, settings):
    settings.LANGUAGE_CODE = "vi"  # as in production: messages and documents in Vietnamese unless asked
    with django_capture_on_commit_callbacks(execute=True):
        made = lived_in(demo)
    # The specialist holds the supplement's answer; the approver the apology's dossier.
    return made


def test_every_page_of_every_role_speaks_peoples_words(demo, world):
    words = vocabulary()
    figures, problems = {}, []
    for role, (username, starts) in ROLES.items():
        for language in ("vi", "en"):
            client = Client()
            if username:
                client.force_login(demo[username])
            if role == "citizen":
                starts = [*starts, *(f"/my/dossiers/{d.pk}/" for d in vars(world).values())]
            pages, findings = crawl(client, starts, language, words)
            figures[(role, language)] = pages
            problems += [f"{role} [{language}] {url}: {word!r} in …{context}…"
                         for url, found in findings.items() for word, context in found.items()]  # fmt: skip
    print("pages read:", figures)
    assert all(pages >= 3 for pages in figures.values()), figures
    assert not problems, "code-shaped words:\n" + "\n".join(problems)


def message_problems(demo, words):
    """Every message the dossiers' events sent, and every event's wording composed for an
    applicant, an officer and a manager in both languages and on every channel."""
    from egov.integrations.events import TYPES
    from egov.integrations.models import OutboxEvent
    from egov.notifications.models import Channel, Notification
    from egov.notifications.services import _context, compose

    problems = []
    sent = list(Notification.objects.all())
    assert len(sent) >= 10
    for message in sent:
        lines = [message.subject, *message.body.splitlines()]
        for word in code_words(lines, message.language, words):
            problems.append(f"sent {message.event.type} to {message.recipient.username}: {word!r} in "
                            f"…{around(lines, word)}…")  # fmt: skip
    events = {event.type: event for event in OutboxEvent.objects.exclude(dossier=None).order_by("pk")}
    officer = demo["congchuc.dongha"]
    for event_type in TYPES:
        event = events.get(event_type) or next(iter(events.values()))
        for recipient, staff_kind in ((event.dossier.applicant, None), (officer, "officer"), (officer, "manager")):
            for language in ("vi", "en"):
                with translation.override(language):  # as on_event composes: in the reader's language
                    context = _context(event, recipient)
                for channel in Channel.values:
                    composed = compose(event_type, channel, language, context, staff_kind)
                    if composed is None:
                        continue
                    lines = [composed[0], *composed[1].splitlines()]
                    for word in code_words(lines, language, words):
                        problems.append(f"{event_type} {channel} {language} {staff_kind or 'applicant'}: {word!r} in "
                                        f"…{around(lines, word)}…")  # fmt: skip
    return sorted(set(problems))


def lines_of(text):
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def pdf_lines(content):
    from pypdf import PdfReader

    return lines_of("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def test_messages_and_documents_of_the_demo_dossiers_speak_peoples_words(demo, world):
    """The messages (above), and the text of every PDF made for the demo dossiers (receipts,
    requests, refusal, apology, stop notice, fee receipt, control slip, result), read back; and
    the unit's register."""
    from django.utils import timezone

    from egov.agencies.models import Agency
    from egov.documents.models import Document
    from egov.documents.register import render_register

    words = vocabulary()
    made = Document.objects.filter(status=Document.Status.READY)
    kinds = set(made.values_list("kind", flat=True))
    assert {"receipt", "supplement_request", "refusal", "apology", "stop_notice", "control_slip", "result"} <= kinds, (
        kinds
    )
    problems = message_problems(demo, words)
    for document in made:
        lines = lines_of(pdf_text(document))  # read back as the documents' own tests read them
        for word in code_words(lines, "vi", words):
            problems.append(f"{document.kind}: {word!r} in …{around(lines, word)}…")
    today = timezone.localdate()
    for language in ("vi", "en"):
        pdf = render_register(Agency.objects.get(code="000.17.22.H56"), today.replace(day=1), today, language)
        lines = pdf_lines(pdf)
        problems += [
            f"register [{language}]: {w!r} in …{around(lines, w)}…" for w in code_words(lines, language, words)
        ]
    assert not problems, "code-shaped words:\n" + "\n".join(problems)
