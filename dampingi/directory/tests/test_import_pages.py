"""The HSDS import and export pages (administrators)."""

import io
import json
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dampingi.audit.models import AuditEvent
from dampingi.directory import hsds
from dampingi.directory.models import DirectoryImport, Service
from dampingi.directory.tests import hsds_oracle
from dampingi.directory.tests.helpers import wipe_directory
from dampingi.directory.tests.hsds_oracle import EXAMPLES

URL = reverse("directory:hsds_import")


def test_administrator_imports_a_json_file_and_sees_it_listed(client, yogi):
    client.force_login(yogi)
    upload = SimpleUploadedFile("service_full.json", (EXAMPLES / "service_full.json").read_bytes())
    response = client.post(URL, {"file": upload})
    assert response.status_code == 302
    page = client.get(URL).content.decode()
    assert "Imported: 20 created, 0 updated, 0 unchanged." in page
    assert "service_full.json" in page
    run = DirectoryImport.objects.get()
    assert run.imported_by == yogi and run.created == 20
    assert AuditEvent.objects.filter(action="directory.import", target_id=str(run.pk)).exists()


def test_bad_upload_shows_every_problem_in_a_table_and_imports_nothing(client, yogi):
    client.force_login(yogi)
    service = json.loads((EXAMPLES / "service_full.json").read_text())
    service["status"] = "open"
    service["phones"][0].pop("number")
    upload = SimpleUploadedFile("bad.json", json.dumps(service).encode())
    response = client.post(URL, {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert "nothing was changed" in page and "2 problems" in page
    assert "$.phones[0]" in page and "number" in page and "status" in page
    assert not Service.objects.exists() and not DirectoryImport.objects.exists()


def test_administrator_downloads_both_exports_and_they_validate(client, yogi, directory):
    client.force_login(yogi)
    response = client.get(reverse("directory:hsds_export", args=["json"]))
    assert response["Content-Disposition"].startswith("attachment")
    services = json.loads(response.content)
    assert len(services) == 30 and hsds_oracle.json_errors(services[0]) == []
    response = client.get(reverse("directory:hsds_export", args=["zip"]))
    package = response.content
    assert "services.csv" in zipfile.ZipFile(io.BytesIO(package)).namelist()
    assert hsds_oracle.tabular_errors(package) == []
    assert client.get(reverse("directory:hsds_export", args=["xml"])).status_code == 404
    # and the ZIP uploads back into an empty directory
    wipe_directory()
    response = client.post(URL, {"file": SimpleUploadedFile("d.zip", package)})
    assert response.status_code == 302 and Service.objects.count() == 30
    assert hsds.export_json() == services


def test_supervisor_cannot_import(client, ratna):
    client.force_login(ratna)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("directory:hsds_export", args=["json"])).status_code == 403
