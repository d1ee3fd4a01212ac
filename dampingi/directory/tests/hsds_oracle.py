"""Test oracle: the OFFICIAL HSDS 3.0 schemas in /work/shared/data/hsds-3.0 (not the app's copy).

JSON: jsonschema against schema/compiled/service.json (fully resolved) with format checking.
Tabular: each CSV row converted to the JSON shape of its table (types from datapackage.json) and
checked against schema/<table>.json, plus required/enum/unique/primary and foreign keys from the
datapackage's table schemas.
"""

import csv
import io
import json
import zipfile
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

HSDS = Path("/work/shared/data/hsds-3.0")
EXAMPLES = HSDS / "examples"


@cache
def compiled(name: str) -> dict:
    return json.loads((HSDS / "schema" / "compiled" / f"{name}.json").read_text())


@cache
def openapi() -> dict:
    return json.loads((HSDS / "schema" / "openapi.json").read_text())


def json_errors(instance, schema_name: str = "service") -> list[str]:
    validator = Draft202012Validator(compiled(schema_name), format_checker=FormatChecker())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


@cache
def datapackage() -> dict:
    return json.loads((HSDS / "datapackage.json").read_text())


def _typed(spec, text):
    if spec["type"] == "number":
        number = float(text)
        return int(number) if number.is_integer() else number
    return text


def tabular_errors(zip_bytes: bytes) -> list[str]:
    errors = []
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes))
    names = set(archive.namelist())
    assert "datapackage.json" in names
    ids: dict[str, set] = {}
    rows_by_table: dict[str, list[dict]] = {}
    for resource in datapackage()["resources"]:
        if resource["path"] not in names:
            errors.append(f"missing {resource['path']}")
            continue
        reader = csv.DictReader(io.StringIO(archive.read(resource["path"]).decode("utf-8")))
        fields = {f["name"]: f for f in resource["schema"]["fields"]}
        if reader.fieldnames != list(fields):
            errors.append(f"{resource['path']}: header {reader.fieldnames}")
        object_schema = json.loads((HSDS / "schema" / f"{resource['name']}.json").read_text())
        props = {k: v for k, v in object_schema["properties"].items() if v.get("type") != "array" and "$ref" not in v}
        row_schema = {"type": "object", "properties": props, "required": object_schema.get("required", [])}
        validator = Draft202012Validator(row_schema, format_checker=FormatChecker())
        rows = []
        for n, raw in enumerate(reader, start=2):
            row = {k: _typed(fields[k], v) for k, v in raw.items() if v != ""}
            for e in validator.iter_errors(row):
                errors.append(f"{resource['name']} row {n}: {e.message}")
            for name, spec in fields.items():
                c = spec.get("constraints", {})
                if c.get("required") and name not in row:
                    errors.append(f"{resource['name']} row {n}: {name} required")
                if c.get("enum") and name in row and row[name] not in c["enum"]:
                    errors.append(f"{resource['name']} row {n}: {name} enum")
            rows.append(row)
        for name, spec in fields.items():
            if spec.get("constraints", {}).get("unique"):
                values = [r[name] for r in rows if name in r]
                if len(values) != len(set(values)):
                    errors.append(f"{resource['name']}: {name} not unique")
        ids[resource["name"]] = {r["id"] for r in rows}
        rows_by_table[resource["name"]] = rows
    for resource in datapackage()["resources"]:
        for fk in resource["schema"].get("foreignKeys", []):
            target = ids.get(fk["reference"]["resource"], set())
            for r in rows_by_table.get(resource["name"], []):
                if fk["fields"] in r and r[fk["fields"]] not in target:
                    errors.append(f"{resource['name']}: {fk['fields']} {r[fk['fields']]} dangling")
    return errors
