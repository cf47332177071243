"""Plug-in apps: what an installed Django app may contribute to the engine.

A smart-city app plugs in as an ordinary Django app (in this repository or an installed
package) listed in ``EGOV_PLUGINS``. Its ``AppConfig`` may declare:

``egov_procedures``      a folder of procedure definitions (imported and published by
                         ``seed_demo`` and ``import_procedures --plugins``)
``egov_event_consumers`` dotted paths of functions called with every outbox event
``egov_flows``           ``{"procedure code": "dotted.FlowClass"}`` custom flows
``egov_privacy_stores``  dotted paths of the app's stores of personal data (classes like
                         those of egov/privacy/stores.py): erasure and the purge walk them
Result templates need no declaration: ``templates/documents/results/<slug>.html`` in the
app is found like any template. See docs/plugins.md.
"""

from pathlib import Path

from django.apps import apps


def _declared(attribute):
    for config in apps.get_app_configs():
        value = getattr(config, attribute, None)
        if value:
            yield config, value


def procedure_folders():
    return [Path(config.path) / folder for config, folder in _declared("egov_procedures")]


def event_consumers():
    return [path for _config, paths in _declared("egov_event_consumers") for path in paths]


def flows():
    merged = {}
    for _config, mapping in _declared("egov_flows"):
        merged.update(mapping)
    return merged


def privacy_stores():
    return [path for _config, paths in _declared("egov_privacy_stores") for path in paths]
