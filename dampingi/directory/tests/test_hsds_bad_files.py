"""Bad files: every problem is reported with table, row (or JSON path), field and message, and
nothing of the file is imported."""

import json

import pytest
from django.core.management import CommandError, call_command

from dampingi.directory import hsds
from dampingi.directory.services import directory_import
from dampingi.directory.tests.helpers import directory_state, example_csv_files, zip_of
from dampingi.directory.tests.hsds_oracle import EXAMPLES

ORG = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
SERVICE = "ac148810-d857-441c-9679-408f346de14b"


def _package(**changes) -> bytes:
    """A minimal valid package (one organization, one service) with CSV texts replaced by `changes`."""
    files = {
        "organizations.csv": f"id,name,description\r\n{ORG},Dinas Sosial,Pelayanan sosial\r\n",
        "services.csv": f"id,organization_id,name,status\r\n{SERVICE},{ORG},Meja bansos,active\r\n",
    }
    files.update({k.replace("__", "."): v for k, v in changes.items()})
    return zip_of(files)


def _run_csv(package: bytes):
    before = directory_state()
    result = directory_import(actor=None, tables=hsds.parse_tabular(package), file_format="csv")
    assert directory_state() == before, "a bad file must import nothing"
    return [(p.table, p.row, p.field) for p in result.problems], result


def test_the_minimal_package_is_valid():
    result = directory_import(actor=None, tables=hsds.parse_tabular(_package()), file_format="csv")
    assert result.ok and result.created == 2


def test_every_problem_of_a_bad_package_is_reported_and_nothing_is_imported():
    loc = "3a19ff88-4620-4d17-9830-ac1d859eb5d5"
    package = _package(
        organizations__csv=f"id,name,description\r\n{ORG},,Pelayanan sosial\r\nnot-a-uuid,Org B,B\r\n",
        services__csv=(f"id,organization_id,name,status,minimum_age\r\n{SERVICE},{ORG},Meja bansos,open,tiga\r\n"),
        locations__csv=f"id,location_type\r\n{loc},physical\r\n",
        service_at_location__csv=(
            f"id,service_id,location_id\r\ne94c9f38-1e8f-4564-91d4-d53501ab1765,{SERVICE},"
            "11111111-2222-4333-8444-555555555555\r\n"
        ),
    )
    found, result = _run_csv(package)
    assert set(found) == {
        ("organization", 2, "name"),  # missing required field
        ("organization", 3, "id"),  # bad UUID
        ("service", 2, "status"),  # bad enum
        ("service", 2, "minimum_age"),  # not a number
        ("service_at_location", 2, "location_id"),  # dangling reference
    }
    messages = {(p.table, p.field): p.message for p in result.problems}
    assert "not one of the allowed values" in messages[("service", "status")]
    assert "not a valid UUID" in messages[("organization", "id")]
    assert messages[("organization", "name")] == "This field is required."


def test_malformed_csv_rows_are_reported():
    found, _ = _run_csv(
        _package(services__csv=f"id,organization_id,name,status\r\n{SERVICE},{ORG},Meja,active,extra\r\n")
    )
    assert found == [("service", 2, "")]


def test_missing_required_column_is_reported():
    found, _ = _run_csv(_package(services__csv=f"id,organization_id,name\r\n{SERVICE},{ORG},Meja\r\n"))
    assert ("service", 1, "status") in found


def test_duplicate_id_is_reported():
    org_rows = f"id,name,description\r\n{ORG},A,a\r\n{ORG},B,b\r\n"
    found, _ = _run_csv(_package(organizations__csv=org_rows))
    assert found == [("organization", 3, "id")]


def test_not_utf8_and_not_a_zip_are_reported():
    found, _ = _run_csv(_package(organizations__csv="id,name,description\r\nx,Caf\xe9,d\r\n".encode("latin-1")))
    assert ("organization", None, "") in found  # (and the service's organization is then missing)
    found, _ = _run_csv(b"this is not a zip")
    assert found == [("", None, "")]


def _run_json(text: str):
    before = directory_state()
    result = directory_import(actor=None, tables=hsds.parse_json(text), file_format="json")
    assert directory_state() == before
    return result.problems


def test_malformed_json_is_reported_with_its_line():
    problems = _run_json('[{"id": "x",\n "name": }]')
    assert len(problems) == 1 and problems[0].row == 2 and "Malformed JSON" in problems[0].message


def test_json_problems_carry_the_json_path():
    service = json.loads((EXAMPLES / "service_full.json").read_text())
    service["status"] = "open"
    service["phones"][0].pop("number")
    service["service_at_locations"][0]["location"]["id"] = "not-a-uuid"
    del service["organization"]["name"]
    problems = _run_json(json.dumps([service]))
    found = {(p.table, p.path, p.field) for p in problems}
    assert ("service", "$[0]", "status") in found
    assert ("phone", "$[0].phones[0]", "number") in found
    assert ("location", "$[0].service_at_locations[0].location", "id") in found
    assert ("organization", "$[0].organization", "name") in found


def test_json_object_repeated_with_contradicting_values_is_reported():
    service = json.loads((EXAMPLES / "service_full.json").read_text())
    service["service_at_locations"][0]["phones"][0]["number"] = "0800 other"
    problems = _run_json(json.dumps(service))
    assert [(p.table, p.field) for p in problems] == [("phone", "number")]


def test_import_command_reports_problems_and_fails(tmp_path, capsys):
    (tmp_path / "bad.json").write_text('{"id": "1", "name": "x", "status": "open"}')
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("hsds_import", str(tmp_path / "bad.json"))
    err = capsys.readouterr().err
    assert "status" in err and "id" in err


def test_example_package_copy_has_all_files():
    assert "services.csv" in example_csv_files()
