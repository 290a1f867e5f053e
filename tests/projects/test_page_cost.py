"""The project page's and the report's cheaper reads and renders give what the ORM and
the template tags gave, for every state, never an older one.

The page's reads are compiled once and sent as SQL (pipeline/sql.CompiledRead); its links and
times are computed once per URL prefix, time zone and language (fragments.link, .when).
Nothing that depends on the project's state is kept between requests.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile
from django.db import connection
from django.http import Http404
from django.template import engines
from django.template.defaultfilters import filesizeformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix
from django.utils import timezone, translation

from pipeline.models import Run
from pipeline.runner import run_execute
from pipeline.services import run_create
from projects import fragments, selectors
from projects.models import AuditLog, Output, ProjectFile, ReviewItem
from projects.services import line_item_correct, project_files_add
from tests.conftest import SGP_TB_2024, api_client, login, sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def processed(project_file, alice):
    project = project_file.project
    run = run_create(
        subject=project, pipeline_name="cma", options={"skip_review": True}, requested_by=alice
    )
    run_execute(run_id=run.pk)
    return project


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("project-list", []),
        ("project-detail", [7]),
        ("project-plan", [12345]),
        ("project-file-delete", [3, 40]),
        ("project-file-detail", [7_319_024_118, 1]),  # ids like the marks themselves
        ("output-download", [9]),
        ("run-cancel", [1]),
        ("admin:index", []),
    ],
)
def test_a_link_is_what_reverse_gives(name, args):
    assert fragments.link(name, *args) == reverse(name, args=args)


def test_a_link_follows_the_script_prefix():
    try:
        set_script_prefix("/cma/")
        assert fragments.link("project-plan", 5) == reverse("project-plan", args=[5])
        assert fragments.link("project-plan", 5).startswith("/cma/")
    finally:
        set_script_prefix("/")
    assert fragments.link("project-plan", 5) == "/projects/5/plan/"


@pytest.mark.parametrize("zone", ["Asia/Kolkata", "UTC", "America/New_York"])
@pytest.mark.parametrize("language", ["en-in", "hi"])
def test_a_time_is_what_the_date_filter_gives(zone, language):
    template = engines["django"].from_string(
        '{{ t|date:\'c\' }}|{{ t|date:"j M Y, H:i" }}|{{ t|date:"j M, H:i" }}'
    )
    moment = datetime(2026, 3, 31, 20, 45, 1, 250000, tzinfo=UTC)
    with timezone.override(zone), translation.override(language):
        shown = fragments.when(moment)
        assert "|".join([shown["iso"], shown["day"], shown["short"]]) == template.render(
            {"t": moment}
        )


@pytest.mark.parametrize("size", [0, 1, 1023, 1024, 1_536_000, 3 * 1024**3])
@pytest.mark.parametrize("language", ["en-in", "hi", "de"])
def test_a_size_is_what_the_filesizeformat_filter_gives(size, language):
    with translation.override(language):
        assert fragments.size_text(size) == filesizeformat(size)


def test_the_page_reads_give_what_the_orm_gives(processed, alice):
    project = processed
    Run.objects.create(project=project, tenant_id=project.firm_id, pipeline="cma")  # no one
    expected_runs = list(
        project.runs.select_related("requested_by").order_by("-created_at", "-id")[:8]
    )

    runs = selectors.project_runs(project=project)

    assert [_fields(r) for r in runs] == [_fields(r) for r in expected_runs]
    with CaptureQueriesContext(connection) as captured:
        assert [r.requested_by and r.requested_by.email for r in runs] == [
            r.requested_by and r.requested_by.email for r in expected_runs
        ]
        assert runs[1].requested_by.username == alice.username
        assert all(r.project is project for r in runs)
    assert captured.captured_queries == []
    assert runs[1].requested_by.date_joined == alice.date_joined  # read when asked for

    files = selectors.project_file_list(project=project)
    assert [_fields(f) for f in files] == [_fields(f) for f in project.files.all()]
    outputs = selectors.output_list(project=project)
    with CaptureQueriesContext(connection) as captured:
        assert outputs[0].key_figures and isinstance(outputs[0].validation, dict)
        assert [o.name for o in outputs] == [o.name for o in project.outputs.all()]
    assert len(captured.captured_queries) == 1  # the ORM's list; the latest had its figures
    assert [_fields(o) for o in outputs] == [_fields(o) for o in project.outputs.all()]


def test_each_change_shows_on_the_next_page(processed, alice, bob):
    """Every read is made again for every request: a change is on the very next page."""
    project = processed
    client = login(bob)
    url = reverse("project-detail", args=[project.pk])
    first = client.get(url).text
    assert "moved to another head" not in first

    item = project.line_items.exclude(head="").first()
    line_item_correct(item=item, user=bob, head="other_operating_income")
    assert "1 line item moved to another head after this report" in client.get(url).text
    assert selectors.corrections_since(project=project, since=project.outputs.first().created_at)
    assert selectors.corrections_since(project=project, since=timezone.now()) == 0

    project_files_add(project=project, uploads=[sample(SGP_TB_2024)], user=alice)
    assert client.get(url).text.count('<tr data-file="') == 2  # each file's row

    newer = Output(project=project, name="CMA - newer.xlsx", size=1, sha256="0", years=["2030-31"])
    newer.key_figures = {"2030-31": {"net_sales": 100000.0}}
    newer.validation = {"errors": [], "warnings": []}
    newer.file.save("newer.xlsx", ContentFile(b"0"))
    page = client.get(url).text
    assert f'href="/outputs/{newer.pk}/download/"' in page
    assert "Earlier reports (1)" in page
    assert "moved to another head" not in page  # counted since the newer report

    again = run_create(subject=project, pipeline_name="cma", options={}, requested_by=bob)
    page = client.get(url).text
    assert f'href="/runs/{again.pk}/"' in page
    assert "bob@acme.test" in page  # the latest run's requester


def test_review_counts_and_the_report_api_read_what_is_stored(processed, alice, charlie):
    project = processed
    run = project.runs.first()
    assert selectors.review_counts(run_id=run.pk) == {"pending": 0, "approved": 0, "corrected": 0}
    item = project.line_items.first()
    ReviewItem.objects.create(
        project=project,
        run=run,
        line_item=item,
        suggested_head=item.head or "other",
        status="pending",
    )
    assert selectors.review_counts(run_id=run.pk)["pending"] == 1

    body = api_client(alice).get(reverse("api-report", args=[project.pk])).json()
    assert body["output"]["id"] == project.outputs.first().pk
    assert selectors.latest_output_for_user(user=charlie, project_id=project.pk) is None


def test_a_correction_counts_only_after_the_report(processed):
    project = processed
    made = project.outputs.first().created_at
    entry = AuditLog.objects.create(
        firm_id=project.firm_id, project=project, action="line_item_corrected"
    )
    AuditLog.objects.filter(pk=entry.pk).update(created_at=made)
    assert selectors.corrections_since(project=project, since=made) == 0
    AuditLog.objects.filter(pk=entry.pk).update(created_at=made + timedelta(microseconds=1))
    assert selectors.corrections_since(project=project, since=made) == 1


def test_a_file_read_for_the_page_is_the_stored_one(project_file):
    [read] = selectors.project_file_list(project=project_file.project)
    assert isinstance(read, ProjectFile)
    assert _fields(read) == _fields(ProjectFile.objects.get(pk=project_file.pk))


def test_the_key_figures_table_has_a_cell_per_year_in_order(project_file, alice):
    project = project_file.project
    years = ["2023-24", "2024-25", "2025-26"]
    output = Output(
        project=project,
        name="cma.xlsx",
        size=1,
        sha256="0",
        years=years,
        kinds={"2023-24": "audited", "2024-25": "estimated", "2025-26": "projected"},
        key_figures={
            "2023-24": {"net_sales": 1234567.891, "current_ratio": 1.333},
            "2024-25": {"net_sales": -250000.0, "current_ratio": None},
            "2025-26": {"net_sales": 0.004, "current_ratio": 2},
        },
        validation={"errors": [], "warnings": []},
    )
    output.file.save("cma.xlsx", ContentFile(b"0"))
    page = login(alice).get(reverse("project-detail", args=[project.pk])).text
    sales = page.split('<tr data-figure="net_sales">')[1].split("</tr>")[0]
    cells = [
        fragments.figure_text("net_sales", output.key_figures[y]["net_sales"], "lakhs")
        for y in years
    ]
    assert cells == ["12.35", "-2.50", "0.00"]  # in lakhs, the default unit
    assert sales.endswith("".join(f'<td class="num">{c}</td>' for c in cells))
    ratio = page.split('<tr data-figure="current_ratio">')[1].split("</tr>")[0]
    assert ratio.endswith(
        '<td class="num">1.33</td><td class="num">—</td><td class="num">2.00</td>'
    )


def _plan_id(project):
    try:
        return project.plan.pk
    except ObjectDoesNotExist:
        return None


def test_a_project_read_for_its_user_is_what_the_orm_gives(processed, alice, bob):
    project = processed
    stored = type(project).objects.select_related("plan").get(pk=project.pk)
    for user in (alice, bob):  # the same firm
        for with_plan in (False, True):
            found = selectors.project_get_for_user(
                user=user, project_id=project.pk, with_plan=with_plan
            )
            assert _fields(found) == _fields(stored)
    with CaptureQueriesContext(connection) as captured:
        found = selectors.project_get_for_user(user=alice, project_id=project.pk, with_plan=True)
        assert _plan_id(found) == _plan_id(stored)
    assert len(captured.captured_queries) == 1  # the plan (or its absence) came with it


def test_another_firms_project_or_a_missing_one_is_a_404(processed, charlie, alice):
    with pytest.raises(Http404):
        selectors.project_get_for_user(user=charlie, project_id=processed.pk)
    with pytest.raises(Http404):
        selectors.project_get_for_user(user=alice, project_id=processed.pk + 10_000)


def test_a_project_processed_many_times_reads_only_its_latest_reports_figures(processed, bob):
    project = processed
    for _ in range(3):
        again = run_create(
            subject=project,
            pipeline_name="cma",
            options={"skip_review": True, "start_from": "generate"},
        )
        run_execute(run_id=again.pk)
    outputs = selectors.output_list(project=project)
    assert len(outputs) == 8  # a workbook and its PDF a run
    assert outputs[0].get_deferred_fields() == set()
    assert all(o.get_deferred_fields() == set(selectors.OUTPUT_FIGURES) for o in outputs[1:])
    with CaptureQueriesContext(connection) as captured:
        page = login(bob).get(reverse("project-detail", args=[project.pk])).text
    assert not [q for q in captured.captured_queries if "projects_output" in q["sql"]][2:]
    assert "Earlier reports (3)" in page
    assert page.count('<div class="output-group') == 4


@pytest.mark.parametrize("debug", [True, False])
def test_the_layouts_links_and_assets_are_what_url_and_static_give(settings, debug):
    settings.DEBUG = debug
    if not debug:
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    theirs = engines["django"].from_string(
        "{% load static %}{% static 'css/app.css' %}|{% static 'js/live.js' %}|"
        "{% url 'project-list' %}|{% url 'admin:index' %}|{% url 'logout' %}"
    )
    ours = engines["django"].from_string(
        "{% load layout %}{% asset 'css/app.css' %}|{% asset 'js/live.js' %}|"
        "{% link 'project-list' %}|{% link 'admin:index' %}|{% link 'logout' %}"
    )
    assert ours.render({}) == theirs.render({})
    settings.STATIC_URL = "/assets/"  # a new storage: not the old one's URLs
    assert ours.render({}) == theirs.render({})
    assert ours.render({}).startswith("/assets/css/app.css|")
