import sys
import time
from argparse import ArgumentParser
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pipeline import engine, runner, selectors, services
from pipeline.models import FINISHED_RUN_STATUSES, Run

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Starts a run of the project (or follows its active one) with a progress bar."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("project_id", type=int)
        parser.add_argument("--start-from", default="", help="Step to start at.")
        parser.add_argument("--skip-review", action="store_true")
        parser.add_argument("--skip-validation", action="store_true")
        parser.add_argument("--force-reprocess", action="store_true")
        parser.add_argument("--auto-approve-above", type=float, default=0.70)
        parser.add_argument("--no-notify", action="store_true", help="No review email.")
        parser.add_argument(
            "--inline", action="store_true", help="Run here instead of in a worker (qcluster)."
        )
        parser.add_argument("--no-follow", action="store_true", help="Start it and return.")

    def handle(self, *args: Any, **options: Any) -> None:
        subject = (
            apps.get_model(settings.PIPELINE_SUBJECT_MODEL)
            .objects.filter(pk=options["project_id"])
            .first()
        )
        if subject is None:
            raise CommandError(f"There is no project {options['project_id']}.")
        run_options = {
            "start_from": options["start_from"],
            "skip_review": options["skip_review"],
            "skip_validation": options["skip_validation"],
            "force_reprocess": options["force_reprocess"],
            "auto_approve_above": options["auto_approve_above"],
            "notify_on_review": not options["no_notify"],
        }
        try:
            run = services.run_create(
                subject=subject, pipeline_name=settings.PIPELINE_DEFAULT, options=run_options
            )
            self.stdout.write(f"Started run {run.pk} of {subject}.")
        except services.RunActive as exc:
            run = Run.objects.get(pk=exc.run_id)
            self.stdout.write(f"Following the active run {run.pk} of {subject}.")
        except (services.NoInput, engine.InvalidOptions) as exc:
            raise CommandError(str(exc)) from exc
        if options["inline"]:
            runner.run_execute(run_id=run.pk)
        if options["no_follow"]:
            return
        self.follow(run.pk)

    def follow(self, run_id: int) -> None:
        tty = sys.stdout.isatty()
        last_line = ""
        while True:
            run = Run.objects.get(pk=run_id)
            progress = selectors.run_progress(run)
            filled = int(BAR_WIDTH * progress["pipeline_progress"] / 100)
            eta = progress["estimated_remaining_seconds"]
            line = (
                f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
                f"{progress['pipeline_progress']:5.1f}%  {run.status:<15} "
                f"{progress['current_step'] or '':<10}"
                + (f" ~{eta}s left" if eta is not None else "")
            )
            if line != last_line:
                self.stdout.write(("\r" + line) if tty else line, ending="" if tty else "\n")
                self.stdout.flush()
                last_line = line
            if run.status in FINISHED_RUN_STATUSES or run.status == "awaiting_review":
                break
            time.sleep(0.5)
        if tty:
            self.stdout.write("")
        if run.status == "completed":
            self.stdout.write(self.style.SUCCESS(f"Run {run.pk} completed."))
        elif run.status == "awaiting_review":
            flagged = sum(step["metadata"].get("review_items", 0) for step in progress["steps"])
            pending = progress["review"]["pending"] or flagged
            self.stdout.write(
                self.style.WARNING(f"Run {run.pk} waits for review of {pending} items.")
            )
        else:
            raise CommandError(f"Run {run.pk} {run.status}: {run.error or 'no reason recorded'}")
