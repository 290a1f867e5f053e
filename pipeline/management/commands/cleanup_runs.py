from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pipeline.services import runs_cleanup


class Command(BaseCommand):
    help = "Deletes finished runs' events, step records and document phases past retention."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--older-than", type=int, required=True, metavar="DAYS")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["older_than"] < 0:
            raise CommandError("--older-than must be 0 or more days.")
        counts = runs_cleanup(older_than_days=options["older_than"])
        self.stdout.write(
            f"Cleaned {counts['runs']} runs: {counts['events']} events, "
            f"{counts['step_records']} step records, {counts['documents']} document phases."
        )
