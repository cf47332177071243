"""The demo procedures (loaded by seed_demo), written from the domain notes section 9."""

from pathlib import Path

from egov.common.plugins import procedure_folders

from .format import load_text
from .services import import_definition

FOLDER = Path(__file__).resolve().parent / "demo_procedures"


def load_demo_procedures():
    """Import and publish every demo procedure, and those of the plug-in apps; yields one line
    per file. Idempotent."""

    paths = sorted(FOLDER.glob("*.yaml"))
    for folder in procedure_folders():
        paths += sorted(folder.glob("*.yaml"))
    for path in paths:
        definition = load_text(path.read_text(encoding="utf-8"), name=path.name)
        result = import_definition(definition, publish=True)
        yield f"{path.name}: {result.describe()}"
