"""What the engine relies on in viewflow (workflows/nodes.py, workflows/flows.py), checked
against the installed release: a viewflow upgrade that changes one of these fails here, by
name, instead of breaking a hand-over. requirements.txt pins the release these were read
from; read its changelog before moving the pin, then run this file."""

import inspect

import pytest
from viewflow import this
from viewflow.fsm import State
from viewflow.workflow import flow, signals
from viewflow.workflow.activation import Activation
from viewflow.workflow.base import Flow
from viewflow.workflow.models import AbstractProcess, AbstractTask
from viewflow.workflow.nodes.handle import HandleActivation
from viewflow.workflow.nodes.split import Split, SplitActivation
from viewflow.workflow.nodes.start import StartHandle, StartHandleActivation
from viewflow.workflow.nodes.view import View, ViewActivation
from viewflow.workflow.status import STATUS

from workflows.custom.desk_same_day import DeskSameDayFlow
from workflows.flows import ProcedureFlow
from workflows.models import DossierProcess, DossierTask
from workflows.nodes import ConsultSplitActivation, HumanTask, HumanTaskActivation


def parameters(function):
    return list(inspect.signature(function).parameters)


def test_the_pinned_release():
    from importlib.metadata import version
    from pathlib import Path

    requirements = (Path(__file__).resolve().parents[2] / "requirements.txt").read_text().splitlines()
    pinned = next(line.split("==")[1].strip() for line in requirements if line.startswith("django-viewflow"))
    assert version("django-viewflow") == pinned


def test_an_activation_is_created_by_its_classmethod_create():
    # HumanTaskActivation.create overrides it; nodes open the next task through it.
    assert isinstance(inspect.getattr_static(Activation, "create"), classmethod)
    assert parameters(Activation.create) == ["flow_task", "prev_activation", "token", "data", "seed"]
    assert parameters(ViewActivation.create) == ["flow_task", "prev_activation", "token", "data", "seed"]


@pytest.mark.parametrize("cls, names", [
    (Activation, ["activate", "complete", "create_next", "activate_next"]),
    (ViewActivation, ["assign", "unassign", "reassign", "activate", "cancel", "execute"]),
    (SplitActivation, ["activate", "create_next"]),
    (StartHandleActivation, ["execute"]),
    (HandleActivation, ["run", "execute", "cancel"]),
])  # fmt: skip
def test_the_transitions_we_call_or_override_exist(cls, names):
    transitions = {method.slug for method in cls.status.get_transitions()}
    for name in names:
        assert name in transitions, f"{cls.__name__}.{name} is no longer a transition"
    assert isinstance(inspect.getattr_static(Activation, "status"), State)
    assert callable(Activation.status.transition) and callable(Activation.status.super)


def test_our_overrides_are_transitions_of_the_state_machine():
    human = {method.slug: method for method in HumanTaskActivation.status.get_transitions()}
    assert {"finish", "create_next", "assign", "unassign", "reassign"} <= set(human)
    # finish takes an open task (new, taken or started) to done in one write
    assert {(t.source, t.target) for t in human["finish"].get_transitions()} == {
        (STATUS.NEW, STATUS.DONE), (STATUS.ASSIGNED, STATUS.DONE), (STATUS.STARTED, STATUS.DONE)}
    assert "activate" in {method.slug for method in ConsultSplitActivation.status.get_transitions()}


def test_a_split_activation_opens_what_next_tasks_lists():
    # ConsultSplitActivation.activate fills next_tasks with (node, data); create_next opens each.
    assert "self.next_tasks = []" in inspect.getsource(SplitActivation.__init__)
    assert "self.next_tasks" in inspect.getsource(SplitActivation)
    assert "for n, (next_task, data) in enumerate(next_tasks, 1)" in inspect.getsource(SplitActivation)


def test_nodes_and_flows_keep_the_public_calls_we_make():
    assert parameters(Flow.node) == ["self", "name", "no_obsolete"]
    assert parameters(Flow.cancel) == ["self", "process"]
    assert parameters(Flow.lock) == ["process_pk"]
    assert parameters(StartHandle.run) == ["self", "kwargs"]
    assert parameters(flow.Handle.run) == ["self", "task", "kwargs"]
    assert parameters(View.__init__)[:2] == ["self", "view"]
    assert parameters(Split.Next)[:3] == ["self", "node", "case"]
    assert parameters(flow.Switch.Case) == ["self", "node", "cond"] and parameters(flow.Switch.Default) == ["self", "node"]
    assert callable(this.resolve)
    for signal in ("task_started", "task_finished", "flow_started"):
        assert hasattr(signals, signal)
    assert {STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.DONE, STATUS.CANCELED} <= set(STATUS)


def test_the_models_we_extend_have_the_fields_we_use():
    process_fields = {f.name for f in AbstractProcess._meta.get_fields()}
    task_fields = {f.name for f in AbstractTask._meta.get_fields()}
    assert {"flow_class", "status", "created", "finished"} <= process_fields
    assert {"flow_task", "flow_task_type", "status", "created", "assigned", "started", "finished", "token",
            "owner", "previous"} <= task_fields  # fmt: skip
    assert issubclass(DossierProcess, AbstractProcess) and issubclass(DossierTask, AbstractTask)


@pytest.mark.parametrize("flow_class", [ProcedureFlow, DeskSameDayFlow])
def test_every_node_the_routing_can_name_is_in_the_flow(flow_class):
    from workflows.routing import NODES

    names = {node.name for node in flow_class.instance.nodes()}
    reachable = {"intake", "return_result", "end", "await_intake_supplement"}
    if flow_class is ProcedureFlow:
        reachable |= set(NODES.values()) | {"await_supplement", "consult_join", "consult"}
    assert reachable <= names
    for node in flow_class.instance.nodes():
        if isinstance(node, HumanTask):
            assert node.activation_class is HumanTaskActivation
    assert isinstance(flow_class.start, StartHandle)
