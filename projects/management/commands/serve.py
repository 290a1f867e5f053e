"""`make run`'s server: several daphne processes on one listening socket, and the worker."""

import os
import signal
import socket
import subprocess
import sys
import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

STOP_SECONDS = 8


class Command(BaseCommand):
    help = (
        "Serves the web (WEB_PROCESSES daphne processes on one port) and the worker "
        "(qcluster under `supervise --cluster`) together; Ctrl-C stops them all."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default=os.getenv("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.getenv("PORT", "8000")))
        parser.add_argument(
            "--web-processes",
            type=int,
            default=settings.WEB_PROCESSES,
            help="daphne processes sharing the port (default: WEB_PROCESSES)",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="serve the web only (the Procfile runs the worker as its own process)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        # One Python process uses about one core (the GIL), however many requests its
        # threads run (config/threads.py). Several processes accept on one socket opened
        # here and handed down (daphne --fd): the kernel spreads connections among them.
        family = socket.AF_INET6 if ":" in options["host"] else socket.AF_INET
        listener = socket.create_server(
            (options["host"].strip("[]"), options["port"]), family=family, backlog=1024
        )
        listener.set_inheritable(True)
        fd = listener.fileno()
        web = [python, "-m", "daphne", "--fd", str(fd), "config.asgi:application"]
        count = max(1, options["web_processes"])
        children = {
            f"web {n + 1}": subprocess.Popen(web, cwd=settings.BASE_DIR, pass_fds=(fd,))
            for n in range(count)
        }
        # The supervisor runs the cluster in a process group of its own, restarts it when
        # it freezes, sweeps lost runs, and stops the whole group when told to.
        if not options["no_worker"]:
            # Niced (WORKER_NICE): on a busy machine the pages and the API get the CPU first.
            children["worker"] = subprocess.Popen(
                [python, "manage.py", "supervise", "--cluster"],
                cwd=settings.BASE_DIR,
                preexec_fn=lambda: os.nice(settings.WORKER_NICE),
            )
        listener.close()  # the children hold it now
        workers = "no worker" if options["no_worker"] else f"{settings.Q_WORKERS} workers"
        self.stdout.write(
            f"Web on http://{options['host']}:{options['port']}/ ({count} processes) and "
            f"{workers}. Ctrl-C stops them all."
        )

        def stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            # Any child dying takes the others down: half a product is no product.
            while all(child.poll() is None for child in children.values()):
                time.sleep(0.5)
            dead = [name for name, child in children.items() if child.poll() is not None]
            self.stderr.write(f"{', '.join(dead)} stopped; stopping the rest.")
        except KeyboardInterrupt:
            pass
        finally:
            # SIGTERM, not SIGINT: a process started in the background by a script
            # inherits an ignored SIGINT, and daphne then never hears it.
            for child in children.values():
                if child.poll() is None:
                    child.terminate()
            # Within 10 s in all: the supervisor needs at most STOP_GRACE_SECONDS for the
            # cluster, daphne a moment for its sockets.
            deadline = time.monotonic() + STOP_SECONDS
            for name, child in children.items():
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
                    self.stderr.write(f"{name} did not stop within {STOP_SECONDS} s; killed.")
