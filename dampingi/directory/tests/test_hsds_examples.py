"""The official HSDS 3.0 examples: import, export, validate against the official schemas, re-import."""

import json

import pytest

from dampingi.audit.models import AuditEvent
from dampingi.directory import hsds
from dampingi.directory.models import Organization, Service
from dampingi.directory.services import directory_import
from dampingi.directory.tests import hsds_oracle
from dampingi.directory.tests.helpers import corrected_example_csv, directory_state, wipe_directory, zip_of
from dampingi.directory.tests.hsds_oracle import EXAMPLES

SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"


def _import_json(path, yogi=None):
    return directory_import(actor=yogi, tables=hsds.parse_json(path.read_bytes()), file_format="json")


def test_example_csv_package_reports_the_four_upstream_foreign_key_problems_and_imports_nothing():
    before = directory_state()
    result = directory_import(actor=None, tables=hsds.parse_tabular(EXAMPLES / "csv"), file_format="csv")
    assert not result.ok
    found = {(p.table, p.row, p.field) for p in result.problems}
    assert found == {
        ("taxonomy_term", 2, "taxonomy_id"),
        ("location", 2, "organization_id"),
        ("contact", 2, "organization_id"),
        ("contact", 2, "service_at_location_id"),
    }
    assert all("neither in the file nor in the directory" in p.message for p in result.problems)
    assert directory_state() == before
    assert not AuditEvent.objects.filter(action="directory.import").exists()


def test_corrected_example_csv_imports_and_reimport_changes_nothing(tmp_path):
    source = corrected_example_csv(tmp_path)
    result = directory_import(actor=None, tables=hsds.parse_tabular(source), file_format="csv")
    assert result.ok, result.problems
    assert result.created == 21  # one row in each of the 21 tables (metadata, meta_table_description included)
    service = Service.objects.get(pk=SERVICE_ID)
    assert service.name == "Community Counselling" and service.minimum_age == 12
    state = directory_state()
    again = directory_import(actor=None, tables=hsds.parse_tabular(source), file_format="csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 21)
    assert directory_state() == state


def test_corrected_example_csv_round_trips_through_the_export(tmp_path):
    directory_import(actor=None, tables=hsds.parse_tabular(corrected_example_csv(tmp_path)), file_format="csv")
    exported = hsds.export_tabular_zip()
    assert hsds_oracle.tabular_errors(exported) == []
    state = directory_state()
    wipe_directory()
    result = directory_import(actor=None, tables=hsds.parse_tabular(exported), file_format="csv")
    assert result.ok, result.problems
    assert directory_state() == state


@pytest.mark.parametrize(
    "name",
    [
        "service_full.json",
        "service_list.json",
        "organization_full.json",
        "organization_list.json",
        "location.json",
        "taxonomy.json",
        "taxonomy_list.json",
        "taxonomy_term.json",
        "taxonomy_term_list.json",
    ],
)
def test_official_json_example_imports(name):
    result = _import_json(EXAMPLES / name)
    assert result.ok, result.problems
    assert result.created >= 1


@pytest.mark.parametrize("name", ["service_at_location_full.json", "service_at_location_list.json"])
def test_service_at_location_example_without_its_service_is_reported(name):
    """The examples' service_at_location names no service_id; Dampingi needs it (tabular: required)."""
    result = _import_json(EXAMPLES / name)
    assert [(p.table, p.field) for p in result.problems] == [("service_at_location", "service_id")]
    assert not Organization.objects.exists()


def test_tabular_json_example_reports_the_same_upstream_problems():
    result = _import_json(EXAMPLES / "tabular.json")
    assert {(p.table, p.field) for p in result.problems} == {
        ("taxonomy_term", "taxonomy_id"),
        ("location", "organization_id"),
        ("contact", "organization_id"),
        ("contact", "service_at_location_id"),
    }


def test_service_example_exports_valid_json_and_reimports_to_the_same_data():
    assert _import_json(EXAMPLES / "service_full.json").ok
    exported = hsds.export_json()
    assert [s["id"] for s in exported] == [SERVICE_ID]
    assert hsds_oracle.json_errors(exported[0]) == []
    original = json.loads((EXAMPLES / "service_full.json").read_text())
    assert exported[0]["name"] == original["name"]
    assert exported[0]["organization"]["id"] == original["organization"]["id"]
    assert {p["id"] for p in exported[0]["phones"]} == {p["id"] for p in original["phones"]}
    # the same file again: nothing changes
    state = directory_state()
    again = _import_json(EXAMPLES / "service_full.json")
    assert again.ok and again.created == 0 and again.updated == 0
    assert directory_state() == state
    # into an empty directory from our own export: the same data
    wipe_directory()
    assert directory_import(actor=None, tables=hsds.parse_json(json.dumps(exported)), file_format="json").ok
    assert hsds.export_json() == exported


def test_service_example_imported_as_zip_of_our_json_export_is_also_valid_tabular():
    assert _import_json(EXAMPLES / "service_full.json").ok
    assert hsds_oracle.tabular_errors(hsds.export_tabular_zip()) == []


def test_zip_with_no_hsds_files_is_refused():
    result = directory_import(actor=None, tables=hsds.parse_tabular(zip_of({"readme.txt": "hi"})), file_format="csv")
    assert not result.ok
