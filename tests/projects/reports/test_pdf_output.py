"""The generate step's two outputs: the workbook (with Form I, the assessment and the
checks with their notes) and the PDF of its forms, listed and downloaded under their
names and content types; the report stays the workbook's."""

import io
import sys

from django.urls import reverse
from python_calamine import CalamineWorkbook

from projects.models import Output
from projects.reports import PdfUnavailable
from tests.conftest import api_client, login
from tests.projects.test_bank_readiness import generate
from tests.projects.test_plan import put


def test_a_report_is_a_workbook_with_the_checks_and_notes_and_a_pdf_beside_it(project_file, alice):
    project = project_file.project
    generate(project, alice)  # the books first: the plan's defaults come from them
    put(api_client(alice), project, {
        "assumptions": {"2025-26": {"sales_growth_pct": 30}},
        "notes": {"sales_growth": "Export order of ₹2 crore"},
    })  # fmt: skip
    generate(project, alice, start_from="generate")
    client = api_client(alice)
    listed = client.get(reverse("api-outputs", args=[project.pk])).json()["results"][:2]
    names = sorted(item["name"] for item in listed)
    assert [name.rsplit(".", 1)[1] for name in names] == ["pdf", "xlsx"]
    report = client.get(reverse("api-report", args=[project.pk])).json()
    assert report["output"]["name"].endswith(".xlsx")

    for item in listed:
        response = client.get(item["download_url"])
        body = b"".join(response.streaming_content)
        assert item["name"] in response["Content-Disposition"]
        if item["name"].endswith(".pdf"):
            assert response["Content-Type"] == "application/pdf"
            assert body.startswith(b"%PDF")
            assert Output.objects.get(pk=item["id"]).file.name.endswith(".pdf")
        else:
            assert response["Content-Type"].startswith("application/vnd.openxmlformats")
            book = CalamineWorkbook.from_filelike(io.BytesIO(body))
            assert {"Form I", "Assessment"} <= set(book.sheet_names)
            rows = book.get_sheet_by_name("Validation").to_python()
            growth = next(row for row in rows if len(row) > 6 and row[2] == "sales_growth")
            assert growth[6] == "Export order of ₹2 crore"
    # The web page's download link keeps the name too.
    pdf = next(item for item in listed if item["name"].endswith(".pdf"))
    page = login(alice).get(reverse("output-download", args=[pdf["id"]]))
    assert page["Content-Type"] == "application/pdf"


def test_a_server_without_pango_still_makes_the_workbook_and_says_why_no_pdf(
    project_file, alice, monkeypatch
):
    def no_pango(**_kwargs):
        raise PdfUnavailable("The PDF of the forms was not made: WeasyPrint needs Pango.")

    # The step's module (projects.steps exports the step function under the same name).
    monkeypatch.setattr(sys.modules["projects.steps.generate"], "forms_pdf_start", no_pango)
    run = generate(project_file.project, alice)
    assert run.status == "completed", run.error
    outputs = Output.objects.filter(project=project_file.project)
    assert [o.name.rsplit(".", 1)[1] for o in outputs] == ["xlsx"]
    report = api_client(alice).get(reverse("api-report", args=[project_file.project_id])).json()
    codes = [warning["code"] for warning in report["validation"]["warnings"]]
    assert "pdf_unavailable" in codes
