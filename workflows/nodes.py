"""Nodes of the generic procedure flow, extending viewflow's (never patching it).

* :class:`HumanTask` — a task for a role at an agency. Where it lands (role, agency,
  step, budget) is decided when it is created, from the dossier's pinned procedure
  version, by a placement function of the flow.
* :class:`ConsultSplit` — a parallel split that opens one consultation task per
  partner agency listed in the current step (viewflow's Split opens one per branch).
"""

from viewflow import this
from viewflow.workflow.nodes.split import Split, SplitActivation
from viewflow.workflow.nodes.view import View, ViewActivation
from viewflow.workflow.status import STATUS


class HumanTaskActivation(ViewActivation):
    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        task = flow_task.flow_class.task_class(process=prev_activation.process, flow_task=flow_task, token=token)
        task.data = data if data is not None else {}
        task.kind = flow_task.kind
        activation = cls(task)
        for name, value in flow_task.place(activation).items():
            setattr(task, name, value)
        task.save()
        task.previous.add(prev_activation.task)
        return activation


class HumanTask(View):
    """A task done by an officer; completed through the service layer, not a viewflow view."""

    activation_class = HumanTaskActivation

    def __init__(self, kind, place, **kwargs):
        super().__init__(view=None, **kwargs)
        self.kind = kind
        self._place = place

    def _resolve(self, instance):
        super()._resolve(instance)
        self._place = this.resolve(instance, self._place)

    def place(self, activation):
        return self._place(activation)

    def can_execute(self, user, task):
        # Permission is the service layer's business (egov.dossiers.permissions).
        return task.status in (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


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
