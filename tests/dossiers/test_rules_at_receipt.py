"""A dossier is handled under the rules in force when it is received (issue 23, item 1): a
draft started under one version is filed under the version in force at submission; what
changed for the applicant is shown and confirmed first; a retired procedure takes no dossier."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from egov.catalog.services import import_definition, publish_version, retire_version
from egov.common.errors import Conflict, InvalidInput
from egov.dossiers import services
from egov.dossiers.models import Dossier
from tests.factories import DefinitionFactory, commune, draft, text

pytestmark = pytest.mark.django_db


def new_version(world, **changes):
    """The world's procedure again, changed, published to take dossiers now."""
    definition = DefinitionFactory(code=world.code, **changes)
    version = import_definition(definition).version
    return publish_version(version, effective_from=timezone.now() - datetime.timedelta(seconds=1))


def test_an_unchanged_form_is_filed_under_the_version_in_force_without_asking():
    world = commune()
    started = draft(world)
    second = new_version(world, name=text("Tên mới", "New name"))
    filed = services.submit(world.citizen, started, consent=True)
    assert filed.version_id == second.pk and Dossier.objects.get(pk=filed.pk).version_id == second.pk


def test_changed_rules_are_shown_confirmed_and_then_apply():
    world = commune()
    started = draft(world, data={"full_name": "Nguyễn Văn Thử"})
    form = [*DefinitionFactory()["form"],
            {"key": "purpose", "type": "text", "label": text("Mục đích", "Purpose"), "required": True}]
    second = new_version(world, form=form, fees=[{"code": "fee", "name": text("Lệ phí", "Fee"), "amount": 50_000}])
    with pytest.raises(InvalidInput) as refused:
        services.submit(world.citizen, started, consent=True)
    assert refused.value.code == "version_changed"
    assert refused.value.errors["version"] == ["New question: Purpose.", "The fees changed."]
    assert refused.value.errors["accept_version"] == [str(second.pk)]
    with pytest.raises(InvalidInput):
        services.adopt_rules_in_force(world.citizen, started, "not-the-new-one")
    moved = services.adopt_rules_in_force(world.citizen, started, str(second.pk))
    assert moved.version_id == second.pk and moved.data["full_name"] == "Nguyễn Văn Thử"  # carried over
    with pytest.raises(InvalidInput) as incomplete:  # the new question is still to answer
        services.submit(world.citizen, Dossier.objects.get(pk=started.pk), consent=True)
    assert incomplete.value.code == "incomplete" and "data.purpose" in incomplete.value.errors
    services.update_draft(world.citizen, Dossier.objects.get(pk=started.pk), {**moved.data, "purpose": "Kinh doanh"})
    filed = services.submit(world.citizen, Dossier.objects.get(pk=started.pk), consent=True)
    assert (filed.version_id, filed.fee_amount) == (second.pk, 50_000)


def test_a_retired_procedure_takes_no_dossier_and_says_when_the_next_one_does():
    world = commune()
    started = draft(world)
    retire_version(world.version)
    with pytest.raises(Conflict) as refused:
        services.submit(world.citizen, started, consent=True)
    assert refused.value.code == "procedure_retired"
    coming = import_definition(DefinitionFactory(code=world.code, name=text("Mới", "New"))).version
    publish_version(coming, effective_from=timezone.now() + datetime.timedelta(days=10))
    with pytest.raises(Conflict) as refused:
        services.submit(world.citizen, Dossier.objects.get(pk=started.pk), consent=True)
    when = timezone.localtime(timezone.now() + datetime.timedelta(days=10)).strftime("%d/%m/%Y")
    assert when in str(refused.value.message)
    assert Dossier.objects.get(pk=started.pk).status == Dossier.Status.DRAFT


def test_the_citizen_reads_the_changes_on_the_review_page_and_confirms():
    world = commune()
    started = draft(world)
    second = new_version(world, time_limit={"working_days": 5})
    citizen = Client()
    citizen.force_login(world.citizen)
    page = citizen.post(f"/my/dossiers/{started.pk}/review/", {"consent": "1"})
    assert page.status_code == 400 and "The time limit changed." in page.content.decode()
    assert f'name="accept_version" value="{second.pk}"' in page.content.decode()
    done = citizen.post(f"/my/dossiers/{started.pk}/review/", {"consent": "1", "accept_version": str(second.pk)})
    assert done.status_code == 302
    assert Dossier.objects.get(pk=started.pk).version_id == second.pk


def test_an_api_client_confirms_with_accept_version():
    from tests.dossiers.helpers import client_for

    world = commune()
    started = draft(world)
    second = new_version(world, time_limit={"working_days": 5})
    api = client_for(world.citizen)
    answer = api.post(f"/api/v1/dossiers/{started.pk}/submit/", {"consent": True}, format="json")
    assert answer.status_code == 400 and answer.json()["code"] == "version_changed"
    answer = api.post(f"/api/v1/dossiers/{started.pk}/submit/", {"consent": True, "accept_version": str(second.pk)},
                      format="json")  # fmt: skip
    assert answer.status_code == 200 and answer.json()["status"] == "submitted"
