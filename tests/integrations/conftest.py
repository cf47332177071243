import pytest

from egov.integrations import relay
from egov.integrations.tasks import dispatch_events


@pytest.fixture
def sent(monkeypatch):
    """A web process of production: no relay runs here and the messages a relay sends are
    recorded at the broker's door (``dispatch_events.apply_async``) instead of sent."""
    log = []
    monkeypatch.setattr(dispatch_events, "apply_async", lambda args=(), **options: log.append(list(args[0])))
    relay.stop_relay()
    yield log
    relay.start_relay(relay.InlineRelay())  # the tests' own (egov/integrations/apps.py)
