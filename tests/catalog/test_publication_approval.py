"""A second pair of eyes on publishing (issue 23, item 6): with EGOV_PUBLISH_NEEDS_APPROVAL,
a draft is published only when another procedure administrator approves what the first
asked to publish; a change to the draft withdraws the request."""

import pytest
from django.urls import reverse

from egov.audit.models import AuditRecord
from egov.catalog.models import ProcedureVersion
from egov.catalog.services import (
    copy_to_draft,
    decline_approval,
    import_definition,
    publish_version,
    request_approval,
    update_draft,
)
from egov.common.errors import Conflict, NotAllowed
from tests.factories import DefinitionFactory, administrator, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def four_eyes(settings):
    settings.EGOV_PUBLISH_NEEDS_APPROVAL = True


@pytest.fixture
def draft(db):
    return import_definition(DefinitionFactory()).version


def test_without_the_setting_one_administrator_publishes(draft):
    assert publish_version(draft, actor=administrator()).status == ProcedureVersion.Status.PUBLISHED


def test_a_second_administrator_approves_what_the_first_asked(four_eyes, draft):
    author, reviewer = administrator(), administrator()
    with pytest.raises(Conflict) as refused:
        publish_version(draft, actor=author)
    assert refused.value.code == "approval_required"
    request_approval(draft, author)
    with pytest.raises(NotAllowed):
        publish_version(draft, actor=author)  # not one's own request
    with pytest.raises(NotAllowed):
        publish_version(draft)  # nor without anyone (a script)
    published = publish_version(draft, actor=reviewer)
    assert published.status == ProcedureVersion.Status.PUBLISHED and published.published_by == reviewer
    record = AuditRecord.objects.get(action="procedure.version_published", object_id=str(draft.pk))
    assert record.actor == reviewer and record.after["asked_by"] == author.pk
    assert AuditRecord.objects.filter(action="procedure.publication_requested", actor=author).exists()


def test_a_change_to_the_draft_or_a_refusal_withdraws_the_request(four_eyes, draft):
    author, reviewer = administrator(), administrator()
    request_approval(draft, author)
    changed = dict(draft.definition, name=text("Tên đã sửa", "Changed name"))
    update_draft(draft, changed, actor=author)
    draft.refresh_from_db()
    assert draft.approval_requested_at is None
    with pytest.raises(Conflict):
        publish_version(draft, actor=reviewer)
    request_approval(draft, author)
    decline_approval(draft, reviewer)
    draft.refresh_from_db()
    assert draft.approval_requested_by is None
    assert AuditRecord.objects.filter(action="procedure.publication_declined", actor=reviewer).exists()
    with pytest.raises(Conflict):
        decline_approval(draft, reviewer)


def test_in_the_admin_one_asks_and_another_approves(four_eyes, client, draft):
    author, reviewer = administrator(), administrator()
    url = reverse("admin:catalog-publish", args=[draft.pk])
    client.force_login(author)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ask for approval" in page
    client.post(url, {"ask": "1", "effective_from": ""}, HTTP_ACCEPT_LANGUAGE="en")
    draft.refresh_from_db()
    assert draft.approval_requested_by == author and draft.is_draft
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "waiting for another administrator" in page
    client.post(url, {"approve": "1"})  # the author cannot approve their own request
    draft.refresh_from_db()
    assert draft.is_draft

    client.force_login(reviewer)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Approve and publish" in page and author.full_name in page
    response = client.post(url, {"approve": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ProcedureVersion.Status.PUBLISHED

    # the next draft: the reviewer declines it
    second = copy_to_draft(draft, actor=author)
    request_approval(second, author)
    client.post(reverse("admin:catalog-publish", args=[second.pk]), {"decline": "1"})
    second.refresh_from_db()
    assert second.is_draft and second.approval_requested_at is None
