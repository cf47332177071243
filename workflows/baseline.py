"""A bare viewflow flow of the same shape as a demo procedure, without our layer: the
baseline the lifecycle benchmark (bench/lifecycle.py) compares the engine with. It lives
in an installed app because viewflow stores flows by their app; nothing else uses it."""

from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.models import Process, Task


class BareFlow(flow.Flow):
    process_class = Process
    task_class = Task
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    start = flow.StartHandle().Next(this.intake)
    intake = flow.View(None).Next(this.appraise)
    appraise = flow.View(None).Next(this.approve)
    approve = flow.View(None).Next(this.issue)
    issue = flow.View(None).Next(this.return_result)
    return_result = flow.View(None).Next(this.end)
    end = flow.End()
