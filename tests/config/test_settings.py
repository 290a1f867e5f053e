"""Settings from the environment, checked in fresh processes as a user would start them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LONG_KEY = "k" * 30 + "-production-secret-of-enough-length-0123456789"


def run(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "DEBUG",
            "SECRET_KEY",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "PORT",
            "SITE_URL",
        }
    }
    environment |= {"DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def manage(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    code = f"import sys; sys.argv = ['manage.py', *{args!r}]; import manage; manage.main()"
    return run(code, tmp_path, **env)


def test_debug_off_refuses_the_development_secret_key(tmp_path):
    result = run("import django; django.setup()", tmp_path, DEBUG="False")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_links_point_at_the_port_served_unless_site_url_says_otherwise(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    )
    assert run(code, tmp_path).stdout.strip() == "http://127.0.0.1:8000"
    assert run(code, tmp_path, PORT="8799").stdout.strip() == "http://127.0.0.1:8799"
    site = run(code, tmp_path, PORT="8799", SITE_URL="https://cma.example.in/")
    assert site.stdout.strip() == "https://cma.example.in"


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        DEBUG="False",
        SECRET_KEY=LONG_KEY,
        ALLOWED_HOSTS="cma.example.in",
        SITE_URL="https://cma.example.in",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_embedded_default_uses_wal_and_keeps_the_queue_apart(tmp_path):
    assert manage(["migrate_all", "--verbosity", "0"], tmp_path).returncode == 0
    code = """
import django; django.setup()
from django.db import connections
from django.conf import settings
from django_q.models import OrmQ
from projects.models import Project
default = connections["default"]
with default.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print("journal", cursor.fetchone()[0])
print("tables-default", "django_q_ormq" in default.introspection.table_names())
print("tables-queue", "django_q_ormq" in connections["queue"].introspection.table_names())
print("orm", settings.Q_CLUSTER["orm"])
print("mode", settings.DATABASES["default"]["OPTIONS"]["transaction_mode"])
OrmQ.objects.create(key="cma", payload="x", lock=None)
print("queued", OrmQ.objects.using("queue").count(), Project.objects.count())
"""
    result = run(code, tmp_path)
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.strip().splitlines())
    assert lines == {
        "journal": "wal",
        "tables-default": "False",
        "tables-queue": "True",
        "orm": "queue",
        "mode": "IMMEDIATE",
        "queued": "1 0",
    }
    assert (tmp_path / "cma.sqlite3").exists() and (tmp_path / "queue.sqlite3").exists()


@pytest.mark.parametrize(
    ("env", "broker"),
    [
        ({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cma"}, "orm=default"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, "redis=redis://127.0.0.1:6379/0"),
    ],
)
def test_broker_follows_the_environment(tmp_path, env, broker):
    code = """
import django; django.setup()
from django.conf import settings
q = settings.Q_CLUSTER
key = "redis" if "redis" in q else "orm"
print(f"{key}={q[key]}")
print(q["timeout"] < q["retry"], q["max_attempts"], q["ack_failures"])
"""
    result = run(code, tmp_path, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [broker, "True", "1", "True"]


def test_a_sqlite_database_url_migrates_without_postgresql_pool_options(tmp_path):
    url = f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}"
    result = manage(["migrate", "--verbosity", "0"], tmp_path, DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "elsewhere.sqlite3").stat().st_size > 0


FORK_AFTER_CLOSE = """
import os, sys
sys.argv = [sys.argv[0], *{argv!r}]
import django; django.setup()
from django.db import connection, connections
def backend():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]
print("parent", backend(), flush=True)
connections.close_all()  # what django-q2 does before it forks a worker
child = os.fork()
if child == 0:
    print("child", backend(), flush=True)
    os._exit(0)
os.waitpid(child, 0)
print("parent", backend(), flush=True)
"""


@pytest.mark.skipif(
    not os.getenv("DATABASE_URL", "").startswith("postgres"),
    reason="the connection pool is PostgreSQL's",
)
@pytest.mark.parametrize(("argv", "shared"), [(["qcluster"], False), (["serve"], True)])
def test_a_forked_cluster_worker_gets_its_own_database_session(tmp_path, argv, shared):
    # A pool's close only hands the connection back, and a fork inherits the pool: the
    # cluster's processes must not pool, or a worker and its parent share one session.
    # (The web pools, and does not fork: the second case shows what the first prevents.)
    code = FORK_AFTER_CLOSE.format(argv=argv)
    # The server's own database: the session's test database is not made for children.
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    result = run(code, tmp_path, DATABASE_URL=server, DB_POOL_MAX_SIZE="4")
    assert result.returncode == 0, result.stderr
    sessions = [int(line.split()[1]) for line in result.stdout.split("\n") if line]
    assert len(sessions) == 3
    assert (sessions[1] in {sessions[0], sessions[2]}) is shared


def test_with_debug_off_mail_is_written_under_the_data_dir(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.EMAIL_FILE_PATH)"
    )
    production = {"DEBUG": "False", "SECRET_KEY": LONG_KEY}
    assert run(code, tmp_path, **production).stdout.strip() == str(tmp_path / "mail")
    elsewhere = run(code, tmp_path, **production, EMAIL_URL="file:///srv/cma-mail")
    assert elsewhere.stdout.strip() == "/srv/cma-mail"
