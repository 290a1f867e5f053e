from django.apps import AppConfig


class ToyConfig(AppConfig):
    name = "tests.toy"
    label = "toy"

    def ready(self) -> None:
        from tests.toy import pipeline  # noqa: F401 - registers the toy pipeline
