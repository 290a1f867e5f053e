"""inspect_upload on Tally XML exports: accepted as "xml", every other XML still refused."""

from projects.uploads import Inspection
from tests.projects.cma.tally_files import company_tree, masters, trial_balance
from tests.projects.uploads.conftest import inspect, refusal


def test_tally_trial_balance_in_utf16_is_accepted_as_xml():
    data = trial_balance(company_tree())
    assert data.startswith(b"\xff\xfe")
    assert inspect("TrialBal.xml", data) == Inspection("xml", None)


def test_tally_export_takes_its_year_from_its_name_when_it_names_no_period():
    data = trial_balance(company_tree(), encoding="utf-8")
    assert inspect("TB_2023_24.xml", data) == Inspection("xml", "2023-24")


def test_tally_masters_with_a_period_give_the_year():
    data = masters(company_tree(), closing=True, period=("20230401", "20240331"))
    assert inspect("Master.xml", data) == Inspection("xml", "2023-24")


def test_tally_masters_in_ascii_are_accepted():
    assert inspect("Master.xml", masters(company_tree(), encoding="ascii")).kind == "xml"


def test_tally_xml_declaring_entities_is_refused():
    body = trial_balance(company_tree(), encoding="utf-8")
    data = b'<!DOCTYPE ENVELOPE [<!ENTITY x "xxxxxxxx">]>\n' + body.replace(b"Cash<", b"&x;<")
    rejected = refusal("TrialBal.xml", data)
    assert rejected.code == "unsupported_type"
    assert "document type or entities" in rejected.detail


def test_broken_tally_xml_is_corrupt():
    data = trial_balance(company_tree(), encoding="utf-8")[:-40]
    rejected = refusal("TrialBal.xml", data)
    assert rejected.code == "corrupt"
    assert "Tally" in rejected.detail


def test_other_xml_and_utf16_text_stay_refused():
    rejected = refusal("data.xml", b'<?xml version="1.0"?><root><item>1</item></root>')
    assert "(it looks like an XML or HTML file)" in rejected.detail
    rejected = refusal("tb.txt", "Ledger\tAmount\nCash\t100\n".encode("utf-16"))
    assert "CSV UTF-8" in rejected.detail
    excel = (
        b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>'
    )
    assert "Excel 2003 XML spreadsheet" in refusal("tb.xml", excel).detail


def test_an_envelope_without_tally_rows_is_not_taken_for_tally():
    data = b"<ENVELOPE><HEADER><VERSION>1</VERSION></HEADER></ENVELOPE>"
    assert "XML or HTML" in refusal("x.xml", data).detail
