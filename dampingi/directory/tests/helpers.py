import io
import shutil
import zipfile
from pathlib import Path

from dampingi.directory import hsds
from dampingi.directory.models import DirectoryImport
from dampingi.directory.tests.hsds_oracle import EXAMPLES


def wipe_directory() -> None:
    """Delete every directory row (children first), as on a fresh installation without reference data."""
    for model in reversed(list(hsds.TABLE_MODELS.values())):
        model.objects.all().delete()
    DirectoryImport.objects.all().delete()


def directory_state() -> dict:
    return hsds.export_tables()


def zip_of(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def example_csv_files() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in (EXAMPLES / "csv").iterdir()}


def corrected_example_csv(tmp_path: Path) -> Path:
    """A copy of the official example CSVs with the 4 upstream foreign-key problems fixed: the
    references point to the organization, taxonomy and service-at-location that are in the package."""
    target = tmp_path / "csv"
    shutil.copytree(EXAMPLES / "csv", target)
    org, taxonomy, sal = (
        "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
        "5c4d79d7-cc55-470e-9f1f-8cad074e4892",
        "e94c9f38-1e8f-4564-91d4-d53501ab1765",
    )
    replacements = {
        "locations.csv": [("985e4a42-bd9f-4edc-911d-0243a4640aca", org)],
        "contacts.csv": [("ae67a707-5893-4225-b0b1-320ab9cb596b", org), ("93eaf18d-1cd2-4ec7-bffb-3c9172ee5070", sal)],
        "taxonomy_terms.csv": [("07ff6aee-a219-438c-b694-d2fcb6c5373b", taxonomy)],
    }
    for name, pairs in replacements.items():
        path = target / name
        path.chmod(0o644)
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return target


def make_service(name, *, organization=None, terms=(), region=None, area=None, status="active", **fields):
    """A service with an optional location in `region` and a service area `area` (region codes)."""
    from dampingi.directory.models import Attribute, Location, Organization, Service, ServiceArea, ServiceAtLocation
    from dampingi.directory.taxonomy_data import ref_id

    organization = organization or Organization.objects.create(name=f"Org {name}", description="-")
    service = Service.objects.create(organization=organization, name=name, status=status, **fields)
    for code in terms:
        Attribute.objects.create(link_id=service.pk, link_entity="service", taxonomy_term_id=ref_id(code))
    if region:
        location = Location.objects.create(location_type="physical", name=name, region_id=region)
        ServiceAtLocation.objects.create(service=service, location=location)
    if area:
        ServiceArea.objects.create(service=service, extent=area, extent_type="kemendagri", region_id=area)
    return service
