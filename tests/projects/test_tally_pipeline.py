"""Tally's XML exports through the whole pipeline: a flat trial balance and the masters
beside it give every ledger its group, and the group is evidence for the head."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import LineItem
from tests.conftest import api_client
from tests.projects.cma.tally_files import (
    Ledger,
    company_tree,
    ledgers_of,
    masters,
    trial_balance,
)
from tests.projects.test_file_checks import files_by_name, process, upload


def test_a_flat_tally_trial_balance_takes_each_ledgers_group_from_the_masters(project, alice):
    tree = company_tree()
    # Ledgers only, as a report exported without its groups shows them.
    flat = [Ledger(name, net) for name, net, _ in ledgers_of(tree)]
    client = api_client(alice)
    upload(
        client,
        project.pk,
        [
            SimpleUploadedFile("Trial Balance.xml", trial_balance(flat)),
            SimpleUploadedFile("Master.xml", masters(tree)),
        ],
        fiscal_year="2024-25",
    )
    files = files_by_name(client, project.pk)
    assert {f["kind"] for f in files.values()} == {"xml"}
    progress = process(client, project.pk)
    assert progress["status"] == "completed", progress["steps"][0]["error"]

    items = {item.label: item for item in LineItem.objects.filter(project=project)}
    expected = ledgers_of(tree)
    assert len(items) == len({name for name, net, _ in expected if net})
    for name, net, chain in expected:
        if net and chain:  # a ledger at the top (Profit & Loss A/c) has no group
            # The nearest group first, as the masters give the chain.
            assert items[name].section.split(" / ")[0] == chain[0], (name, chain)
    report = client.get(reverse("api-report", args=[project.pk])).json()
    figures = report["key_figures"]["2024-25"]
    assert figures["total_assets"] == figures["total_liabilities"]
    masters_file = files_by_name(client, project.pk)["Master.xml"]
    assert masters_file["status"] == "extracted"
    assert masters_file["company"]
