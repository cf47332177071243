"""Nodes of the generic procedure flow, extending viewflow's (never patching it).

* :class:`HumanTask` — a task for a role at an agency. Where it lands (role, agency,
  step, budget) is decided when it is created, from the dossier's pinned procedure
  version, by a placement function of the flow. Where the dossier goes after it can be
  declared on the task itself with ``Case``/``Default``, as on viewflow's ``Switch``: the
  choice is made as the task completes, without a gateway task row of its own (a gateway
  costs five statements and a savepoint per hand-over, which a province pays on every
  dossier).
* :class:`DossierStart` — the start of a dossier's process, inside the submitting
  transaction.
* :class:`ConsultSplit` — a parallel split that opens one consultation task per
  partner agency listed in the current step (viewflow's Split opens one per branch).
"""

from django.db import connection
from django.utils import timezone
from viewflow import this
from viewflow.workflow.base import Edge
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.split import Split, SplitActivation
from viewflow.workflow.nodes.start import StartHandle, StartHandleActivation
from viewflow.workflow.nodes.view import View, ViewActivation
from viewflow.workflow.signals import flow_started, task_finished, task_started
from viewflow.workflow.status import STATUS

from egov.common import prepared

# What completing a task writes on its row (one UPDATE instead of viewflow's assign, start
# and complete saving the whole row each).
FINISHED_FIELDS = ["owner", "status", "assigned", "started", "finished", "outcome", "note", "completed_by", "data"]


class HumanTaskActivation(ViewActivation):
    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        task = flow_task.flow_class.task_class(process=prev_activation.process, flow_task=flow_task, token=token)
        task.data = data if data is not None else {}
        task.kind = flow_task.kind
        activation = cls(task)
        for name, value in flow_task.place(activation).items():
            setattr(task, name, value)
        # A new task and its link to the one before, with statements compiled once
        # (egov/common/prepared.py): this runs on every hand-over.
        task.fill_in()
        prepared.insert(task)
        link = type(task).previous.through
        prepared.insert(link(from_dossiertask_id=task.pk, to_dossiertask_id=prev_activation.task.pk))
        opened = getattr(task.process, "opened_tasks", None)
        if opened is not None:  # the service layer is listening (egov/dossiers/services/handling.py)
            opened.append(task)
        return activation

    @ViewActivation.status.transition(source=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED], target=STATUS.DONE)
    def finish(self, user):
        """Take, start and complete the task in one write, then open what comes next.

        The service layer has checked who acts and set the outcome; viewflow's own path
        (assign, start, execute) would save the row three times.
        """
        task = self.task
        now = timezone.now()
        task_started.send(sender=self.flow_class, process=self.process, task=task)
        if task.owner_id is None:
            task.owner = user
            task.assigned = now
        task.started = task.started or now
        task.finished = now
        prepared.update(task, FINISHED_FIELDS)
        task_finished.send(sender=self.flow_class, process=self.process, task=task)
        self.activate_next()

    @ViewActivation.status.super()
    def create_next(self):
        node = self.flow_task.next_node(self)
        if node is not None:
            flow_task = self.flow_task
            data = flow_task._task_data(self) if flow_task._task_data else {}
            seed = flow_task._task_seed(self) if flow_task._task_seed else None
            yield node._create(self, self.task.token, data=data, seed=seed)


class HumanTask(View):
    """A task done by an officer; completed through the service layer, not a viewflow view."""

    activation_class = HumanTaskActivation

    def __init__(self, kind, place, **kwargs):
        super().__init__(view=None, **kwargs)
        self.kind = kind
        self._place = place
        self._cases = []

    def Case(self, node, cond=None):
        """After this task, go to ``node`` if ``cond(activation)`` holds (first match wins)."""
        self._cases.append((node, cond))
        return self

    def Default(self, node):
        """After this task, go to ``node`` when no case matched."""
        return self.Case(node)

    def _resolve(self, instance):
        super()._resolve(instance)
        self._place = this.resolve(instance, self._place)
        self._cases = [(this.resolve(instance, node), this.resolve(instance, cond)) for node, cond in self._cases]

    def _outgoing(self):
        if not self._cases:
            yield from super()._outgoing()
        for node, cond in self._cases:
            yield Edge(src=self, dst=node, edge_class="cond_true" if cond else "default")

    def next_node(self, activation):
        if not self._cases:
            return self._next
        for node, cond in self._cases:
            if cond is None or cond(activation):
                return node
        raise FlowRuntimeError(f"No next task available for {self.name}")

    def place(self, activation):
        return self._place(activation)

    def can_execute(self, user, task):
        # Permission is the service layer's business (egov.dossiers.permissions).
        return task.status in (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


class DossierStartActivation(StartHandleActivation):
    @StartHandleActivation.status.super()
    def execute(self):
        """Viewflow's start, without its savepoint and process lock: the submission runs
        in a transaction of its own, and a process not yet committed is seen by no one."""
        assert connection.in_atomic_block, "start a dossier's process inside the submitting transaction"
        task_started.send(sender=self.flow_class, process=self.process, task=self.task)
        self.process.save()
        self.complete()
        flow_started.send(sender=self.flow_class, process=self.process, task=self.task)
        self.activate_next()


class DossierStart(StartHandle):
    activation_class = DossierStartActivation


class ConsultSplitActivation(SplitActivation):
    @SplitActivation.status.super()
    def activate(self):
        node, _case, _data = self.flow_task._branches[0]
        for entry in self.flow_task.entries(self):
            self.next_tasks.append((node, dict(entry)))


class ConsultSplit(Split):
    """One branch, instantiated once per ``consult`` entry of the current step."""

    activation_class = ConsultSplitActivation

    def __init__(self, entries, **kwargs):
        super().__init__(**kwargs)
        self._entries = entries

    def _resolve(self, instance):
        super()._resolve(instance)
        self._entries = this.resolve(instance, self._entries)

    def entries(self, activation):
        return self._entries(activation)
