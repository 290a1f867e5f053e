"""The sample books of two firms, processed through the API, reach truth.json's figures."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from pipeline.runner import run_execute
from tests.conftest import MEHTA_CSV, SAMPLES, SGP_PDF, SGP_TB_2024, SGP_TB_2025, api_client, sample

RATIOS = {"current_ratio", "tol_tnw"}


def truth(folder: str) -> dict:
    return json.loads((SAMPLES / folder / "truth.json").read_text())


def process(client, project_id: int, files: list[str], **options) -> dict:
    uploaded = client.post(
        reverse("api-project-files", args=[project_id]), {"files": [sample(f) for f in files]}
    )
    assert uploaded.status_code == 201, uploaded.json()
    started = client.post(
        reverse("api-process", args=[project_id]), options, content_type="application/json"
    )
    assert started.status_code == 202, started.json()
    # What a django-q2 worker does with the task: the same call, in this process.
    run_execute(run_id=started.json()["run_id"])
    progress = client.get(reverse("api-progress", args=[project_id])).json()
    assert progress["status"] == "completed", progress
    return client.get(reverse("api-report", args=[project_id])).json()


@pytest.mark.parametrize(
    ("folder", "files"),
    [
        ("mehta-traders", [MEHTA_CSV]),
        ("shree-ganesh-polymers-private-limited", [SGP_TB_2024, SGP_TB_2025]),
    ],
)
def test_trial_balances_reach_every_key_figure_to_the_paisa(project, alice, folder, files):
    report = process(api_client(alice), project.pk, files, skip_review=True)
    expected = truth(folder)["key_figures"]
    assert report["years"] == sorted(expected)
    for year, figures in expected.items():
        for name, value in figures.items():
            places = Decimal("0.0001") if name in RATIOS else Decimal("0.01")
            got = Decimal(str(report["key_figures"][year][name])).quantize(places)
            assert got == Decimal(str(value)).quantize(places), (year, name)
    assert report["validation"]["errors"] == []
    download = api_client(alice).get(report["output"]["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")


def test_schedule_iii_pdf_alone_reaches_the_figures_within_its_rounding(project, alice):
    report = process(api_client(alice), project.pk, [SGP_PDF], skip_review=True)
    expected = truth("shree-ganesh-polymers-private-limited")["key_figures"]
    assert report["years"] == sorted(expected)
    for year, figures in expected.items():
        got = report["key_figures"][year]
        for name, value in figures.items():
            if name == "net_sales":
                # The statement's revenue from operations includes scrap sales (other
                # operating income in the trial balance): the PDF cannot separate them.
                continue
            tolerance = 0.02 if name in RATIOS else max(5000.0, abs(value) * 0.001)
            assert got[name] == pytest.approx(value, abs=tolerance), (year, name)
