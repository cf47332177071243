"""The path of a procedure as an SVG picture (drawn from layout.py).

Plain SVG with presentation attributes only (no style element, no script), so the same
markup sits inline in a page under the content security policy and stands alone when the
API serves it. Every text is escaped here, which is why the result may be marked safe.
"""

import textwrap

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .layout import EVENT

INK = "#1f2937"
LINE = "#4b5563"
FILL = "#ffffff"
CURRENT = "#fde68a"  # where the dossier stands
CURRENT_INK = "#92400e"
LABEL_WIDTH = 21  # characters on one line of a task's name
DETAIL_WIDTH = 25  # of the smaller lines under it


def render(diagram, current=frozenset()):
    """The SVG markup of ``diagram``; nodes whose keys meet ``current`` are highlighted."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {diagram.width} {diagram.height}" '
        f'width="{diagram.width}" height="{diagram.height}" role="img" aria-labelledby="diagram-title diagram-desc" '
        f'font-family="sans-serif" class="procedure-diagram">',
        f'<title id="diagram-title">{escape(diagram.name)}</title>',
        f'<desc id="diagram-desc">{escape(describe(diagram))}</desc>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{LINE}"/></marker></defs>',
    ]
    parts += [_edge(edge) for edge in diagram.edges]
    parts += [_node(node, bool(node.keys & current)) for node in diagram.nodes]
    parts.append("</svg>")
    return mark_safe("".join(parts))


def describe(diagram):
    """The main line in words, for those who cannot see the picture."""
    names = []
    for node in diagram.nodes:
        # the partners of one consultation share its name: say it once
        if node.kind in ("start", "task") and (not names or names[-1] != node.label):
            names.append(node.label)
    names.append(diagram.nodes[-1].label)  # the end of the line
    return _("The path: %(steps)s.") % {"steps": " → ".join(names)}


def _edge(edge):
    points = " ".join(f"{x},{y}" for x, y in edge.points)
    markup = f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="1.5" marker-end="url(#arrow)"/>'
    if edge.label:
        (x1, y1), (x2, y2) = edge.points[0], edge.points[1]
        x, y = (x1 + x2) // 2, (y1 + y2) // 2
        anchor = "middle" if y1 == y2 else "start"
        dx, dy = (0, -6) if y1 == y2 else (6, 0)
        markup += (
            f'<text x="{x + dx}" y="{y + dy}" font-size="10" fill="{LINE}" text-anchor="{anchor}">'
            f"{escape(edge.label)}</text>"
        )
    return markup


def _node(node, current):
    fill, ink = (CURRENT, CURRENT_INK) if current else (FILL, INK)
    mark = ' class="current"' if current else ""
    g = f'<g id="node-{escape(node.id)}"{mark}>'
    if node.kind == "task":
        g += (
            f'<rect x="{node.x}" y="{node.top}" width="{node.w}" height="{node.h}" rx="10" fill="{fill}" '
            f'stroke="{ink}" stroke-width="{3 if current else 1.5}"/>'
        )
        # the name on two lines at most, who and where on three (an agency's name is long)
        lines = textwrap.wrap(node.label, LABEL_WIDTH)[:2]
        detail = [part for d in node.detail for part in textwrap.wrap(d, DETAIL_WIDTH)][:3]
        top = node.y + 4 - (len(lines) + len(detail) - 1) * 13 // 2
        for i, line in enumerate(lines):
            g += _text(node.centre, top + i * 13, line, 12, ink, bold=True)
        for i, line in enumerate(detail):
            g += _text(node.centre, top + (len(lines) + i) * 13, line, 10, ink)
    elif node.kind in ("exclusive", "parallel"):
        cx, cy, r = node.centre, node.y, node.w // 2
        g += (
            f'<polygon points="{cx},{cy - r} {cx + r},{cy} {cx},{cy + r} {cx - r},{cy}" fill="{fill}" '
            f'stroke="{ink}" stroke-width="1.5"/>'
        )
        g += _text(cx, cy + 6, "×" if node.kind == "exclusive" else "+", 18, ink, bold=True)
    else:  # events: start (thin), end (thick), the applicant's supplement (double ring)
        cx, cy, r = node.centre, node.y, EVENT // 2
        width = {"start": 1.5, "end": 4, "wait": 1.5}[node.kind]
        g += f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{fill}" stroke="{ink}" stroke-width="{width}"/>'
        if node.kind == "wait":
            g += f'<circle cx="{cx}" cy="{cy}" r="{r - 4}" fill="none" stroke="{ink}" stroke-width="1.5"/>'
        # the name under the circle; a waiting event's above it (its edges leave below)
        lines = textwrap.wrap(node.label, LABEL_WIDTH)[:2]
        first = cy - r - 8 - (len(lines) - 1) * 13 if node.kind == "wait" else cy + r + 14
        for i, line in enumerate(lines):
            g += _text(cx, first + i * 13, line, 11, ink)
    return g + "</g>"


def _text(x, y, text, size, ink, bold=False):
    weight = ' font-weight="bold"' if bold else ""
    return f'<text x="{x}" y="{y}" font-size="{size}" fill="{ink}" text-anchor="middle"{weight}>{escape(text)}</text>'
