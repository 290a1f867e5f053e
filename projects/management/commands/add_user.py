from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from projects.models import Role
from projects.services import user_add


class Command(BaseCommand):
    help = "Creates a user of a firm (the firm too, if needed), or updates their role."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--firm", required=True, help="The firm's name; created if new.")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--password", help="Without it, a new user cannot log in yet.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user, created = user_add(
                email=options["email"],
                firm_name=options["firm"],
                role=options["role"],
                password=options["password"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        verb = "Created" if created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {user.username} ({options['role']}) in {options['firm']}.")
        )
        if created and not options["password"]:
            self.stdout.write("No password was set: run `manage.py changepassword` to set one.")
