"""The procedure format's reference lives in docs/ (issue 23, item 7): its complete example
imports and publishes as it stands, and every fragment in it is valid YAML."""

import re
from pathlib import Path

import pytest
import yaml

from egov.catalog.services import import_definition

DOC = Path(__file__).resolve().parents[2] / "docs" / "procedure-format.md"
BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_every_fragment_is_yaml():
    assert len(BLOCKS) >= 5
    for block in BLOCKS:
        yaml.safe_load(block)


@pytest.mark.django_db
def test_the_complete_example_imports_and_publishes(demo_agencies):
    example = yaml.safe_load(BLOCKS[-1])
    result = import_definition(example, publish=True)
    assert result.version.status == "published" and result.version.procedure.code == example["code"]
