import pytest

from egov.common import publisher


@pytest.fixture
def sent(monkeypatch, settings):
    """Messages leave through the process's publisher, as in production, and what reaches
    the broker is recorded instead of sent (``egov.common.publisher.send``)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    log = []

    def record(task, args, kwargs):
        log.append((task.name, args, kwargs))

    monkeypatch.setattr(publisher, "send", record)
    # A long window: what a test sees does not depend on how fast the machine is; close()
    # sends at once.
    own = publisher.Publisher(linger=30)
    monkeypatch.setattr(publisher, "_publisher", own)
    yield log
    own.close()
