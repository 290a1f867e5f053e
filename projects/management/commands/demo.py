import contextlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand

from projects.models import Firm, Plan, Project, Role
from projects.services import (
    FilesRejected,
    ProjectBusy,
    plan_save,
    project_create,
    project_files_add,
    user_add,
)

DEMO_FIRM = "Demo & Co"
DEMO_PASSWORD = "demo-pass-2024"
DEMO_USERS = [("staff@demo.test", Role.STAFF), ("ca@demo.test", Role.CA)]
DATA = Path(__file__).resolve().parents[2] / "demo_data"
DEMO_PROJECTS = [
    (
        "Shree Ganesh Polymers — CC renewal",
        "Shree Ganesh Polymers Private Limited",
        "shree-ganesh-polymers",
    ),
    ("Mehta Traders — working capital", "Mehta Traders", "mehta-traders"),
    (
        "Sai Krupa Engineering — Tally export",
        "Sai Krupa Engineering Works Pvt Ltd",
        "sai-krupa-engineering",
    ),
]
# Each demo project's plan: years and loans only, so that it fits before the books are
# read (per-year assumptions need the books' years); the defaults do the rest. The
# books end in 2024-25, so the estimate is 2025-26.
DEMO_PLANS = {
    "shree-ganesh-polymers": {
        "projected_years": 3,
        "msme": True,
        "limits": [
            {"bank": "State Bank of India", "facility": "cash_credit", "existing_limit": 2500000},
        ],
        "term_loans": [
            {
                "name": "Extrusion line (proposed)",
                "existing": False,
                "amount": 1500000,
                "rate_pct": 10.5,
                "start_month": "2025-07",
                "moratorium_months": 6,
                "tenor_months": 66,
                "repayment": "emi",
            }
        ],
    },
    "mehta-traders": {"projected_years": 2},
    "sai-krupa-engineering": {"projected_years": 2},
}


class Command(BaseCommand):
    help = "Loads the demo firm, its users and three projects with sample books. Safe to repeat."

    def handle(self, *args: Any, **options: Any) -> None:
        users = {}
        for email, role in DEMO_USERS:
            users[role], _ = user_add(
                email=email, firm_name=DEMO_FIRM, role=role, password=DEMO_PASSWORD
            )
        firm = Firm.objects.get(name=DEMO_FIRM)
        for name, client, folder in DEMO_PROJECTS:
            project = Project.objects.filter(firm=firm, name=name).first()
            if project is None:
                project = project_create(user=users[Role.STAFF], name=name, client_name=client)
            # Only the books the project lacks: a project being processed (say, waiting
            # for review from the last `make run`) takes no files, and needs none.
            present = set(project.files.values_list("name", flat=True))
            books = sorted(p for p in (DATA / folder).iterdir() if p.suffix != ".md")
            for path in (p for p in books if p.name not in present):
                upload = SimpleUploadedFile(path.name, path.read_bytes())
                try:
                    project_files_add(project=project, uploads=[upload], user=users[Role.STAFF])
                except FilesRejected as exc:
                    # The same content under another name: already there.
                    if any(p.code != "duplicate" for p in exc.problems):
                        raise
                except ProjectBusy:
                    self.stdout.write(f"“{name}” is being processed; its files stay as they are.")
                    break
            if not Plan.objects.filter(project=project, version__gt=0).exists():
                # Busy: the next `make run` plans it.
                with contextlib.suppress(ProjectBusy):
                    plan_save(project=project, user=users[Role.STAFF], data=DEMO_PLANS[folder])
        self.stdout.write(self.style.SUCCESS(f"Demo firm “{DEMO_FIRM}” is ready."))
        self.stdout.write(f"Open {settings.SITE_URL}/ and log in as:")
        for email, role in DEMO_USERS:
            self.stdout.write(f"  {email:<18} password {DEMO_PASSWORD}   ({Role(role).label})")
