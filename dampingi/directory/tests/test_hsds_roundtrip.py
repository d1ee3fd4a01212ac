"""A generated directory of 30 services round-trips through both HSDS forms and validates."""

import json

from django.core.management import call_command

from dampingi.directory import hsds
from dampingi.directory.models import Location, Service, ServiceArea
from dampingi.directory.services import directory_import
from dampingi.directory.tests import hsds_oracle
from dampingi.directory.tests.helpers import directory_state, wipe_directory


def test_generated_directory_exports_json_valid_against_the_official_schema(directory):
    exported = hsds.export_json()
    assert len(exported) == 30
    for service in exported:
        assert hsds_oracle.json_errors(service) == [], service["name"]


def test_generated_directory_exports_a_valid_tabular_package(directory):
    assert hsds_oracle.tabular_errors(hsds.export_tabular_zip()) == []


def test_json_round_trip_into_an_empty_directory_gives_the_same_data(directory):
    exported = hsds.export_json()
    regions = dict(Location.objects.values_list("id", "region_id"))
    areas = dict(ServiceArea.objects.values_list("id", "region_id"))
    wipe_directory()
    result = directory_import(actor=None, tables=hsds.parse_json(json.dumps(exported)), file_format="json")
    assert result.ok, result.problems[:5]
    assert hsds.export_json() == exported
    # Dampingi's region links come back from address.region and service_area.extent
    assert dict(Location.objects.values_list("id", "region_id")) == regions
    assert dict(ServiceArea.objects.values_list("id", "region_id")) == areas


def test_csv_round_trip_into_an_empty_directory_gives_the_same_data(directory):
    state = directory_state()
    package = hsds.export_tabular_zip()
    wipe_directory()
    result = directory_import(actor=None, tables=hsds.parse_tabular(package), file_format="csv")
    assert result.ok, result.problems[:5]
    assert directory_state() == state
    assert Service.objects.count() == 30


def test_reimport_of_the_own_export_changes_nothing(directory):
    versions = dict(Service.objects.values_list("id", "version"))
    state = directory_state()
    for tables in (hsds.parse_json(json.dumps(hsds.export_json())), hsds.parse_tabular(hsds.export_tabular_zip())):
        result = directory_import(actor=None, tables=tables, file_format="json")
        assert result.ok and result.created == 0 and result.updated == 0
    assert directory_state() == state
    assert dict(Service.objects.values_list("id", "version")) == versions


def test_import_updates_a_changed_service_and_keeps_dampingi_fields(directory):
    service = directory[0]
    Service.objects.filter(pk=service.pk).update(capacity=Service.Capacity.WAITLIST)
    exported = hsds.export_json([service.pk])
    exported[0]["name"] = "Renamed service"
    result = directory_import(actor=None, tables=hsds.parse_json(json.dumps(exported)), file_format="json")
    assert result.ok and result.updated == 1
    service.refresh_from_db()
    assert service.name == "Renamed service"
    assert service.capacity == Service.Capacity.WAITLIST  # not an HSDS field: left alone
    assert service.version == 2


def test_export_and_import_commands(directory, tmp_path, capsys):
    state = directory_state()
    call_command("hsds_export", "--format", "json", str(tmp_path / "d.json"))
    call_command("hsds_export", "--format", "csv", str(tmp_path / "d.zip"))
    assert len(json.loads((tmp_path / "d.json").read_text())) == 30
    wipe_directory()
    call_command("hsds_import", str(tmp_path / "d.zip"))
    assert "30" not in capsys.readouterr().err
    assert directory_state() == state
    call_command("hsds_import", str(tmp_path / "d.json"))
    assert "0 created, 0 updated" in capsys.readouterr().out


def test_one_service_export_equals_its_part_of_the_full_export(directory, tmp_path):
    from dampingi.directory.tests.helpers import corrected_example_csv

    directory_import(actor=None, tables=hsds.parse_tabular(corrected_example_csv(tmp_path)), file_format="csv")
    everything = {s["id"]: s for s in hsds.export_json()}
    assert len(everything) == 31
    for service_id, exported in everything.items():
        assert hsds.export_json([service_id]) == [exported]
    assert hsds.export_json(["not-a-uuid"]) == []


def test_demo_directory_is_plausible(directory):
    import datetime

    from django.utils import timezone

    from dampingi.directory.models import Attribute

    assert 20 <= len(directory) <= 40
    assert {s.capacity for s in directory} == set(Service.Capacity.values)
    stale = timezone.localdate() - datetime.timedelta(days=180)
    assert any(s.last_verified_on < stale for s in directory) and any(s.last_verified_on >= stale for s in directory)
    assert Attribute.objects.filter(link_id__in=[s.pk for s in directory]).count() >= len(directory)
    assert all(s.service_at_locations.get().location.region_id for s in directory)
