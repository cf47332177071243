"""What changed between two versions of a procedure, in words an applicant reads: what a
draft started under one version must confirm before it is filed under the next (the law
handles a dossier under the rules in force when it is received)."""

from django.utils.translation import gettext as _


def _raw_field(field):
    """What of a field decides what the applicant enters (not its wording)."""
    return {k: field.raw.get(k) for k in ("type", "required", "visible", "choices", "min", "max", "pattern")}


def changes_for_applicant(old, new):
    """Sentences for each form field and paper added, removed or changed, and the fee and time
    limit when they differ; an empty list when a draft carries over as it is."""
    found = []
    old_fields = {f.key: f for f in old.input_fields}
    new_fields = {f.key: f for f in new.input_fields}
    for key, field in new_fields.items():
        if key not in old_fields:
            found.append(_("New question: %(label)s.") % {"label": field.label()})
        elif _raw_field(field) != _raw_field(old_fields[key]):
            found.append(_("Changed question: %(label)s.") % {"label": field.label()})
    for key, field in old_fields.items():
        if key not in new_fields:
            found.append(_("No longer asked: %(label)s (your answer is dropped).") % {"label": field.label()})
    old_papers = {d.key: d for d in old.documents}
    new_papers = {d.key: d for d in new.documents}
    for key, paper in new_papers.items():
        if key not in old_papers:
            found.append(_("New paper: %(name)s.") % {"name": paper.name()})
        elif paper.raw.get("required") != old_papers[key].raw.get("required"):
            found.append(_("Paper with a new rule on when it is needed: %(name)s.") % {"name": paper.name()})
    for key, paper in old_papers.items():
        if key not in new_papers:
            found.append(_("Paper no longer needed: %(name)s.") % {"name": paper.name()})
    if old.fees != new.fees:
        found.append(_("The fees changed."))
    if old.data.get("time_limit") != new.data.get("time_limit"):
        found.append(_("The time limit changed."))
    return found


def _summary(entry):
    """A definition entry in one line (its JSON, keys sorted): what the comparison shows."""
    import json

    return json.dumps(entry, ensure_ascii=False, sort_keys=True)


def _by_key(entries, key="key"):
    return {entry.get(key): entry for entry in entries or []}


def compare_versions(old, new):
    """Field by field, for an administrator: [(part, [(key, state, before, after)])] where state
    is "added", "removed" or "changed"; parts without a difference are left out."""
    parts = [
        (_("Form"), _by_key(old.data.get("form")), _by_key(new.data.get("form"))),
        (_("Papers"), _by_key(old.data.get("documents")), _by_key(new.data.get("documents"))),
        (_("Fees"), _by_key(old.data.get("fees"), "code"), _by_key(new.data.get("fees"), "code")),
        (_("Steps"), _by_key(old.data.get("steps")), _by_key(new.data.get("steps"))),
        (_("Time limit"), {"time_limit": old.data.get("time_limit")}, {"time_limit": new.data.get("time_limit")}),
        (_("Agencies"), {"agencies": old.data.get("agencies")}, {"agencies": new.data.get("agencies")}),
        (_("Payment"), {"payment": old.data.get("payment", "")}, {"payment": new.data.get("payment", "")}),
    ]  # fmt: skip
    found = []
    for title, before, after in parts:
        rows = []
        for key in [*before, *[k for k in after if k not in before]]:
            if key not in after:
                rows.append((key, "removed", _summary(before[key]), ""))
            elif key not in before:
                rows.append((key, "added", "", _summary(after[key])))
            elif before[key] != after[key]:
                rows.append((key, "changed", _summary(before[key]), _summary(after[key])))
        if rows:
            found.append((title, rows))
    return found
