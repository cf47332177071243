import pytest
from django.core.management import call_command

from egov.accounts.models import RoleAssignment, User
from egov.agencies.models import Agency

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_prints_logins(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "tiepnhan.tt" in out and "congdan" in out
    counts = (Agency.objects.count(), User.objects.count(), RoleAssignment.objects.count())
    call_command("seed_demo")
    assert (Agency.objects.count(), User.objects.count(), RoleAssignment.objects.count()) == counts
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles >= {"intake_officer", "case_officer", "reviewer", "approver", "clerk", "partner", "center_manager",
                     "procedure_admin"}
    assert User.objects.get(username="congdan").check_password("demo-Mot-Cua-2026")
