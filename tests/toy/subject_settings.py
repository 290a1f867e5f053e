"""The test settings with the toy Ledger as the pipeline's subject (a fresh database only,
as for AUTH_USER_MODEL): tests/pipeline/test_subject_model.py migrates with these."""

from tests.settings import *  # noqa: F403

PIPELINE_SUBJECT_MODEL = "toy.Ledger"
