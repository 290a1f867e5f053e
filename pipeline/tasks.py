"""django-q2 entry points: ids in, a service call out."""

import logging

from pipeline import runner, services

log = logging.getLogger(__name__)


def execute_run(run_id: int) -> str:
    return runner.run_execute(run_id=run_id)


def sweep_runs() -> dict[str, int]:
    counts = services.run_sweep()
    if any(counts.values()):
        log.info("Run sweep: %s", counts)
    return counts
