"""Tamper evidence for the audit trail: a keyed chain, sealed in the order rows commit, and
anchored outside the database.

Records are written by many transactions at once, so they cannot each read "the previous
record" safely. A single sealer (Celery beat, every minute, under a row lock) takes every
record not sealed yet — whatever its id: a transaction that commits late is sealed in the
next round, never skipped — gives each the next ``sequence`` number and

    seal = HMAC-SHA256(key, previous seal + the record's content)

The key lives outside the database (``EGOV_AUDIT_KEY``, or the file
``EGOV_AUDIT_KEY_FILE``; the embedded default makes ``var/audit.key``), so someone who can
write to the database cannot recompute the seals after changing, inserting or removing a
row. Every so often the head of the chain (its sequence and seal) is appended, signed with
the key and timestamped, to a file outside the database (``EGOV_AUDIT_ANCHOR_FILE``): a
chain rebuilt from an older point no longer reaches the anchored head.

``verify_audit`` only reads: it checks every seal in sequence order, that no sequence
number is missing, that the anchors match, and reports the records not sealed yet.
"""

import datetime
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from .models import AuditRecord, AuditSeal

FIELDS = ["id", "at", "actor_id", "actor_repr", "action", "object_type", "object_id", "object_repr", "before", "after",
          "note"]  # fmt: skip
GENESIS = "0" * 64


@cache
def key():
    """The sealing key, read once per process; never stored in the database."""
    if settings.EGOV_AUDIT_KEY:
        return settings.EGOV_AUDIT_KEY.encode()
    path = Path(settings.EGOV_AUDIT_KEY_FILE)
    if not path.exists():
        if not settings.EGOV_AUDIT_KEY_CREATE:
            raise ImproperlyConfigured(f"the audit sealing key {path} is missing (EGOV_AUDIT_KEY or _FILE)")
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created once, readable by the service's user only.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def content(record):
    values = {name: getattr(record, name) for name in FIELDS}
    values["at"] = record.at.isoformat()
    values["sequence"] = record.sequence
    return json.dumps(values, sort_keys=True, ensure_ascii=False, default=str).encode()


def link(previous_seal, record):
    return hmac.new(key(), previous_seal.encode() + content(record), hashlib.sha256).hexdigest()


def seal(batch=5000):
    """Seal the records written since the last run, in the order they are found; returns how many."""
    with transaction.atomic():
        state = AuditSeal.objects.select_for_update().first() or AuditSeal.objects.create()
        state = AuditSeal.objects.select_for_update().get(pk=state.pk)
        previous, count = state.last_seal, 0
        for record in AuditRecord.objects.filter(seal="").order_by("id")[:batch]:
            record.sequence = state.last_sequence + 1
            previous = link(previous, record)
            # The one permitted write: a record gets its place and seal, once.
            AuditRecord.objects.filter(pk=record.pk, seal="").update(sequence=record.sequence, seal=previous)
            state.last_sequence = record.sequence
            state.last_id = max(state.last_id, record.pk)
            count += 1
        state.last_seal = previous
        state.save()
    return count


def anchor(now=None):
    """Append the head of the chain to the anchor file, signed with the key; returns the line."""
    state = AuditSeal.objects.first()
    if state is None or not state.last_sequence:
        return None
    entry = {"sequence": state.last_sequence, "seal": state.last_seal, "at": (now or timezone.now()).isoformat()}
    entry["signature"] = _sign(entry)
    path = Path(settings.EGOV_AUDIT_ANCHOR_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(entry, sort_keys=True) + "\n")
    return entry


def _sign(entry):
    message = f"{entry['sequence']}:{entry['seal']}:{entry['at']}".encode()
    return hmac.new(key(), message, hashlib.sha256).hexdigest()


@dataclass
class Report:
    broken_at: int | None = None  # sequence of the first record whose seal does not follow
    missing: list = field(default_factory=list)  # sequence numbers with no record (removed rows)
    unsealed: int = 0  # records not sealed yet
    oldest_unsealed: datetime.datetime | None = None
    anchors_checked: int = 0
    anchor_problems: list = field(default_factory=list)

    @property
    def intact(self):
        return self.broken_at is None and not self.missing and not self.anchor_problems


def verify():
    """Check the chain without changing anything."""
    report = Report()
    previous, expected, seals = GENESIS, 1, {}
    sealed = AuditRecord.objects.exclude(seal="").order_by("sequence")
    for record in sealed.iterator(chunk_size=5000):
        if record.sequence != expected:
            report.missing.extend(range(expected, record.sequence))
            expected = record.sequence
        if report.broken_at is None and not hmac.compare_digest(record.seal, link(previous, record)):
            report.broken_at = record.sequence
        seals[record.sequence] = record.seal
        previous, expected = record.seal, expected + 1
    state = AuditSeal.objects.first()
    if state is not None and state.last_sequence >= expected:
        report.missing.extend(range(expected, state.last_sequence + 1))  # sealed rows removed from the end
    unsealed = AuditRecord.objects.filter(seal="")
    report.unsealed = unsealed.count()
    report.oldest_unsealed = unsealed.order_by("at").values_list("at", flat=True).first()
    for entry in anchors():
        report.anchors_checked += 1
        if not hmac.compare_digest(entry.get("signature", ""), _sign(entry)):
            report.anchor_problems.append(f"anchor of {entry['at']}: the signature does not match")
        elif seals.get(entry["sequence"]) != entry["seal"]:
            report.anchor_problems.append(f"anchor of {entry['at']}: record {entry['sequence']} differs")
    return report


def anchors():
    path = Path(settings.EGOV_AUDIT_ANCHOR_FILE)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
