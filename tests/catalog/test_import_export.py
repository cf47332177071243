"""Import and export of procedure definitions (issue: the catalogue; spec/procedure-format.md)."""

import copy
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from egov.catalog.format import load_text, normalise
from egov.catalog.models import Procedure, ProcedureVersion

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
DEMO = Path(__file__).resolve().parents[2] / "egov" / "catalog" / "demo_procedures"


def spec_example():
    return load_text((DATA / "spec-example.yaml").read_text(encoding="utf-8"), "spec-example.yaml")


def write(tmp_path, definition, name="p.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_spec_example_imports(demo_agencies, capsys):
    call_command("import_procedures", str(DATA / "spec-example.yaml"))
    assert "2.000000.H56: created version 1 (draft)" in capsys.readouterr().out
    version = ProcedureVersion.objects.get(procedure__code="2.000000.H56")
    assert version.name == "Đăng ký thành lập hộ kinh doanh"
    assert version.level == "commune" and version.online_level == "full"
    assert version.sector.code == "HKD"


def test_round_trip_export_import_creates_no_new_version(demo_agencies, tmp_path, capsys):
    call_command("import_procedures", str(DATA / "spec-example.yaml"))
    capsys.readouterr()
    call_command("export_procedure", "2.000000.H56")
    exported = capsys.readouterr().out
    # export(import(x)) is the normalised x: the same data, loaded back exactly as written
    assert yaml.safe_load(exported) == yaml.safe_load((DATA / "spec-example.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "exported.yaml"
    path.write_text(exported, encoding="utf-8")
    call_command("import_procedures", str(path))
    assert "unchanged (version 1" in capsys.readouterr().out
    assert ProcedureVersion.objects.count() == 1


def test_every_demo_procedure_round_trips(demo_agencies, tmp_path, capsys):
    call_command("import_procedures", str(DEMO))
    versions = ProcedureVersion.objects.count()
    assert versions == 8
    for version in ProcedureVersion.objects.all():
        capsys.readouterr()
        call_command("export_procedure", version.procedure.code, "--version", str(version.number))
        path = tmp_path / f"{version.procedure.code}-{version.number}.yaml"
        path.write_text(capsys.readouterr().out, encoding="utf-8")
        assert load_text(path.read_text(encoding="utf-8"), path.name) == version.definition
    # re-importing the latest version of each procedure changes nothing
    for procedure in Procedure.objects.all():
        latest = procedure.versions.order_by("-number").first()
        call_command("import_procedures", str(tmp_path / f"{procedure.code}-{latest.number}.yaml"))
    assert ProcedureVersion.objects.count() == versions


def test_changed_definition_creates_a_new_draft_version(demo_agencies, tmp_path, capsys):
    definition = spec_example()
    call_command("import_procedures", str(write(tmp_path, definition)), "--publish")
    definition["time_limit"] = {"working_days": 5}
    call_command("import_procedures", str(write(tmp_path, definition)))
    assert "new version 2 (draft)" in capsys.readouterr().out
    v1, v2 = ProcedureVersion.objects.order_by("number")
    assert v1.status == "published" and v2.status == "draft"
    assert v1.definition["time_limit"] == {"working_days": 3}


def test_json_files_and_folders(demo_agencies, tmp_path, capsys):
    import json

    folder = tmp_path / "procedures"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(spec_example(), ensure_ascii=False), encoding="utf-8")
    call_command("import_procedures", str(folder), "--publish")
    out = capsys.readouterr().out
    assert "created version 1" in out and "published" in out
    assert ProcedureVersion.objects.get().status == "published"


def test_published_version_is_immutable(demo_agencies, tmp_path):
    from egov.catalog.models import ImmutableVersionError

    call_command("import_procedures", str(DATA / "spec-example.yaml"), "--publish")
    version = ProcedureVersion.objects.get()
    version.definition = {**version.definition, "time_limit": {"working_days": 1}}
    with pytest.raises(ImmutableVersionError):
        version.save()


def test_normalise_orders_keys_like_the_spec():
    definition = spec_example()
    shuffled = dict(reversed(list(definition.items())))
    assert list(normalise(shuffled)) == list(definition)


def broken(change):
    definition = copy.deepcopy(load_text((DATA / "spec-example.yaml").read_text(encoding="utf-8"), "x.yaml"))
    change(definition)
    return definition


BROKEN = [
    ("unknown top-level key", lambda d: d.update(colour="red"), "(top): unknown key 'colour'"),
    ("unknown key in a step", lambda d: d["steps"][0].update(deadline=3), "steps[0]: unknown key 'deadline'"),
    ("unknown role", lambda d: d["steps"][1].update(role="aprover"), "steps[1].role: unknown role 'aprover'"),
    ("unknown outcome", lambda d: d["steps"][0]["outcomes"].append("escalate"), "steps[0].outcomes[3]: unknown outcome"),
    ("bad JSON Logic operator", lambda d: d["fees"][0].update(when={"~=": [1, 2]}), "fees[0].when: invalid condition: unknown operator '~='"),
    ("condition on an undeclared field", lambda d: d["documents"][2].update(required={"var": "data.members"}),
     "documents[2].required: invalid condition: unknown field 'data.members'"),
    ("missing agency", lambda d: d["agencies"].update(deciding={"code": "000.00.99.H56"}),
     "agencies.deciding.code: no agency has the code '000.00.99.H56'"),
    ("budget over the limit", lambda d: d["steps"][0].update(budget_hours=40),
     "steps: the step budgets add up to 52 hours, more than the time limit of 24 hours"),
    ("duplicate field keys", lambda d: d["form"].append(dict(d["form"][1])), "form[8].key: duplicate key 'owner_name'"),
    ("duplicate step keys", lambda d: d["steps"][2].update(key="appraise"), "steps[2].key: duplicate key 'appraise'"),
    ("from_field not an agency field", lambda d: d["agencies"].update(deciding={"level": "commune", "from_field": "capital"}),
     "agencies.deciding.from_field: field 'capital' is not of type agency"),
    ("missing required key", lambda d: d.pop("steps"), "(top): 'steps' is required"),
    ("consult step with a role", lambda d: d["steps"].insert(1, {"key": "c", "name": "C", "role": "partner",
                                                                    "consult": [{"agency": "000.00.31.H56"}]}),
     "steps[1].role: consult steps have no role"),
    ("wrong type", lambda d: d["time_limit"].update(working_days="three"), "time_limit"),
    ("send_back_to a later step", lambda d: d["steps"][1].update(send_back_to="issue"),
     "steps[1].send_back_to: 'issue' is not an earlier step"),
]


@pytest.mark.parametrize("label, change, expected", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_definitions_give_a_precise_error_and_change_nothing(
    demo_agencies, tmp_path, capsys, label, change, expected
):
    path = write(tmp_path, broken(change))
    with pytest.raises(CommandError):
        call_command("import_procedures", str(path))
    err = capsys.readouterr().err
    assert f"{path}: {expected}" in err, err
    assert not Procedure.objects.exists()
    assert not ProcedureVersion.objects.exists()


def test_every_error_of_a_file_is_listed(demo_agencies, tmp_path, capsys):
    def many(d):
        d["steps"][1]["role"] = "aprover"
        d["steps"][0]["budget_hours"] = 400
        d["agencies"]["deciding"] = {"code": "000.00.99.H56"}

    with pytest.raises(CommandError):
        call_command("import_procedures", str(write(tmp_path, broken(many))))
    err = capsys.readouterr().err
    assert "unknown role 'aprover'" in err and "budgets add up" in err and "000.00.99.H56" in err


def test_one_bad_file_does_not_stop_the_others(demo_agencies, tmp_path, capsys):
    good = write(tmp_path, spec_example(), "good.yaml")
    bad = write(tmp_path, broken(lambda d: d.update(colour=1)), "bad.yaml")
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_procedures", str(bad), str(good))
    assert Procedure.objects.get().code == "2.000000.H56"


def test_unreadable_yaml(tmp_path, capsys, db):
    path = tmp_path / "x.yaml"
    path.write_text("format: [1\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_procedures", str(path))
    assert "not valid YAML or JSON" in capsys.readouterr().err
