from django.db import models


class ToyResult(models.Model):
    """What a toy step produced; written in the step's commit, so never twice."""

    run_id = models.BigIntegerField()
    step = models.CharField(max_length=20)
    value = models.IntegerField()

    def __str__(self) -> str:
        return f"{self.step} of run {self.run_id}"


class Ledger(models.Model):
    """A subject that is not a project: what tests/toy/subject_settings.py runs on, to show
    that the engine's tables follow PIPELINE_SUBJECT_MODEL."""

    name = models.CharField(max_length=50)

    def __str__(self) -> str:
        return self.name
