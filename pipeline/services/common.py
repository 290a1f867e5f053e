"""What every run service shares: the hand-off of a run to a django-q2 worker (`enqueue`,
which carries only the run's id), and step durations in milliseconds."""

import uuid
from typing import Any

from django_q import tasks as django_q_tasks
from django_q.brokers import Broker, get_broker
from django_q.conf import Conf

from pipeline.services.errors import BrokerUnavailable

_brokers: dict[str, Broker] = {}


def broker() -> Broker:
    """One broker per process and configuration: django-q2 makes a new one per task
    otherwise, and its Redis broker opens a new connection pool (a connection) each time."""
    key = f"{Conf.REDIS}|{Conf.ORM}|{Conf.CLUSTER_NAME}"
    if key not in _brokers:
        _brokers[key] = get_broker()
    return _brokers[key]


def enqueue(run_id: int) -> None:
    """Hands the run to a worker; the task carries only the id.

    Raises BrokerUnavailable when the broker refused it (Redis down, the queue's
    database unreachable), whatever the broker's own exception.
    """
    try:
        django_q_tasks.async_task(
            "pipeline.tasks.execute_run",
            run_id,
            task_name=f"run-{run_id}-{uuid.uuid4().hex[:8]}",
            group="pipeline",
            broker=broker(),
        )
    except Exception as exc:
        raise BrokerUnavailable(f"The task queue did not take run {run_id}: {exc}") from exc


def ms_since(start: Any, end: Any) -> int:
    if start is None:
        return 0
    return max(0, int((end - start).total_seconds() * 1000))
