"""The admin shows dossiers, tasks and events read-only."""

from django.test import Client

from .helpers import file_dossier


def test_admin_pages_render_and_refuse_changes(demo):
    dossier = file_dossier(demo["congdan"], "2.000575")
    client = Client()
    client.force_login(demo["quantri"])
    for path in ["/admin/dossiers/dossier/", f"/admin/dossiers/dossier/{dossier['id']}/change/",
                 "/admin/workflows/dossiertask/", "/admin/integrations/outboxevent/"]:
        answer = client.get(path)
        assert answer.status_code == 200, path
    assert dossier["code"] in client.get("/admin/dossiers/dossier/").content.decode()
    assert client.post(f"/admin/dossiers/dossier/{dossier['id']}/change/", {"status": "returned"}).status_code == 403
    assert client.get("/admin/dossiers/dossier/add/").status_code == 403
