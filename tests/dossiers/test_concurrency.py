"""Under concurrency: distinct dossier codes, and one task completed exactly once.

Real threads with their own database connections, on committed data. PostgreSQL is the
production database and where row locks matter; on SQLite the immediate transactions
serialise writers, and the same assertions hold.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from egov.common.errors import Conflict
from egov.dossiers import services
from egov.dossiers.models import Dossier
from tests.factories import household, household_draft
from workflows.models import DossierTask

pytestmark = pytest.mark.django_db(transaction=True)


def _in_thread(function):
    def run(*args):
        try:
            return function(*args)
        finally:
            connection.close()

    return run


def _drafts(count):
    """A commune deciding the household-business procedure, and ``count`` drafts of its citizen."""
    world = household()
    return world, [household_draft(world) for _ in range(count)]


def test_twenty_parallel_submissions_get_twenty_distinct_codes():
    world, drafts = _drafts(20)
    citizen = world.citizen
    barrier = threading.Barrier(20)

    @_in_thread
    def submit(dossier):
        barrier.wait()
        return services.submit(citizen, dossier, consent=True).code

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(submit, drafts))
    assert len(set(codes)) == 20
    assert sorted(int(code.rsplit("-", 1)[1]) for code in codes) == list(range(1, 21))
    assert Dossier.objects.filter(status="submitted").count() == 20


def test_ten_parallel_completions_of_one_task_one_wins():
    world, (dossier,) = _drafts(1)
    services.submit(world.citizen, dossier, consent=True)
    task = DossierTask.objects.get(dossier=dossier, step_key="intake")
    officer = world.intake
    barrier = threading.Barrier(10)

    @_in_thread
    def complete(_):
        barrier.wait()
        try:
            services.complete_task(officer, task.pk, "accept")
            return "ok"
        except Conflict:
            return "conflict"

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(complete, range(10)))
    assert sorted(results) == ["conflict"] * 9 + ["ok"]
    assert DossierTask.objects.filter(dossier=dossier, step_key="appraise").count() == 1
    assert Dossier.objects.get(pk=dossier.pk).handovers.count() == 1


def test_withdrawals_racing_hand_overs_never_deadlock():
    """The applicant withdraws while an officer completes, claims or the applicant answers:
    every writer locks dossier, process, task in that order, so one waits for the other and
    each ends in a clean answer (done, or refused), never a deadlock."""
    from egov.common.errors import DomainError

    world, drafts = _drafts(6)
    citizen, officer = world.citizen, world.intake
    for dossier in drafts:
        services.submit(citizen, dossier, consent=True)
    pairs = []
    for dossier in drafts:
        task = DossierTask.objects.get(dossier=dossier, step_key="intake")
        pairs.append((dossier, task))

    @_in_thread
    def race(pair, side, barrier):
        dossier, task = pair
        barrier.wait()
        try:
            if side == "withdraw":
                services.withdraw(citizen, Dossier.objects.get(pk=dossier.pk), "Nộp nhầm")
            elif side == "claim":
                services.claim(officer, task.pk)
            else:
                services.complete_task(officer, task.pk, "accept")
            return "done"
        except DomainError:
            return "refused"

    for n, pair in enumerate(pairs):
        barrier = threading.Barrier(2)
        other = "claim" if n % 2 else "complete"
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(race, [pair, pair], ["withdraw", other], [barrier, barrier]))
        assert set(results) <= {"done", "refused"}, results
        dossier = Dossier.objects.get(pk=pair[0].pk)
        assert dossier.status in ("withdrawn", "in_progress", "submitted"), dossier.status
