"""The live pages over plain HTTP: project page, Process and run actions, run page, stats.

Every page works without JavaScript (forms post and redirect back); a request made by
htmx gets the page's live parts as out-of-band fragments instead.
"""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from pipeline import runner, services
from pipeline.models import Run, StepRecord
from projects.models import Output
from tests.conftest import MEHTA_CSV, login, sample
from tests.toy import pipeline as toy

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _toy(settings):
    settings.PIPELINE_DEFAULT = "toy"
    settings.PIPELINE_HEARTBEAT_SECONDS = 3600
    toy.REVIEW_PENDING.clear()
    yield
    toy.REVIEW_PENDING.clear()


def new_run(project, user, **options) -> Run:
    return services.run_create(
        subject=project, pipeline_name="toy", options=options, requested_by=user
    )


def executed(project, user, **options) -> Run:
    run = new_run(project, user, **options)
    runner.run_execute(run_id=run.pk)
    run.refresh_from_db()
    return run


def page(client, project) -> str:
    response = client.get(reverse("project-detail", args=[project.pk]))
    assert response.status_code == 200
    return response.text


def step_states(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-step="(\w+)" data-status="(\w+)"', html))


def buttons(html: str) -> set[str]:
    return set(re.findall(r"<button[^>]*>(Cancel run|Resume|Retry from|Process)", html))


# The project page ------------------------------------------------------------------


def test_a_new_project_shows_five_pending_steps_and_asks_for_files(project, alice):
    html = page(login(alice), project)
    assert step_states(html) == dict.fromkeys(
        ["extract", "classify", "review", "validate", "generate"], "pending"
    )
    assert 'role="progressbar"' in html
    assert 'aria-valuenow="0"' in html
    assert 'aria-valuemin="0" aria-valuemax="100"' in html
    assert "Upload at least one file" in html
    assert buttons(html) == set()
    assert f'ws-connect="/ws/projects/{project.pk}/"' in html


def test_with_files_the_process_form_offers_the_options(project_file, alice):
    html = page(login(alice), project_file.project)
    assert buttons(html) == {"Process"}
    for name in ("skip_review", "skip_validation", "force_reprocess", "notify_on_review"):
        assert f'name="{name}"' in html
    assert '<option value="validate">Validate</option>' in html
    assert 'name="auto_approve_above"' in html
    assert "toy_" not in html


def test_process_starts_a_run_with_the_chosen_options(project_file, alice):
    project = project_file.project
    response = login(alice).post(
        reverse("project-process", args=[project.pk]),
        {
            "skip_validation": "on",
            "notify_on_review": ["0", "1"],
            "start_from": "classify",
            "auto_approve_above": "85",  # in %, as the review list shows confidence
            "toy_review": "3",  # not an option of the form: never passed on
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("project-detail", args=[project.pk])
    run = Run.objects.get(project=project)
    assert run.status == "queued"
    assert run.requested_by == alice
    assert run.options["skip_validation"] is True
    assert run.options["skip_review"] is False
    assert run.options["notify_on_review"] is True
    assert run.options["start_from"] == "classify"
    assert run.options["auto_approve_above"] == 0.85
    assert run.options["toy_review"] == 0


def test_an_unticked_notify_box_turns_notification_off(project_file, alice):
    login(alice).post(
        reverse("project-process", args=[project_file.project_id]), {"notify_on_review": "0"}
    )
    assert Run.objects.get().options["notify_on_review"] is False


def test_process_with_a_bad_threshold_says_so_and_starts_nothing(project_file, alice):
    response = login(alice).post(
        reverse("project-process", args=[project_file.project_id]),
        {"auto_approve_above": "150"},
        follow=True,
    )
    assert "Not started: “Auto-approve above” must be a percentage from 0 to 100." in response.text
    assert not Run.objects.exists()


def test_process_without_files_says_so(project, alice):
    response = login(alice).post(reverse("project-process", args=[project.pk]), follow=True)
    assert "Upload at least one file before processing." in response.text
    assert not Run.objects.exists()


def test_a_second_process_gets_one_run_and_an_explanation(project_file, alice):
    client = login(alice)
    url = reverse("project-process", args=[project_file.project_id])
    client.post(url)
    response = client.post(url, follow=True)
    assert "This project is already being processed." in response.text
    assert Run.objects.count() == 1


def test_process_by_htmx_answers_with_fragments_not_a_redirect(project_file, alice):
    response = login(alice).post(
        reverse("project-process", args=[project_file.project_id]), headers=HTMX
    )
    assert response.status_code == 200
    html = response.text
    assert '<ul id="messages"' in html
    assert "Processing started" in html
    # The messages, the 12 parts and the upload form's own messages.
    assert html.count('hx-swap-oob="true"') == 14
    assert buttons(html) == {"Cancel run"}
    assert 'id="upload-form"' not in html  # files stay as they are during a run


def test_a_queued_run_offers_only_cancel(project_file, alice):
    new_run(project_file.project, alice)
    html = page(login(alice), project_file.project)
    assert buttons(html) == {"Cancel run"}
    assert "waiting for a worker" in html
    assert "Remove" not in html


def test_a_completed_run_offers_only_a_new_process(project_file, alice):
    run = executed(project_file.project, alice)
    html = page(login(alice), project_file.project)
    assert buttons(html) == {"Process"}
    assert set(step_states(html).values()) == {"completed"}
    assert 'aria-valuenow="100.0"' in html
    assert reverse("run-detail", args=[run.pk]) in html
    assert "doc1.csv" in html  # per-document phases


def test_a_failed_run_offers_retry_and_shows_the_error(project_file, alice):
    executed(project_file.project, alice, toy_fail="classify")
    html = page(login(alice), project_file.project)
    assert buttons(html) == {"Retry from", "Process"}
    assert "Retry from classify" in html
    assert "classify cannot read the books" in html
    assert step_states(html)["classify"] == "failed"


def test_a_paused_run_with_items_pending_points_to_the_review(project_file, alice, bob):
    run = executed(project_file.project, alice, toy_review=2)
    toy.REVIEW_PENDING[run.pk] = 2
    html = page(login(alice), project_file.project)
    assert buttons(html) == {"Cancel run"}
    assert "The run waits for a CA to decide 2 items" in html
    assert step_states(html)["review"] == "awaiting_review"
    admin_list = f"/admin/projects/reviewitem/?project__id__exact={project_file.project_id}"
    # Staff read the items on the site; a CA is sent where they can decide them.
    assert admin_list not in html
    assert reverse("project-review", args=[project_file.project_id]) in html
    assert admin_list in page(login(bob), project_file.project)


def test_a_paused_run_with_every_item_decided_offers_resume(project_file, alice):
    executed(project_file.project, alice, toy_review=2)
    html = page(login(alice), project_file.project)
    assert buttons(html) == {"Resume", "Cancel run"}


def test_cancel_from_the_page_cancels_a_queued_run(project_file, alice):
    run = new_run(project_file.project, alice)
    response = login(alice).post(reverse("run-cancel", args=[run.pk]), follow=True)
    assert f"Run {run.pk} was cancelled." in response.text
    run.refresh_from_db()
    assert run.status == "cancelled"
    assert buttons(response.text) == {"Process"}


def test_cancel_of_a_running_run_asks_it_to_stop(project_file, alice):
    run = new_run(project_file.project, alice)
    services.run_claim(run_id=run.pk)
    response = login(alice).post(reverse("run-cancel", args=[run.pk]), follow=True)
    assert "it stops at the next safe point" in response.text
    run.refresh_from_db()
    assert run.cancel_requested_at is not None
    assert buttons(response.text) == set()  # no second cancel while it stops


def test_cancel_of_a_finished_run_says_so(project_file, alice):
    run = executed(project_file.project, alice)
    response = login(alice).post(reverse("run-cancel", args=[run.pk]), follow=True)
    assert "The run is already completed." in response.text


def test_retry_from_the_page_queues_the_failed_run_again(project_file, alice):
    run = executed(project_file.project, alice, toy_fail="classify")
    response = login(alice).post(
        reverse("project-retry", args=[project_file.project_id]), follow=True
    )
    assert f"Retrying run {run.pk} from classify." in response.text
    run.refresh_from_db()
    assert run.status == "queued"
    assert StepRecord.objects.get(run=run, name="extract").status == "completed"


def test_retry_when_nothing_failed_says_so(project_file, alice):
    executed(project_file.project, alice)
    response = login(alice).post(
        reverse("project-retry", args=[project_file.project_id]), follow=True
    )
    assert "Only a failed run can be retried." in response.text


def test_resume_from_the_page_continues_after_review(project_file, alice):
    run = executed(project_file.project, alice, toy_review=2)
    response = login(alice).post(
        reverse("project-resume", args=[project_file.project_id]), headers=HTMX
    )
    assert response.status_code == 200
    assert f"Run {run.pk} continues after review." in response.text
    run.refresh_from_db()
    assert run.status == "queued"
    assert StepRecord.objects.get(run=run, name="review").status == "completed"


def test_resume_while_items_are_pending_says_how_many(project_file, alice):
    run = executed(project_file.project, alice, toy_review=2)
    toy.REVIEW_PENDING[run.pk] = 2
    response = login(alice).post(
        reverse("project-resume", args=[project_file.project_id]), follow=True
    )
    assert "2 review items are still pending." in response.text
    run.refresh_from_db()
    assert run.status == "awaiting_review"


def test_page_by_htmx_is_every_live_part_out_of_band(project_file, alice):
    response = login(alice).get(
        reverse("project-detail", args=[project_file.project_id]), headers=HTMX
    )
    ids = re.findall(r'<\w+ id="([\w-]+)"[^>]*hx-swap-oob="true"', response.text)
    assert ids == [
        "messages",
        "project-status",
        "run-controls",
        "progress",
        "stepper",
        "documents",
        "review-summary",
        "process-panel",
        "files",
        "upload-panel",
        "outputs",
        "report-summary",
        "run-history",
        "upload-messages",
    ]
    assert "<html" not in response.text


def test_upload_by_htmx_answers_with_the_new_file_table(project, alice):
    response = login(alice).post(
        reverse("project-upload", args=[project.pk]), {"files": [sample(MEHTA_CSV)]}, headers=HTMX
    )
    assert response.status_code == 200
    assert "Uploaded trial-balance.csv." in response.text
    assert 'id="files-table"' in response.text


def test_outputs_link_to_their_firm_checked_download(project_file, alice):
    output = Output(project=project_file.project, name="cma-mehta.xlsx", size=10, sha256="0")
    output.file.save("cma.xlsx", ContentFile(b"0123456789"), save=False)
    output.save()
    html = page(login(alice), project_file.project)
    url = reverse("output-download", args=[output.pk])
    assert f'href="{url}"' in html
    assert "cma-mehta.xlsx" in html
    download = login(alice).get(url)
    assert download["Content-Disposition"] == 'attachment; filename="cma-mehta.xlsx"'
    assert b"".join(download.streaming_content) == b"0123456789"


# The run page -----------------------------------------------------------------------


def test_outputs_mark_the_latest_run_and_fold_earlier_ones(project_file, alice):
    project = project_file.project
    first, latest = executed(project, alice), executed(project, alice)
    for run in (first, latest):
        output = Output(project=project, run=run, name="cma-mehta.xlsx", size=10, sha256="0")
        output.file.save("cma.xlsx", ContentFile(b"0123456789"), save=False)
        output.save()
    html = page(login(alice), project)
    outputs = html.split('id="outputs"')[1].split("</section>")[0]
    assert outputs.count("Latest") == 1
    latest_part, earlier = outputs.split('<details class="earlier-outputs">')
    assert f"Run {latest.pk}" in latest_part and f"Run {first.pk}" not in latest_part
    assert f"Run {first.pk}" in earlier and "Earlier reports (1)" in earlier


def test_the_run_page_shows_the_log_and_a_timeline_of_each_step(project_file, alice):
    run = executed(project_file.project, alice, toy_review=2)
    response = login(alice).get(reverse("run-detail", args=[run.pk]))
    assert response.status_code == 200
    html = response.text
    assert f'ws-connect="/ws/runs/{run.pk}/live/"' in html
    assert "Queued" in html
    assert "Process pressed by alice" in html  # who, from the run
    # Event types in words, not codes.
    assert '<span class="log-type">Step completed</span><span class="log-text">Extract, in' in html
    assert '<span class="log-type">step.completed' not in html
    assert "2 items need a CA" in html
    assert "step.progress" not in html
    # One bar per step that started; review is still open, so its bar runs to now.
    assert html.count('class="tl-bar"') == 3
    assert 'data-step="validate"' in html
    assert 'class="tl-list"' in html  # bars laid out by the page, to any width
    assert "<dt>Toy review</dt>" in html  # the options of this run, in words


def test_the_run_page_of_a_queued_run_has_no_timeline_yet(project_file, alice):
    run = new_run(project_file.project, alice)
    html = login(alice).get(reverse("run-detail", args=[run.pk])).text
    assert "No step has started yet." in html


def test_the_run_page_by_htmx_is_its_parts_out_of_band(project_file, alice):
    run = executed(project_file.project, alice)
    response = login(alice).get(reverse("run-detail", args=[run.pk]), headers=HTMX)
    ids = re.findall(r'<\w+ id="([\w-]+)"[^>]*hx-swap-oob="true"', response.text)
    assert ids == ["run-status", "stepper", "progress", "timeline", "event-log"]


# The stats page and the list --------------------------------------------------------


def test_stats_count_runs_by_status_with_step_percentiles(project_file, alice, charlie):
    executed(project_file.project, alice)
    executed(project_file.project, alice, toy_fail="extract")
    response = login(alice).get(reverse("stats"))
    assert response.status_code == 200
    html = response.text
    assert re.search(r"All runs</dt><dd>2<", html)
    assert re.search(r"Completed</dt><dd>1<", html)
    assert re.search(r"Failed</dt><dd>1<", html)
    assert '<th scope="row">Generate</th>' in html
    # Words a CA firm reads, not percentiles.
    assert "Typical time" in html and "Slowest 1 in 20" in html
    text = re.sub(r"<[^>]+>", " ", html)
    assert "p50" not in text and "p95" not in text
    other = login(charlie).get(reverse("stats")).text
    assert re.search(r"All runs</dt><dd>0<", other)
    assert "No step has completed yet." in other


def test_the_list_shows_a_live_badge_per_project(project_file, alice):
    new_run(project_file.project, alice)
    client = login(alice)
    html = client.get(reverse("project-list")).text
    assert 'ws-connect="/ws/projects/"' in html
    assert f'id="project-{project_file.project_id}-status"' in html
    assert ">Queued<" in html
    fragments = client.get(reverse("project-list"), headers=HTMX).text
    assert f'id="project-{project_file.project_id}-status"' in fragments
    assert 'hx-swap-oob="true"' in fragments
    assert "<html" not in fragments


def test_the_list_polls_and_follows_only_the_projects_it_shows(project_file, alice, make_project):
    other = make_project(alice, "Term loan")
    client = login(alice)
    html = client.get(reverse("project-list"), {"q": "term"}).text
    assert 'ws-connect="/ws/projects/?q=term"' in html
    assert 'data-live-url="/?q=term"' in html
    fragments = client.get(reverse("project-list"), {"q": "term"}, headers=HTMX).text
    assert f'id="project-{other.pk}-status"' in fragments
    assert f'id="project-{project_file.project_id}-status"' not in fragments


def test_every_page_sends_the_csrf_token_with_htmx_requests(alice):
    html = login(alice).get(reverse("stats")).text
    assert re.search(r"<body hx-headers='\{\"X-CSRFToken\": \"\w+\"\}'>", html)
    assert "vendor/htmx/htmx.min.js" in html
    assert "vendor/htmx-ext-ws/ws.min.js" in html


def test_process_when_the_pipeline_is_missing_starts_nothing(project_file, alice, settings):
    settings.PIPELINE_DEFAULT = "not-installed"
    response = login(alice).post(
        reverse("project-process", args=[project_file.project_id]), follow=True
    )
    assert "Processing is not available right now" in response.text
    assert not Run.objects.exists()


def test_a_step_stopped_by_a_cancel_ends_its_bar_with_the_run(project_file, alice):
    run = new_run(project_file.project, alice)
    claimed, claim = services.run_claim(run_id=run.pk)
    services.step_start(run=claimed, position=0, attempt=1, claim=claim)
    services.run_cancelled_by_worker(run=claimed, step="extract")
    html = login(alice).get(reverse("run-detail", args=[run.pk])).text
    assert html.count('class="tl-bar"') == 1
    assert "(stopped)" in html
    assert '<span class="log-type">Cancelled</span><span class="log-text">During Extract' in html
