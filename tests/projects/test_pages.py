"""The server-rendered pages: login, project list and create, project page."""

from django.test import Client
from django.urls import reverse

from projects.models import Project
from tests.conftest import MEHTA_CSV, PASSWORD, login, sample


def test_login_lands_on_the_page_asked_for(project, alice):
    target = reverse("project-detail", args=[project.pk])
    client = Client()
    redirect = client.get(target)
    assert redirect.status_code == 302
    response = client.post(
        redirect.url, {"username": "alice@acme.test", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.url == target
    assert client.get(target).status_code == 200


def test_login_with_a_wrong_password_says_so(alice):
    response = Client().post(reverse("login"), {"username": "alice@acme.test", "password": "nope"})
    assert response.status_code == 200
    assert "didn't match" in response.text


def test_logout_is_a_post_and_ends_the_session(alice):
    client = login(alice)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("project-list")).status_code == 302


def test_create_project_from_the_list_page(alice):
    client = login(alice)
    response = client.post(
        reverse("project-list"), {"name": "CC renewal", "client_name": "Mehta Traders"}
    )
    project = Project.objects.get()
    assert response.url == reverse("project-detail", args=[project.pk])
    page = client.get(response.url)
    assert "CC renewal" in page.text
    assert "Mehta Traders" in page.text


def test_create_project_without_a_name_shows_the_error(alice):
    response = login(alice).post(reverse("project-list"), {"name": " "})
    assert response.status_code == 400
    assert "A project needs a name." in response.text
    assert not Project.objects.exists()


def test_project_page_lists_files_with_kind_and_year(project, alice):
    client = login(alice)
    response = client.post(
        reverse("project-upload", args=[project.pk]),
        {"files": [sample(MEHTA_CSV)], "fiscal_year": ""},
        follow=True,
    )
    assert "Uploaded trial-balance.csv." in response.text
    assert "CSV" in response.text
    assert (
        reverse("project-file-download", args=[project.pk, project.files.get().pk]) in response.text
    )


def test_page_download_returns_the_file(project_file, bob):
    response = login(bob).get(
        reverse("project-file-download", args=[project_file.project_id, project_file.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == sample(MEHTA_CSV).read()


def test_remove_file_from_the_page(project_file, alice):
    response = login(alice).post(
        reverse("project-file-delete", args=[project_file.project_id, project_file.pk]),
        follow=True,
    )
    assert "Removed trial-balance.csv." in response.text
    assert not project_file.project.files.exists()
