"""Nodes of the dossier flows, extending viewflow through its documented API only.

* :class:`HumanTask` — a task for a role at an agency. Where it lands (role, agency, step,
  budget) is decided as it is created, by a placement method of the flow, from the
  dossier's pinned procedure version. Where the dossier goes after it is decided by
  :mod:`workflows.routing` as it completes: no gateway task between two officers.
* :class:`DossierStart` — the start of a dossier's process, inside the submitting
  transaction.
* :class:`ConsultSplit` — a parallel split that opens one consultation task per partner
  agency of the current step (viewflow's Split opens one per declared branch; the
  ``data_source`` its docstring describes is not implemented in viewflow 2.4).

What these override is viewflow's documented extension surface: an activation's
``create`` and its transitions (``activate``, ``create_next``, ``execute``), declared with
the ``status`` state's ``transition``/``super`` decorators; a new task is opened with its
node's ``activation_class.create`` and nodes are found with ``Flow.node``. Nothing here
reads an underscored attribute of viewflow; tests/workflows/test_viewflow_contract.py
fails loudly if a viewflow release changes what these rely on.
"""

from django.db import connection
from django.utils import timezone
from viewflow import this
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.split import Split, SplitActivation
from viewflow.workflow.nodes.start import StartHandle, StartHandleActivation
from viewflow.workflow.nodes.view import View, ViewActivation
from viewflow.workflow.signals import flow_started, task_finished, task_started
from viewflow.workflow.status import STATUS

# What completing a task writes on its row: one UPDATE (viewflow's own assign, start and
# complete would save the whole row up to three times).
FINISHED_FIELDS = ["owner", "status", "assigned", "started", "finished", "outcome", "note", "completed_by", "data"]


def next_node(activation, name):
    """The node called ``name`` in the activation's flow; a flow that has none is an error."""
    node = activation.flow_class.instance.node(name, no_obsolete=True)
    if node is None:
        raise FlowRuntimeError(f"{activation.flow_class.__name__} has no node {name!r} to go to")
    return node


class HumanTaskActivation(ViewActivation):
    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        """A new task, placed (role, agency, step, budget) before it is written."""
        task = flow_task.flow_class.task_class(
            process=prev_activation.process, flow_task=flow_task, token=token, kind=flow_task.kind,
            data=data if data is not None else {},
        )  # fmt: skip
        activation = cls(task)
        for name, value in flow_task.place(activation).items():
            setattr(task, name, value)
        # What the queues filter, sort and search on, copied from the dossier (models.py).
        task.dossier_due_at = task.dossier.due_at
        task.search_text = task.dossier.search_text
        task.save()
        task.previous.add(prev_activation.task)
        return activation

    @ViewActivation.status.transition(source=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED], target=STATUS.DONE)
    def finish(self, user):
        """Take, start and complete the task in one write, then open what comes next.

        The service layer has checked who acts and set the outcome, and the position has
        moved (workflows/routing.py).
        """
        task = self.task
        now = timezone.now()
        task_started.send(sender=self.flow_class, process=self.process, task=task)
        if task.owner_id is None:
            task.owner = user
            task.assigned = now
        task.started = task.started or now
        task.finished = now
        task.save(update_fields=FINISHED_FIELDS)
        task_finished.send(sender=self.flow_class, process=self.process, task=task)
        self.activate_next()

    @ViewActivation.status.super()
    def create_next(self):
        node = next_node(self, self.flow_class.routing.node_after(self.task))
        # Kept for the caller: the task this one handed the dossier to (the control slip
        # names its receiver), unless it is a gateway that opens others in turn.
        self.next_activation = node.activation_class.create(node, self, self.task.token)
        yield self.next_activation


class HumanTask(View):
    """A task done by an officer; completed through the service layer, not a viewflow view.

    ``place`` is a method of the flow (``this.place_step``) returning the task's fields.
    """

    activation_class = HumanTaskActivation

    def __init__(self, kind, place, **kwargs):
        super().__init__(view=None, **kwargs)
        self.kind = kind
        self.placement = place

    def place(self, activation):
        return this.resolve(self.flow_class.instance, self.placement)(activation)

    def can_execute(self, user, task):
        # Permission is the service layer's business (egov.dossiers.selectors.may_work_on).
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
        """One consultation task per partner agency the flow lists (``consultations``)."""
        node = next_node(self, "consult")
        for entry in self.flow_class.instance.consultations(self):
            self.next_tasks.append((node, dict(entry)))
        if not self.next_tasks:
            raise FlowRuntimeError(f"{self.flow_task.name}: the step consults no agency")


class ConsultSplit(Split):
    """Opens ``consult`` once per entry the flow's ``consultations`` method returns."""

    activation_class = ConsultSplitActivation
