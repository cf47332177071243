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
