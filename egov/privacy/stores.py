"""Every place that holds a person's data, and what erasure and the retention purge do there.

This is the one list. Erasure (:func:`egov.privacy.services.anonymise`) and the retention purge
(:func:`egov.privacy.retention.purge`) do nothing of their own: they walk :data:`STORES`. The
person's page shows the same list, in the words written here, before they ask for erasure.
``tests/privacy/test_stores.py`` fails for any model with a text, JSON or file field that is
neither covered by a store here nor named in :data:`IMPERSONAL` with the reason it holds
nothing about a person, so a new place cannot be forgotten. An app above this one (the API, a
plug-in) that keeps personal data declares its store: ``egov_privacy_stores`` on its AppConfig
(egov/common/plugins.py).

Two moments:

* **Erasure** (the person asks). The account, its contact proofs, tokens and devices, copies
  of the messages sent, drafts and their files, login records, the mail and SMS spools: gone.
  A *filed* dossier is a public record the archives law keeps for its procedure's retention
  period, so it stays whole but *restricted* (``Dossier.restricted_at``): found by its code
  only, its applicant anonymised, shown to staff as kept for the archives alone. The person
  is told which dossiers, and until when, before they ask (``services.plan``).
* **The purge** (a closed dossier's retention period has run out): what is left of the person
  in that dossier goes, restricted or not; what stays is what the figures and a QR check need.

Files are deleted after the transaction commits (``Sweep.files``): a rolled-back erasure must
still find its files.
"""

import dataclasses
import email
import email.policy
import re
from pathlib import Path

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from egov.accounts.models import ContactProof, ErasureRequest, OrganizationMember, PersonalToken, User
from egov.common.plugins import privacy_stores
from egov.documents.models import Document, Kind
from egov.dossiers.models import Attachment, Dossier, Handover, Rating, SupplementRequest, search_text_of
from egov.notifications.models import Notification
from workflows.models import DossierProcess, DossierTask


@dataclasses.dataclass
class Sweep:
    """One erasure or one purge under way: what it is about, and the files to delete once the
    rows are committed."""

    now: object
    person: object = None
    dossier: Dossier | None = None
    dossiers: frozenset = frozenset()  # all the person's dossiers, drafts included (erasure)
    kept: frozenset = frozenset()  # filed dossiers the archives law keeps (erasure)
    marks: frozenset = frozenset()  # what identifies the person (name, number, contacts), read before erasing
    files: list = dataclasses.field(default_factory=list)
    counts: dict = dataclasses.field(default_factory=dict)

    def count(self, store, n):
        if n:
            self.counts[store.name] = self.counts.get(store.name, 0) + n

    def delete_files(self):
        for stored in self.files:
            if stored.name:
                stored.storage.delete(stored.name)
        self.files.clear()


class Store:
    """A place holding personal data. ``models`` are the models it covers (``app.Model``);
    ``holds``, ``on_erasure`` and ``on_purge`` say in words what is there and what happens
    to it; :meth:`erase` and :meth:`purge` do it."""

    name = ""
    models: tuple[str, ...] = ()
    # A part of a filed dossier: erasure leaves the rows of the dossiers the archives law keeps.
    archived = False
    holds = ""
    on_erasure = ""
    on_purge = ""

    def erase(self, sweep):
        """The person asked for erasure: remove what is theirs (``sweep.person``), except in
        the dossiers the archives law keeps (``sweep.kept``)."""

    def purge(self, sweep):
        """The retention period of ``sweep.dossier`` ran out."""


GONE = _("deleted")
BLANKED = _("blanked")
ARCHIVED = _("kept with a filed dossier until its retention period ends (archives law), restricted")


class Account(Store):
    name = "account"
    models = ("accounts.User",)
    holds = _("your account: name, personal ID number, date of birth, address, e-mail, phone, e-ID link")
    on_erasure = _("anonymised: every personal field blanked, the account closed")
    on_purge = _("a purged dossier no longer points to the account")

    def erase(self, sweep):
        person = sweep.person
        person.full_name = str(_("Anonymised person"))
        person.username = f"erased-{person.pk}"
        for field in ("personal_id", "email", "phone", "address", "first_name", "last_name",
                      "personal_id_verified_via", "passport_number", "nationality"):  # fmt: skip
            setattr(person, field, "")
        for field in ("date_of_birth", "eid_subject", "personal_id_verified_at", "email_verified_at",
                      "phone_verified_at", "passport_verified_at"):  # fmt: skip
            setattr(person, field, None)
        person.is_active = False
        person.set_unusable_password()
        person.save()  # the search text of their dossiers follows the new name (dossiers/models.py)


class ContactsAndKeys(Store):
    name = "contacts_and_keys"
    models = ("accounts.ContactProof", "accounts.PersonalToken", "otp_totp.TOTPDevice", "otp_static.StaticDevice",
              "otp_static.StaticToken")  # fmt: skip
    holds = _("codes sent to prove an e-mail address or phone, personal API tokens, second-factor devices")
    on_erasure = GONE
    on_purge = ""

    def erase(self, sweep):
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        for model in (ContactProof, PersonalToken, TOTPDevice, StaticDevice):
            sweep.count(self, model.objects.filter(user=sweep.person).delete()[0])


class Memberships(Store):
    name = "memberships"
    models = ("accounts.OrganizationMember",)
    holds = _("the organisations you may file for, and who named you")
    on_erasure = GONE
    on_purge = ""

    def erase(self, sweep):
        sweep.count(self, OrganizationMember.objects.filter(user=sweep.person).delete()[0])


class AppsAllowed(Store):
    """The apps a citizen let act for them (OAuth 2.0, egov/accounts/oauth/): what they were
    allowed, when, and their codes and tokens (stored hashed)."""

    name = "apps_allowed"
    models = ("oauth2_provider.AccessToken", "oauth2_provider.RefreshToken", "oauth2_provider.Grant",
              "oauth2_provider.IDToken", "oauth2_provider.DeviceGrant")  # fmt: skip
    holds = _("the apps you allowed to act for you: what each may do, when, and their access codes")
    on_erasure = GONE
    on_purge = ""

    def erase(self, sweep):
        from oauth2_provider.models import AccessToken, DeviceGrant, Grant, IDToken, RefreshToken

        for model in (Grant, RefreshToken, AccessToken, IDToken, DeviceGrant):
            sweep.count(self, model.objects.filter(user=sweep.person).delete()[0])


class ErasureRequests(Store):
    name = "erasure_requests"
    models = ("accounts.ErasureRequest",)
    holds = _("your erasure request and the reason you gave")
    on_erasure = _("the reason blanked; the request kept as the record of what was done")
    on_purge = ""

    def erase(self, sweep):
        ErasureRequest.objects.filter(user=sweep.person).update(reason="")


class LoginRecords(Store):
    name = "login_records"
    models = ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog")
    holds = _("records of logins and failed logins: when, from which address and browser")
    on_erasure = GONE
    on_purge = ""

    def erase(self, sweep):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        # django-axes files a failure under the account's key (egov/accounts/backends.lockout_key),
        # a successful login under the username.
        names = [f"account:{sweep.person.pk}", sweep.person.username]
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            sweep.count(self, model.objects.filter(username__in=names).delete()[0])


class AdminHistory(Store):
    name = "admin_history"
    models = ("admin.LogEntry",)
    holds = _("the administrators' history of changes to your account, which names it")
    on_erasure = GONE
    on_purge = ""

    def erase(self, sweep):
        about = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(sweep.person),
                                        object_id=str(sweep.person.pk))  # fmt: skip
        sweep.count(self, about.delete()[0])


class Drafts(Store):
    name = "drafts"
    models = ("dossiers.Dossier",)
    holds = _("drafts never filed, with their form data and papers")
    on_erasure = GONE
    on_purge = _("drafts untouched for a while are deleted")

    def erase(self, sweep):
        drafts = Dossier.objects.filter(applicant=sweep.person, status=Dossier.Status.DRAFT)
        sweep.files += [item.file for item in Attachment.objects.filter(dossier__in=drafts)]
        sweep.count(self, drafts.count())
        drafts.delete()


SENTINEL_USERNAME = "anonymised-applicant"


def anonymised_applicant():
    """The one inactive account that purged dossiers point to (the applicant may not be null)."""
    user, _created = User.objects.get_or_create(
        username=SENTINEL_USERNAME,
        defaults={"full_name": _("Anonymised person"), "is_active": False, "kind": "citizen"},
    )
    if user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


class DossierRecord(Store):
    name = "dossiers"
    archived = True
    models = ("dossiers.Dossier", "workflows.DossierTask", "workflows.DossierProcess", "dossiers.Handover",
              "dossiers.SupplementRequest")  # fmt: skip
    holds = _("your filed dossiers: form data, reasons and notes, the officers' notes on the control slip")
    on_erasure = ARCHIVED
    on_purge = _("form data, reasons and every note blanked; the dossier moved to one anonymous applicant")

    def erase(self, sweep):
        filed = Dossier.objects.filter(pk__in=sweep.kept)
        sweep.count(self, filed.update(restricted_at=sweep.now))

    def purge(self, sweep):
        dossier = sweep.dossier
        Dossier.objects.filter(pk=dossier.pk).update(
            data={}, decision_note="", apology_reason="", applicant=anonymised_applicant(), purged_at=sweep.now,
            updated_at=sweep.now,
        )
        dossier.write_search_text(search_text_of(dossier.code))  # the code alone: the name goes
        DossierTask.objects.filter(dossier=dossier).update(data={}, note="")
        DossierProcess.objects.filter(dossier=dossier).update(data={})
        Handover.objects.filter(dossier=dossier).update(note="")  # a purge, not a rewrite of history
        SupplementRequest.objects.filter(dossier=dossier).update(reason="", answer_note="")


class Papers(Store):
    name = "papers"
    archived = True
    models = ("dossiers.Attachment",)
    holds = _("the papers you uploaded (scans of identity cards, certificates, forms)")
    on_erasure = ARCHIVED
    on_purge = GONE

    def purge(self, sweep):
        papers = Attachment.objects.filter(dossier=sweep.dossier)
        sweep.files += [item.file for item in papers]
        sweep.count(self, papers.delete()[0])


class Documents(Store):
    name = "documents"
    archived = True
    models = ("documents.Document",)
    holds = _("the documents issued to you (receipts, requests, the result) and their verification records")
    on_erasure = _("kept with a filed dossier (archives law); the name taken off the public verification page")
    on_purge = _("deleted, except the result's verification record, without a name, so a QR check still answers")

    def erase(self, sweep):
        self._forget_holder(Document.objects.filter(dossier__applicant=sweep.person))

    def purge(self, sweep):
        documents = Document.objects.filter(dossier=sweep.dossier)
        working = documents.exclude(kind=Kind.RESULT)
        sweep.files += [document.file for document in working if document.file]
        sweep.count(self, working.delete()[0])
        for result in documents.filter(kind=Kind.RESULT).exclude(file=""):
            sweep.files.append(result.file)
            Document.objects.filter(pk=result.pk).update(file="", removed_at=sweep.now)
        self._forget_holder(documents)

    @staticmethod
    def _forget_holder(documents):
        for document in documents.filter(facts__has_key="holder"):
            facts = {key: value for key, value in document.facts.items() if key != "holder"}
            Document.objects.filter(pk=document.pk).update(facts=facts)


class Ratings(Store):
    name = "ratings"
    models = ("dossiers.Rating",)
    holds = _("the comment you left when rating the service")
    on_erasure = _("the comment blanked; the score kept for the figures")
    on_purge = _("the comment blanked; the score kept for the figures")

    def erase(self, sweep):
        Rating.objects.filter(dossier__applicant=sweep.person).update(comment="")

    def purge(self, sweep):
        Rating.objects.filter(dossier=sweep.dossier).update(comment="")


class Messages(Store):
    name = "messages"
    models = ("notifications.Notification",)
    holds = _("copies of the messages sent to you and to officers about your dossiers: address, subject, text")
    on_erasure = GONE
    on_purge = GONE

    def erase(self, sweep):
        messages = Notification.objects.filter(Q(recipient=sweep.person) | Q(event__dossier__applicant=sweep.person))
        sweep.count(self, messages.delete()[0])

    def purge(self, sweep):
        sweep.count(self, Notification.objects.filter(event__dossier=sweep.dossier).delete()[0])


class Spools(Store):
    """The embedded default's outgoing mail and SMS, written to files under var/ (a province
    with an SMTP server and an SMS gateway has none). Kept ``EGOV_SPOOL_DAYS`` days."""

    name = "spools"
    models = ()
    holds = _("outgoing e-mails and text messages waiting in the server's spool folders")
    on_erasure = GONE
    on_purge = _("deleted after a few days in any case")

    def erase(self, sweep):
        sweep.count(self, scrub_spools(sweep.marks))


def mail_texts(path):
    """The readable text of each message in a spool file of Django's file e-mail backend
    (headers decoded, bodies decoded from base64 or quoted-printable)."""
    raw = path.read_bytes()
    for chunk in raw.split(b"\n" + b"-" * 79 + b"\n"):
        if not chunk.strip():
            continue
        message = email.message_from_bytes(chunk, policy=email.policy.default)
        parts = [str(message.get(header, "")) for header in ("To", "Cc", "Subject")]
        for part in message.walk():
            if not part.is_multipart():
                payload = part.get_payload(decode=True) or b""
                parts.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
        yield "\n".join(parts)


def _mentions(text, marks):
    return any(mark in text for mark in marks)


def scrub_spools(marks, older_than=None):
    """Delete the spooled e-mails that mention one of ``marks`` (or were written before
    ``older_than``), and the SMS lines likewise. Returns how many went."""
    removed = 0
    mail = _folder(settings.EMAIL_FILE_PATH)
    for path in sorted(mail.glob("*.log")) if mail else []:
        old = older_than is not None and path.stat().st_mtime < older_than.timestamp()
        if old or _mentions("\n".join(mail_texts(path)), marks):
            path.unlink(missing_ok=True)
            removed += 1
    sms = settings.VAR_DIR / "sms" / "outbox.log"
    if sms.exists():
        lines = sms.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not (_mentions(line, marks) or _sms_older(line, older_than))]
        if len(kept) != len(lines):
            sms.write_text("".join(kept), encoding="utf-8")
            removed += len(lines) - len(kept)
    return removed


def _folder(path):
    folder = Path(path) if path else None
    return folder if folder and folder.is_dir() else None


_SMS_TIME = re.compile(r"^(\S+)\t")


def _sms_older(line, older_than):
    if older_than is None:
        return False
    found = _SMS_TIME.match(line)
    return bool(found) and found.group(1) < older_than.isoformat()


STORES: list[Store] = [
    ContactsAndKeys(), Memberships(), ErasureRequests(), LoginRecords(), AdminHistory(), Drafts(), DossierRecord(),
    Papers(), Documents(), Ratings(), Messages(), Spools(),
    AppsAllowed(),
]  # fmt: skip

# Models with text, JSON or file fields that hold nothing about a person, and why.
IMPERSONAL = {
    "audit.AuditRecord": "names people and objects by their keys and copies no free text (egov/audit/services.py)",
    "audit.AuditSeal": "a seal",
    "integrations.OutboxEvent": "codes, statuses, steps and dates: the event catalogue declares no free text",
    "integrations.WebhookDelivery": "a status and our own short error words; the receiver's answer is not kept",
    "integrations.ApiClient": "a system's name and its operator's contact, not a citizen's",
    "integrations.ApiKey": "a key's digest",
    "integrations.WebhookSubscription": "a system's address and filters",
    "oauth2_provider.Application": "an app registered by an administrator: its name, addresses and hashed secret",
    "accounts.Consent": "the text shown (the same for everyone) and its purpose, on an account erasure anonymises",
    "accounts.RoleAssignment": "a role and an agency",
    "accounts.Organization": (
        "an organisation's own name, tax code and head-office contacts; its legal representative is an account"
    ),
    "dossiers.ClockPause": "the system's own words for why the clock stopped",
    "dossiers.Payment": "an amount, a provider and the provider's reference",
    "dossiers.DossierCodeCounter": "a counter",
    "dossiers.VersionMove": "versions, a step position, a time limit and due dates; no free text",
    "payments.Transaction": "an amount, our reference and the gateway's codes; the order text names the dossier only",
    "payments.Refund": "an amount, a reason code and our own short error words",
    "stats.DailyFigure": "counts",
    "stats.PeriodicReport": "counts per unit, sector and procedure, as PDF and spreadsheet",
    "agencies.Agency": "an office's own address and contacts",
    "agencies.AgencyCodeChange": "an office's codes",
    "calendar.CalendarDay": "holidays",
    "catalog.Sector": "the catalogue",
    "catalog.ProcedureVersion": "the catalogue",
    "catalog.ProcedureFile": "the catalogue's forms",
    "catalog.Procedure": "the catalogue",
    "documents.DocumentTemplate": "an administrator's template",
    "notifications.NotificationRule": "configuration",
    "notifications.MessageTemplate": "configuration",
    "auth.Group": "permission groups",
    "auth.Permission": "permissions",
    "contenttypes.ContentType": "model names",
    "sessions.Session": "a session key and the account's key; erasure makes the password unusable, which ends it",
    "viewflow.Process": "not used: the dossier's process is workflows.DossierProcess",
    "viewflow.Task": "not used: the dossier's tasks are workflows.DossierTask",
}


def all_stores():
    """The stores above, those the installed apps declare (``egov_privacy_stores``), and the
    account last: the others find the person's rows by what the account still says."""
    return [*STORES, *(import_string(path)() for path in privacy_stores()), Account()]


def erase(sweep):
    for store in all_stores():
        store.erase(sweep)


def purge(sweep):
    for store in all_stores():
        store.purge(sweep)
