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


def test_a_year_of_history_through_the_services_is_deterministic_and_counted(capsys):
    """``seed_demo --history``: dossiers in every state, the figures agree with them, queues
    hold work, the past sends nothing; the same seed gives the same year; once only."""
    import datetime

    from django.db.models import Count
    from django.utils import timezone

    from egov.dossiers.models import Dossier
    from egov.integrations.models import OutboxEvent
    from egov.notifications.models import Notification
    from egov.stats.rollups import differences
    from workflows.models import OPEN_TASK_STATUSES, DossierTask

    call_command("seed_demo", "--history", "--dossiers", "60", "--seed", "7")
    assert "history: 60 dossiers" in capsys.readouterr().out
    states = dict(Dossier.objects.exclude(code=None).values_list("status").annotate(n=Count("pk")))
    assert sum(states.values()) == 60
    assert {"returned", "submitted"} <= set(states) and len(states) >= 5, states
    submitted = Dossier.objects.exclude(code=None).values_list("submitted_at", flat=True)
    assert min(submitted) < timezone.now() - datetime.timedelta(days=150)  # spread over the year
    assert DossierTask.objects.filter(status__in=OPEN_TASK_STATUSES).exclude(role="").exists()
    today = timezone.localdate()
    assert differences(today - datetime.timedelta(days=400), today) == []  # the figures are the dossiers'
    assert not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()
    assert not Notification.objects.exists()  # no mail for last March

    first_year = sorted(Dossier.objects.exclude(code=None).values_list("procedure__code", "status", "channel"))
    call_command("seed_demo", "--history", "--dossiers", "60", "--seed", "7")
    assert "dossiers exist already" in capsys.readouterr().out
    assert Dossier.objects.exclude(code=None).count() == 60

    # The same seed plays the same year in a fresh province.
    Dossier.objects.all().delete()
    from egov.demo.history import live_a_year

    live_a_year(60, seed=7)
    assert sorted(Dossier.objects.exclude(code=None).values_list("procedure__code", "status", "channel")) == first_year
