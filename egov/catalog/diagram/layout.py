"""The path of a procedure version, laid out once for every picture of it.

The generic flow (workflows/flows.py, workflows/routing.py) runs every procedure through the
same order: intake, a fee due before processing, the steps in order, a fee due before the
result, the return of the result. This module reads a definition and places that path on a
plane, left to right, as BPMN would draw it: tasks, gateways where an officer's decision
branches, the applicant's supplement as a waiting event above the line, the endings
(refusal) below it, a consultation as a parallel split with one task per partner.

The SVG picture (svg.py) and the BPMN 2.0 export (bpmn.py) both draw this layout, so the
two never disagree on the path. Node ids are stable (``step_<key>``) so that a dossier's
position (its open tasks' step keys) can be shown on the picture.
"""

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from egov.common.vocabulary import Outcome, Role

# Sizes in pixels (BPMN's usual proportions).
TASK_W, TASK_H = 150, 84
GATEWAY = 44
EVENT = 36
GAP = 46  # between two columns
MARGIN = 48
CONSULT_PITCH = TASK_H + 24  # between two partners' tasks, one above the other
WAIT_RISE = 110  # how far above the line the applicant's supplement waits
BACK_RISE = 150  # how far above the line a send-back travels
END_DROP = 110  # how far below the line a dossier ends when refused

# Step outcomes that leave the main line (the others carry the dossier onward; "issue" is
# allowed on the last step only, so it never skips one).
BRANCHING = (Outcome.SUPPLEMENT, Outcome.SEND_BACK, Outcome.REJECT)
LABEL_ROOM = 44  # extra room after a gateway for the name of its onward edge


@dataclass
class Node:
    id: str
    kind: str  # start, end, task, wait, exclusive, parallel
    label: str
    x: int = 0
    y: int = 0  # the centre line the node sits on
    w: int = TASK_W
    h: int = TASK_H
    detail: list = field(default_factory=list)  # role, agency: smaller lines under the label
    keys: frozenset = frozenset()  # the task step keys that stand here (a dossier's position)
    onward: str = ""  # a gateway's label for the edge that carries the dossier on

    @property
    def top(self):
        return self.y - self.h // 2

    @property
    def left(self):
        return self.x

    @property
    def right(self):
        return self.x + self.w

    @property
    def centre(self):
        return self.x + self.w // 2


@dataclass
class Edge:
    id: str
    source: str
    target: str
    label: str = ""
    points: list = field(default_factory=list)  # [(x, y), ...] from source to target
    outcomes: tuple = ()  # leaving a decision: the officer's outcomes that take this branch


@dataclass
class Diagram:
    name: str
    nodes: list
    edges: list
    width: int
    height: int

    def node(self, node_id):
        return next(n for n in self.nodes if n.id == node_id)


class _Plan:
    """Places nodes column by column along the line at ``line_y``."""

    def __init__(self, line_y):
        self.line_y = line_y
        self.x = MARGIN
        self.nodes = []
        self.edges = []

    def add(self, node, y=None):
        node.x = self.x
        node.y = self.line_y if y is None else y
        self.nodes.append(node)
        return node

    def advance(self, width):
        self.x += width + GAP

    def column(self, node):
        """A node on the line, in a column of its own."""
        self.add(node)
        self.advance(node.w)
        return node

    def link(self, source, target, label="", points=None, outcomes=()):
        """An edge; straight from the right of ``source`` to the left of ``target`` unless
        ``points`` say otherwise. Leaving a gateway along the line is its onward branch."""
        if points is None:
            label = label or source.onward
            points = [(source.right, source.y), (target.left, target.y)]
            if source.y != target.y:  # into or out of a parallel task: go across, then along
                mid = (source.right + target.left) // 2
                points = [(source.right, source.y), (mid, source.y), (mid, target.y), (target.left, target.y)]
        self.edges.append(Edge(f"flow_{len(self.edges) + 1}", source.id, target.id, label, points, outcomes))


def layout(spec, language=None, agency_names=None, simplified=False):
    """The laid-out path of ``spec`` (a ProcedureDefinition).

    ``agency_names`` maps unit codes to names (the caller reads them; the layout makes no
    query). ``simplified`` keeps the main line only: what a citizen needs to know of the
    path, without the officers' decisions.
    """
    with translation.override(language or translation.get_language()):
        return _layout(spec, agency_names or {}, simplified)


def _layout(spec, names, simplified):
    steps = spec.steps
    widest = max((len(s.consultations) for s in steps if s.is_consultation), default=1)
    # Room above the line for send-backs and waits, and for the partners of a consultation.
    above = max(BACK_RISE + 24, (widest - 1) * CONSULT_PITCH // 2 + TASK_H // 2 + 16)
    below = max(END_DROP + EVENT, (widest - 1) * CONSULT_PITCH // 2 + TASK_H // 2) + 40
    plan = _Plan(line_y=MARGIN + above)

    start = plan.column(Node("start", "start", _("Dossier received"), w=EVENT, h=EVENT))
    intake = plan.column(_at_desk("intake", _("Intake")))
    plan.link(start, intake)
    last = intake
    if not simplified:
        last = _decision(plan, intake, "intake", accept=_("accepted"), supplement=True, refuse=_("not accepted"),
                         ending=(Outcome.REFUSE, Outcome.REDIRECT))  # fmt: skip

    if spec.payment == "before_processing":
        last = _payment(plan, last, "payment_before")

    step_nodes = {}
    for step in steps:
        if step.is_consultation:
            step_nodes[step.key], last = _consultation(plan, last, step, names, simplified)
            continue
        task = plan.column(
            Node(
                f"step_{step.key}",
                "task",
                step.name(),
                detail=_who(step.role, step.at, spec, names),
                keys=frozenset({step.key}),
            )  # fmt: skip
        )
        step_nodes[step.key] = task
        plan.link(last, task)
        last = task
        if simplified or not any(o in BRANCHING for o in step.outcomes):
            continue
        onward = _onward_label(step)
        gateway = _decision(
            plan, task, step.key, accept=onward,
            supplement=Outcome.SUPPLEMENT in step.outcomes,
            refuse=_("refused") if Outcome.REJECT in step.outcomes else None, ending=(Outcome.REJECT,),
        )  # fmt: skip
        if Outcome.SEND_BACK in step.outcomes:
            target = _send_back_target(step, steps, step_nodes)
            if target is not None:
                _back(plan, gateway, target, _("sent back"))
        last = gateway

    if spec.payment == "before_result":
        last = _payment(plan, last, "payment_result")
    handing = plan.column(_at_desk("return", _("Return of the result")))
    plan.link(last, handing)
    end = plan.column(Node("end", "end", spec.result_name() or _("Result returned"), w=EVENT, h=EVENT))
    plan.link(handing, end)

    width = plan.x - GAP + MARGIN + 40  # the end's name is wider than its circle
    return Diagram(spec.name(), plan.nodes, plan.edges, width, plan.line_y + below)


def _at_desk(key, label):
    """A task of the receiving unit's desk (intake, the return of the result)."""
    return Node(key, "task", label, detail=[str(Role.INTAKE_OFFICER.label), _("receiving unit")],
                keys=frozenset({key}))  # fmt: skip


def _who(role, at, spec, names):
    """The lines under a task's name: who handles it, where."""
    lines = [str(Role(role).label)] if role else []
    if at == "receiving":
        lines.append(_("receiving unit"))
    elif at == "deciding" or at is None:
        code = spec.deciding.get("code")
        lines.append(names.get(code, code) if code else _("deciding agency"))
    else:
        lines.append(names.get(at, at))
    return lines


def _onward_label(step):
    for outcome in (Outcome.FORWARD, Outcome.APPROVE, Outcome.PROPOSE_REFUSAL, Outcome.ISSUE):
        if outcome in step.outcomes:
            return str(outcome.label).lower()
    return ""


def _decision(plan, task, key, accept, supplement, refuse, ending):
    """An exclusive gateway after ``task``: onward on the line, the applicant's supplement
    above it (back to the same task), an ending (for the ``ending`` outcomes) below it."""
    gateway = plan.add(Node(f"decide_{key}", "exclusive", "", w=GATEWAY, h=GATEWAY))
    plan.link(task, gateway)
    if supplement:
        wait = plan.add(
            Node(
                f"supplement_{key}",
                "wait",
                _("Applicant supplements"),
                w=EVENT,
                h=EVENT,
                keys=frozenset({f"supplement:{key}"}),
            ),  # fmt: skip
            y=plan.line_y - WAIT_RISE,
        )
        wait.x = gateway.centre - EVENT // 2
        plan.link(gateway, wait, str(Outcome.SUPPLEMENT.label).lower(), outcomes=(Outcome.SUPPLEMENT,),
                  points=[(gateway.centre, gateway.top), (wait.centre, wait.y + EVENT // 2)])  # fmt: skip
        plan.link(wait, task, "", points=[(wait.left, wait.y), (task.centre, wait.y), (task.centre, task.top)])
    if refuse:
        end = plan.add(Node(f"refused_{key}", "end", refuse, w=EVENT, h=EVENT), y=plan.line_y + END_DROP)
        end.x = gateway.centre - EVENT // 2
        plan.link(gateway, end, "", outcomes=ending,
                  points=[(gateway.centre, gateway.y + GATEWAY // 2), (end.centre, end.top)])  # fmt: skip
    plan.advance(GATEWAY + LABEL_ROOM)
    gateway.onward = accept
    return gateway


def _back(plan, gateway, target, label):
    """A send-back: from the gateway up, left above the line, down into the earlier task."""
    rise = plan.line_y - BACK_RISE
    plan.link(gateway, target, label, outcomes=(Outcome.SEND_BACK,), points=[
        (gateway.centre, gateway.top), (gateway.centre, rise), (target.centre + 12, rise),
        (target.centre + 12, target.top),
    ])  # fmt: skip


def _send_back_target(step, steps, step_nodes):
    if step.send_back_to:
        return step_nodes.get(step.send_back_to)
    if step.index == 0:
        return None
    return step_nodes.get(steps[step.index - 1].key)


def _payment(plan, last, node_id):
    task = plan.column(
        Node(
            node_id,
            "task",
            _("Payment of the fee"),
            detail=[_("applicant"), _("online or at the desk")],
            keys=frozenset({"payment"}),
        )  # fmt: skip
    )
    plan.link(last, task)
    return task


def _consultation(plan, last, step, names, simplified):
    """One task per partner between a parallel split and join; returns (entry, exit)."""
    partners = step.consultations
    if simplified:
        task = plan.column(
            Node(
                f"step_{step.key}",
                "task",
                step.name(),
                detail=[_("consultation"), ", ".join(names.get(p["agency"], p["agency"]) for p in partners)],
                keys=frozenset({step.key}),
            )  # fmt: skip
        )
        plan.link(last, task)
        return task, task
    split = plan.column(Node(f"split_{step.key}", "parallel", "", w=GATEWAY, h=GATEWAY))
    plan.link(last, split)
    x = plan.x
    first_y = plan.line_y - (len(partners) - 1) * CONSULT_PITCH // 2
    tasks = []
    for i, partner in enumerate(partners):
        task = plan.add(
            Node(f"consult_{step.key}_{i + 1}", "task", step.name(),
                 detail=_who(partner["role"], partner["agency"], None, names), keys=frozenset({step.key})),
            y=first_y + i * CONSULT_PITCH,
        )  # fmt: skip
        task.x = x
        tasks.append(task)
        plan.link(split, task)
    plan.advance(TASK_W)
    join = plan.column(Node(f"join_{step.key}", "parallel", "", w=GATEWAY, h=GATEWAY))
    for task in tasks:
        plan.link(task, join)
    return split, join
