import pytest
import yaml
from django.core.management import CommandError, call_command

from egov.agencies.models import Agency, AgencyCodeChange

pytestmark = pytest.mark.django_db

UNITS = [
    {"code": "000.00.12.H56", "name": "Sở Tư pháp", "level": "department", "parent": "000.00.00.H56"},
    {"code": "000.00.00.H56", "name": "UBND tỉnh", "level": "province"},
    {"code": "000.00.01.H56", "name": "Trung tâm PVHCC", "level": "department", "parent": "000.00.00.H56",
     "service_centre": True},
    {"code": "000.17.22.H56", "name": "UBND phường Đông Hà", "level": "commune", "parent": "000.00.00.H56"},
]


def write(tmp_path, data, name="units.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_import_is_idempotent_and_child_may_come_first(tmp_path, capsys):
    path = write(tmp_path, UNITS)
    call_command("import_agencies", path)
    assert "created 4" in capsys.readouterr().out
    call_command("import_agencies", path)
    assert "created 0, updated 0, unchanged 4" in capsys.readouterr().out
    justice = Agency.objects.get(code="000.00.12.H56")
    assert justice.parent.code == "000.00.00.H56"
    commune = Agency.objects.get(code="000.17.22.H56")
    assert commune.service_centre_of_province().code == "000.00.01.H56"


def test_rename_keeps_history(tmp_path):
    call_command("import_agencies", write(tmp_path, UNITS))
    renamed = [dict(u) for u in UNITS]
    renamed[3] = {**UNITS[3], "code": "000.17.30.H56", "previous_code": "000.17.22.H56", "name": "UBND phường mới"}
    call_command("import_agencies", write(tmp_path, renamed))
    agency = Agency.objects.get(code="000.17.30.H56")
    change = AgencyCodeChange.objects.get(agency=agency)
    assert (change.old_code, change.new_code, change.old_name) == ("000.17.22.H56", "000.17.30.H56", "UBND phường Đông Hà")
    assert not Agency.objects.filter(code="000.17.22.H56").exists()


def test_invalid_file_imports_nothing_and_lists_every_error(tmp_path, capsys):
    bad = [
        {"code": "12.H56", "name": "X", "level": "department"},
        {"code": "000.00.02.H56", "name": "Y", "level": "district", "parent": "000.00.99.H56", "colour": "red"},
        UNITS[1],
    ]
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_agencies", write(tmp_path, bad))
    err = capsys.readouterr().err
    assert "[0].code" in err
    assert "[1].level" in err
    assert "[1].parent" in err
    assert "[1].colour: unknown key" in err
    assert not Agency.objects.exists()
