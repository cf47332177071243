"""A procedure version as a picture: SVG for the pages, BPMN 2.0 XML for modellers.

``layout.py`` places the path once; ``svg.py`` and ``bpmn.py`` draw it.
"""

from egov.agencies.models import Agency

from . import bpmn, svg
from .layout import layout


def path_of(version, language=None, simplified=False):
    """The laid-out path of ``version`` (a ProcedureVersion), with its agencies' names."""
    codes = {s.at for s in version.spec.steps} | {c["agency"] for s in version.spec.steps for c in s.consultations}
    codes.add(version.spec.deciding.get("code"))
    names = {a.code: a.display_name for a in Agency.objects.filter(code__in=codes - {None})}
    return layout(version.spec, language=language, agency_names=names, simplified=simplified)


def svg_of(version, language=None, simplified=False, current=frozenset()):
    """The SVG markup of ``version``'s path; ``current``: the step keys a dossier stands at."""
    return svg.render(path_of(version, language, simplified), current=frozenset(current))


def bpmn_of(version, language=None):
    """The BPMN 2.0 XML (bytes) of ``version``'s path."""
    return bpmn.render(path_of(version, language), version.procedure.code, version.number)
