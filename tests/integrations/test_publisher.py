"""Messages leave from the publisher's thread after the commit (egov/common/publisher.py):
in order, the events of several commits folded into one message, nothing lost at a graceful
exit, and a failing broker never stops the thread. What reaches the broker is recorded at
``egov.common.publisher.send``, the one place that talks to it; the real worker test
(test_real_worker.py) runs the whole path against Redis."""

import threading

import pytest
from django.db import transaction

from egov.common import publisher
from egov.common.tasks import enqueue_after_commit
from egov.documents.tasks import render_document_task
from egov.integrations.tasks import dispatch_events

# Real commits: the messages leave at commit. ``sent``: tests/integrations/conftest.py.
pytestmark = pytest.mark.django_db(transaction=True)


def test_commits_in_one_window_share_one_dispatch_message_in_order(sent):
    for ids in (["e1", "e2"], ["e3"], ["e4"]):
        with transaction.atomic():
            enqueue_after_commit(dispatch_events, ids)
    with transaction.atomic():
        enqueue_after_commit(render_document_task, "doc-1")
    assert sent == []  # the request has not waited for the broker
    publisher._publisher.close()
    assert sent == [
        ("egov.integrations.tasks.dispatch_events", (["e1", "e2", "e3", "e4"],), {}),
        ("egov.documents.tasks.render_document", ("doc-1",), {}),
    ]


def test_nothing_is_published_for_a_change_rolled_back(sent):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_after_commit(dispatch_events, ["lost"])
        raise RuntimeError("the change failed")
    publisher._publisher.close()
    assert sent == []


def test_the_thread_sends_after_its_window_without_being_asked(sent):
    publisher._publisher.linger = 0.05
    with transaction.atomic():
        enqueue_after_commit(dispatch_events, ["e1"])
    thread = publisher._publisher._thread
    for _ in range(100):
        if sent:
            break
        threading.Event().wait(0.02)
    assert sent == [("egov.integrations.tasks.dispatch_events", (["e1"],), {})]
    assert thread.is_alive()


def test_a_long_batch_is_split(sent, monkeypatch):
    monkeypatch.setattr(publisher, "MAX_MERGED", 3)
    with transaction.atomic():
        enqueue_after_commit(dispatch_events, [f"e{i}" for i in range(7)])
    publisher._publisher.close()
    assert [args[0] for _name, args, _kw in sent] == [["e0", "e1", "e2"], ["e3", "e4", "e5"], ["e6"]]


def test_a_failing_send_does_not_stop_the_thread(sent, monkeypatch):
    calls = []

    def flaky(task, args, kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise ConnectionError("broker down")
        sent.append((task.name, args, kwargs))

    monkeypatch.setattr(publisher, "send", flaky)
    publisher._publisher.linger = 0.01
    with transaction.atomic():
        enqueue_after_commit(render_document_task, "doc-1")
    for _ in range(500):
        if calls:
            break
        threading.Event().wait(0.01)
    assert calls == [("doc-1",)] and publisher._publisher._thread.is_alive()
    with transaction.atomic():
        enqueue_after_commit(render_document_task, "doc-2")
    publisher._publisher.close()
    assert sent == [("egov.documents.tasks.render_document", ("doc-2",), {})]


def test_eager_mode_and_workers_publish_at_once(sent, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with transaction.atomic():
        enqueue_after_commit(dispatch_events, ["e1"])
    assert sent == [("egov.integrations.tasks.dispatch_events", (["e1"],), {})]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(publisher, "_at_once", False)
    from egov.celery import _publish_at_once

    _publish_at_once()  # what the worker_init signal runs
    assert publisher._at_once is True
    with transaction.atomic():
        enqueue_after_commit(dispatch_events, ["e2"])
    assert sent[-1] == ("egov.integrations.tasks.dispatch_events", (["e2"],), {})


def test_a_message_that_cannot_be_folded_goes_as_it_came(sent):
    with transaction.atomic():
        enqueue_after_commit(dispatch_events, ["e1"])
        enqueue_after_commit(dispatch_events, "not a list")
        enqueue_after_commit(dispatch_events, ["e2"])
    publisher._publisher.close()
    assert [args for _name, args, _kw in sent] == [(["e1", "e2"],), ("not a list",)]


def test_a_stopped_thread_is_started_again_with_its_queue(sent, monkeypatch):
    with transaction.atomic():
        enqueue_after_commit(render_document_task, "doc-1")
    own = publisher._publisher
    own._queue.put(own._STOP)  # the thread ends as if it had died, doc-1 sent on its way out
    own._wake.set()
    own._thread.join(5)
    assert not own._thread.is_alive()
    with transaction.atomic():
        enqueue_after_commit(render_document_task, "doc-2")
    own.close()
    assert [args for _name, args, _kw in sent] == [("doc-1",), ("doc-2",)]
