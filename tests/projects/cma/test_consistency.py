"""Whether a project's files belong together: one company, consecutive years."""

from projects.cma.consistency import FileFacts, company_key, file_conflicts, same_company


def facts(key, company="", years=("2024-25",), name=None):
    return FileFacts(key, name or f"file{key}.xlsx", company, tuple(years))


def test_legal_forms_and_punctuation_do_not_make_another_company():
    assert same_company("SHREE GANESH POLYMERS PRIVATE LIMITED", "Shree Ganesh Polymers Pvt. Ltd.")
    assert same_company("M/s. Mehta Traders", "MEHTA TRADERS")
    assert same_company("Shri Ganesh Polymers Pvt Ltd", "Shree Ganesh Polymers Private Limited")
    assert same_company("Rao & Sons LLP", "Rao and Sons")
    assert company_key("ABC Industries (formerly ABC Traders) Private Limited") == "abc industries"


def test_different_companies_are_told_apart():
    assert not same_company("Shree Ganesh Polymers Pvt Ltd", "Mehta Traders")
    assert not same_company("Sunrise Foods Private Limited", "Sunrise Textiles Private Limited")


def test_a_second_companys_file_is_named_with_both_companies():
    conflicts = file_conflicts(
        [
            facts(1, "Shree Ganesh Polymers Pvt Ltd", ["2023-24"]),
            facts(2, "SHREE GANESH POLYMERS PRIVATE LIMITED", ["2024-25"]),
            facts(3, "Mehta Traders", ["2024-25"], name="other.csv"),
        ]
    )
    assert [c.key for c in conflicts] == [3]
    message = conflicts[0].message
    assert "other.csv" in message and "Mehta Traders" in message
    assert "SHREE GANESH POLYMERS PRIVATE LIMITED" in message or "Shree Ganesh" in message


def test_a_tie_between_two_companies_goes_to_the_client_name_typed_on_the_project():
    files = [facts(1, "Mehta Traders"), facts(2, "Shree Ganesh Polymers Ltd")]
    conflicts = file_conflicts(files, client_name="Shree Ganesh Polymers")
    assert [c.key for c in conflicts] == [1]
    # Without a client name, the earliest file decides.
    assert [c.key for c in file_conflicts(files)] == [2]


def test_files_that_name_no_company_are_not_in_conflict():
    assert file_conflicts([facts(1, "Mehta Traders"), facts(2, ""), facts(3, "")]) == []


def test_a_year_far_from_the_others_is_a_conflict_that_names_both():
    conflicts = file_conflicts(
        [
            facts(1, years=["2023-24", "2024-25"], name="tb.csv"),
            facts(2, years=["2019-20"], name="old.pdf"),
        ]
    )
    assert [c.key for c in conflicts] == [2]
    assert "old.pdf covers 2019-20" in conflicts[0].message
    assert "2023-24 to 2024-25" in conflicts[0].message


def test_consecutive_years_in_several_files_are_no_conflict():
    files = [facts(1, years=["2022-23"]), facts(2, years=["2023-24"]), facts(3, years=["2024-25"])]
    assert file_conflicts(files) == []


def test_a_run_of_years_covered_by_more_files_wins_over_a_longer_lonely_one():
    files = [
        facts(1, years=["2018-19", "2019-20", "2020-21"]),
        facts(2, years=["2023-24"]),
        facts(3, years=["2024-25"]),
    ]
    assert [c.key for c in file_conflicts(files)] == [1]


def test_another_companys_file_does_not_decide_the_years():
    files = [
        facts(1, "Mehta Traders", ["2023-24", "2024-25"]),
        facts(2, "Mehta Traders", ["2024-25"]),
        facts(3, "Other Co", ["2019-20"]),
    ]
    conflicts = file_conflicts(files)
    assert [c.key for c in conflicts] == [3]
    assert "Other Co" in conflicts[0].message


def test_a_report_title_taken_for_a_company_name_refuses_nothing():
    files = [
        facts(1, "Mehta Traders"),
        facts(2, "Statement showing ledger balances"),
        facts(3, "Trial Balance as on 31-03-2025"),
        facts(4, "Group Summary"),
    ]
    assert file_conflicts(files) == []
