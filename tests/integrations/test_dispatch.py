"""Dispatching a relay's claim: an event whose consumer fails holds up none of the others; it
stays undispatched, and the sweep gives it back to the relay."""

import pytest

from egov.integrations import dispatch, events
from egov.integrations.models import OutboxEvent
from egov.integrations.tasks import dispatch_events

pytestmark = pytest.mark.django_db


def fragile_consumer(event):
    """A consumer that is down for one kind of event (a partner system refusing it)."""
    if event.data.get("comment") == "refused downstream":
        raise ConnectionError("the partner system is down")


def test_a_failing_event_does_not_hold_up_the_rest_of_its_batch(monkeypatch):
    monkeypatch.setattr(dispatch, "_consumers", [*dispatch._consumers, fragile_consumer])
    first = events.emit(events.RATED, None, None, comment="fine")
    failing = events.emit(events.RATED, None, None, comment="refused downstream")
    last = events.emit(events.RATED, None, None, comment="fine too")
    dispatch_events.run([str(first.pk), str(failing.pk), str(last.pk)])
    dispatched = dict(OutboxEvent.objects.values_list("pk", "dispatched_at"))
    assert dispatched[first.pk] and dispatched[last.pk]
    assert dispatched[failing.pk] is None  # given back to the relay by the minute's sweep
