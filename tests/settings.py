"""The product's settings plus the toy pipeline the engine is tested with.

Test databases are files (not SQLite's in-memory default), so that a real worker or
daphne started by a test (with CMA_TEST_CHILD=1) opens the same database as the test.
"""

import os

from config.settings import *  # noqa: F403
from config.settings import CHANNEL_LAYERS, DATA_DIR, DATABASES, INSTALLED_APPS, Q_CLUSTER

INSTALLED_APPS = [*INSTALLED_APPS, "tests.toy"]
# Each test session, and the processes it starts (they inherit the variable), has its
# own databases and queue: two sessions at once never share a file, and no task left in
# Redis by an earlier session reaches this one.
SESSION = os.environ.setdefault("CMA_TEST_SESSION", str(os.getpid()))
Q_CLUSTER = {**Q_CLUSTER, "name": f"test{SESSION}"}
# Redis's pub/sub channels are shared by all its database numbers: a session's events
# go on channels of its own, or a run of another session with the same id would reach
# this session's sockets.
for layer in CHANNEL_LAYERS.values():
    if "prefix" in layer.get("CONFIG", {}):
        layer["CONFIG"] = {**layer["CONFIG"], "prefix": f"{layer['CONFIG']['prefix']}{SESSION}"}

for alias, database in DATABASES.items():
    if database["ENGINE"].endswith("sqlite3"):
        database["TEST"] = {"NAME": str(DATA_DIR / f"test-{alias}-{SESSION}.sqlite3")}
    else:
        database["TEST"] = {"NAME": f"test_{database['NAME']}_{SESSION}"}
    if os.getenv("CMA_TEST_CHILD"):
        database["NAME"] = database["TEST"]["NAME"]

# The pipeline that the processes a test starts (daphne, qcluster: tests/processes.py)
# run when a user presses Process, e.g. the toy one or a variant registered by a module
# of PIPELINE_MODULES (tests/browser/toy_pipelines.py). Read here only, for tests.
if os.getenv("CMA_TEST_PIPELINE"):
    PIPELINE_DEFAULT = os.environ["CMA_TEST_PIPELINE"]
