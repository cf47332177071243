"""The admin shows dossiers, tasks and events read-only."""

import pytest
from django.test import Client

from tests.factories import administrator, household, household_data

from .helpers import file_dossier

pytestmark = pytest.mark.django_db


def test_admin_pages_render_and_refuse_changes():
    world = household()
    dossier = file_dossier(world.citizen, world.code, household_data(world))
    client = Client()
    client.force_login(administrator())
    for path in ["/admin/dossiers/dossier/", f"/admin/dossiers/dossier/{dossier['id']}/change/",
                 "/admin/workflows/dossiertask/", "/admin/integrations/outboxevent/"]:
        answer = client.get(path)
        assert answer.status_code == 200, path
    assert dossier["code"] in client.get("/admin/dossiers/dossier/").content.decode()
    assert client.post(f"/admin/dossiers/dossier/{dossier['id']}/change/", {"status": "returned"}).status_code == 403
    assert client.get("/admin/dossiers/dossier/add/").status_code == 403
