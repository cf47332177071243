"""One logic for the rules (issue 23, item 2): the server is the only evaluator, the e-form
page asks it (portal form_state). These vectors fix what the product answers for the values
that libraries disagree on — null, "", 0, false, missing keys, numbers as text, choices and
lists — and the browser test (tests/e2e/test_eform_rules.py) checks the page shows the same."""

import json
from pathlib import Path

import pytest

from egov.catalog.conditions import context_for, evaluate

VECTORS = json.loads((Path(__file__).parent / "data" / "condition-vectors.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("vector", VECTORS, ids=[v["what"] for v in VECTORS])
def test_the_server_answers_each_vector(vector):
    assert evaluate(vector["rule"], context_for(vector["data"])) is vector["expected"]
