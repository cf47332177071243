"""The embedded default's broker (egov/common/filesystem_broker.py): a worker polling the folder
never takes a message that is still being written."""

from queue import Empty

import pytest
from django.conf import settings as django_settings
from kombu import Connection

from egov.common import filesystem_broker


@pytest.fixture
def folder(tmp_path):
    options = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path), "control_folder": str(tmp_path)}
    with Connection("filesystem://", transport="egov.common.filesystem_broker:Transport",
                    transport_options=options) as connection:  # fmt: skip
        yield connection.default_channel, tmp_path


@pytest.mark.skipif(not django_settings.CELERY_BROKER_URL.startswith("filesystem"), reason="another broker is set")
def test_the_settings_choose_it_for_the_embedded_default():
    from egov.celery import app

    with app.connection_for_write() as connection:
        assert isinstance(connection.default_channel, filesystem_broker.Channel)


def test_a_message_is_invisible_to_the_worker_until_it_is_whole(folder, monkeypatch):
    channel, path = folder
    seen_while_writing = []
    real_replace = filesystem_broker.os.replace

    def replace(source, target):
        # The worker polls while the message is on disk but not yet in place.
        assert [p.name for p in path.iterdir()] == [source.rsplit("/", 1)[1]]
        try:
            seen_while_writing.append(channel._get("celery"))
        except Empty:
            pass
        real_replace(source, target)

    monkeypatch.setattr(filesystem_broker.os, "replace", replace)
    channel._put("celery", {"body": "x" * 100_000, "headers": {"task": "t"}})
    assert seen_while_writing == []
    assert channel._get("celery") == {"body": "x" * 100_000, "headers": {"task": "t"}}
    assert list(path.iterdir()) == []  # taken, nothing left behind
