"""The rollups equal the dossiers on a generated history (the command scales it to 100,000)."""

from io import StringIO

from django.core.management import call_command

from tests.factories import AgencyFactory, CitizenFactory, published


def test_generated_history_rolls_up_exactly(db):
    # What the command draws its dossiers from: a citizen, communes, procedures decided by a commune.
    CitizenFactory()
    for _ in range(4):
        AgencyFactory()
    for _ in range(2):
        published()
    call_command("generate_dossiers", "1500", "--batch", "500", stdout=StringIO())
    out = StringIO()
    call_command("check_rollups", "--from", "2025-01-01", stdout=out)
    assert "match" in out.getvalue()
    from django.db.models import Sum

    from egov.stats.models import DailyFigure

    assert DailyFigure.objects.aggregate(n=Sum("received"))["n"] == 1500
