"""Retention periods: after a closed dossier's period, its personal data go; figures stay."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from egov.audit.models import AuditRecord
from egov.documents.models import Document
from egov.dossiers import services
from egov.dossiers.models import Dossier
from egov.privacy import retention, stores
from tests.dossiers.helpers import do
from tests.factories import administrator, household, household_data, household_draft


def returned_dossier(world):
    """A household-business dossier of the world's citizen, handled and returned."""
    dossier = services.submit(world.citizen, household_draft(world), consent=True)
    dossier = do(world.intake, dossier, "accept")
    dossier = do(world.case_officer, dossier, "forward")
    dossier = do(world.approver, dossier, "approve")
    dossier = do(world.clerk, dossier, "issue")
    return do(world.intake, dossier, "returned", data={"how": "electronic"})


def years_later(dossier, years, days=1):
    return dossier.completed_at + datetime.timedelta(days=365 * years + days + years // 4 + 1)


@pytest.mark.django_db(transaction=False)
def test_personal_data_go_after_the_period_and_the_figures_stay(django_capture_on_commit_callbacks):
    world = household()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = returned_dossier(world)
    papers = list(dossier.attachments.all())
    assert len(papers) == 2
    kinds = set(dossier.documents.values_list("kind", flat=True))
    assert {"receipt", "result"} <= kinds
    receipt = dossier.documents.get(kind="receipt")
    result_name = dossier.documents.get(kind="result").file.name
    paper_names = [p.file.name for p in papers]
    storage = papers[0].file.storage
    dossier.procedure.retention_years = 5
    dossier.procedure.save()

    # Within the period nothing happens, and a dry run never changes anything.
    assert retention.enforce(now=years_later(dossier, 4)).purged == 0
    counted = retention.enforce(now=years_later(dossier, 5), dry_run=True)
    assert (counted.purged, counted.papers_deleted) == (1, 2) and counted.documents_deleted >= 1
    assert Dossier.objects.get(pk=dossier.pk).purged_at is None and all(storage.exists(n) for n in paper_names)

    done = retention.enforce(now=years_later(dossier, 5))
    assert (done.purged, done.papers_deleted) == (1, 2)
    dossier.refresh_from_db()
    assert dossier.purged_at and dossier.data == {}
    assert dossier.search_text == dossier.code.lower()  # the name is no longer searchable
    assert set(dossier.tasks.values_list("search_text", flat=True)) == {dossier.code.lower()}
    assert dossier.applicant.username == stores.SENTINEL_USERNAME and not dossier.applicant.is_active
    assert not dossier.attachments.exists() and not any(storage.exists(n) for n in paper_names)
    assert not Document.objects.filter(pk=receipt.pk).exists()
    result = dossier.documents.get(kind="result")  # the citizen's title still verifies, by its checksum
    assert not result.file and not storage.exists(result_name) and result.removed_at and result.sha256
    assert "holder" not in result.facts and result.facts["dossier_code"] == dossier.code
    page = Client().get(f"/verify/{result.verification_code}/").content.decode()
    assert "Issued by this system" in page and "was removed on" in page
    # What the figures and the register need is still there.
    assert dossier.code and dossier.status == "returned" and dossier.timeliness and dossier.handovers.count() == 5
    assert AuditRecord.objects.filter(action="retention.purged", object_id=str(dossier.pk)).exists()
    # The account itself is untouched (it may have other dossiers) and the run is idempotent.
    world.citizen.refresh_from_db()
    assert world.citizen.is_active
    assert retention.enforce(now=years_later(dossier, 6)).purged == 0


@pytest.mark.django_db(transaction=False)
def test_default_period_open_dossiers_and_old_drafts(settings):
    settings.EGOV_RETENTION_YEARS = 10
    settings.EGOV_DRAFT_RETENTION_DAYS = 90
    world = household()
    dossier = returned_dossier(world)
    assert retention.enforce(now=years_later(dossier, 9)).purged == 0
    open_one = services.submit(world.citizen, household_draft(world), consent=True)
    draft = services.create_draft(world.citizen, world.code, household_data(world))
    fresh_draft = services.create_draft(world.citizen, world.code, household_data(world))
    Dossier.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - datetime.timedelta(days=91))

    today = retention.enforce()
    assert (today.purged, today.drafts_deleted) == (0, 1)
    assert not Dossier.objects.filter(pk=draft.pk).exists() and Dossier.objects.filter(pk=fresh_draft.pk).exists()
    assert retention.enforce(now=years_later(dossier, 10)).purged == 1
    open_one.refresh_from_db()
    assert open_one.purged_at is None and open_one.data  # open dossiers are never touched


@pytest.mark.django_db(transaction=False)
def test_the_command(capsys):
    dossier = returned_dossier(household())
    later = (years_later(dossier, 11)).date().isoformat()
    call_command("enforce_retention", "--dry-run", "--as-of", later)
    assert "Would remove the personal data of 1 closed dossiers (2 papers" in capsys.readouterr().out
    with pytest.raises(CommandError, match="only goes with --dry-run"):
        call_command("enforce_retention", "--as-of", later)
    with pytest.raises(CommandError, match="not a date"):
        call_command("enforce_retention", "--dry-run", "--as-of", "yesterday")
    call_command("enforce_retention")
    assert "Removed the personal data of 0 closed dossiers" in capsys.readouterr().out
    assert Dossier.objects.get(pk=dossier.pk).purged_at is None


@pytest.mark.django_db(transaction=False)
def test_procedure_admin_sets_the_period_in_the_admin():
    from django.test import Client

    from egov.catalog.models import Procedure

    world = household()
    procedure = Procedure.objects.get(code=world.code)
    url = f"/admin/catalog/procedure/{procedure.pk}/change/"
    admin = Client()
    admin.force_login(administrator())
    page = admin.get(url)
    assert page.status_code == 200 and 'name="retention_years"' in page.content.decode()
    assert admin.post(url, {"retention_years": "20", **_inline_management()}).status_code == 302
    procedure.refresh_from_db()
    assert procedure.retention_years == 20
    officer = Client()
    officer.force_login(world.case_officer)
    assert officer.post(url, {"retention_years": "1", **_inline_management()}).status_code in (302, 403)
    procedure.refresh_from_db()
    assert procedure.retention_years == 20


def _inline_management():
    return {"versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0"}
