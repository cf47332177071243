"""Which flow runs a procedure: the generic one, unless a deployment names a custom flow.

``EGOV_CUSTOM_FLOWS`` maps procedure codes to flow classes (dotted paths). A custom flow
uses the same process and task tables and the same task kinds, so queues, the service
layer, the control slip and the API work for it unchanged.
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from egov.common.plugins import flows

from .flows import ProcedureFlow


@cache
def _custom_flows():
    declared = {**flows(), **getattr(settings, "EGOV_CUSTOM_FLOWS", {})}  # settings win over plug-ins
    return {code: import_string(path) for code, path in declared.items()}


def flow_for_procedure(code):
    return _custom_flows().get(code, ProcedureFlow)


def flow_of(process):
    """The flow class a running process belongs to."""
    return process.flow_class
