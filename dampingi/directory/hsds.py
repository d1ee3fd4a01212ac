"""Open Referral HSDS 3.0 import and export: JSON (nested services) and the tabular data package.

The models keep HSDS table and column names (a model field's database column is the HSDS column),
so both directions are a mapping driven by the table schemas of the bundled datapackage.json
(hsds_schema/, CC BY-SA 4.0, see hsds_schema/NOTICE).

Import = parse → validate EVERYTHING → upsert by UUID in one transaction. Validation collects every
error (table or JSON path, row, field, message); if there is any, nothing is written. Upsert only
writes rows whose values differ, so re-importing the same data changes nothing. Rows not in the
file are left alone (an import never deletes).

Dampingi's own fields are not HSDS columns and are not exported (capacity, last_verified_on,
indonesian_name, version). The Kemendagri region of a location travels in its addresses' `region`
column (the code, e.g. "32.04.05") and that of a service area as extent=<code>,
extent_type="kemendagri"; the importer sets the region links from these.

Upstream example data: the official example CSVs (examples/csv/) reference organizations,
taxonomies and a service-at-location that are not in the package (4 foreign-key problems, also
reported by `frictionless validate`). The importer does not guess: a reference must resolve to a
row of the same file or a row already in the database, otherwise it is reported and nothing is
imported.

Pure functions: `parse_json`, `parse_tabular`, `validate_tables`, `export_tables`, `export_json`,
`export_tabular_zip`, `service_to_json`. Writes: `import_tables` (called by
dampingi.directory.services.directory_import).
"""

import csv
import datetime
import decimal
import io
import json
import re
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from django.db import DataError, IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dampingi.directory import models as m

SCHEMA_DIR = Path(__file__).parent / "hsds_schema"
KEMENDAGRI = "kemendagri"
SCHEMA_BASE = "https://schemas.dampingi.invalid/hsds/"

# HSDS resource name -> model. Order = import order (referenced tables first).
TABLE_MODELS: dict[str, type[models.Model]] = {
    "taxonomy": m.Taxonomy,
    "taxonomy_term": m.TaxonomyTerm,
    "organization": m.Organization,
    "organization_identifier": m.OrganizationIdentifier,
    "program": m.Program,
    "service": m.Service,
    "location": m.Location,
    "service_at_location": m.ServiceAtLocation,
    "address": m.Address,
    "contact": m.Contact,
    "phone": m.Phone,
    "schedule": m.Schedule,
    "service_area": m.ServiceArea,
    "language": m.Language,
    "accessibility": m.Accessibility,
    "funding": m.Funding,
    "cost_option": m.CostOption,
    "required_document": m.RequiredDocument,
    "attribute": m.Attribute,
    "metadata": m.Metadata,
    "meta_table_description": m.MetaTableDescription,
}

# References the datapackage does not declare but the database holds.
# (organization.parent_organization_id is deliberately not checked: HSDS declares no foreign key
# for it and the official examples point to a parent outside the data set.)
EXTRA_FOREIGN_KEYS: dict[str, list[tuple[str, str]]] = {}

# JSON nesting: parent table -> [(key, child table, child column holding the parent id)]
NEST_MANY = {
    "service": [
        ("phones", "phone", "service_id"),
        ("schedules", "schedule", "service_id"),
        ("service_areas", "service_area", "service_id"),
        ("service_at_locations", "service_at_location", "service_id"),
        ("languages", "language", "service_id"),
        ("funding", "funding", "service_id"),
        ("cost_options", "cost_option", "service_id"),
        ("required_documents", "required_document", "service_id"),
        ("contacts", "contact", "service_id"),
    ],
    "organization": [
        ("funding", "funding", "organization_id"),
        ("contacts", "contact", "organization_id"),
        ("phones", "phone", "organization_id"),
        ("locations", "location", "organization_id"),
        ("programs", "program", "organization_id"),
        ("organization_identifiers", "organization_identifier", "organization_id"),
        ("services", "service", "organization_id"),
    ],
    "service_at_location": [
        ("contacts", "contact", "service_at_location_id"),
        ("phones", "phone", "service_at_location_id"),
        ("schedules", "schedule", "service_at_location_id"),
    ],
    "location": [
        ("languages", "language", "location_id"),
        ("addresses", "address", "location_id"),
        ("contacts", "contact", "location_id"),
        ("accessibility", "accessibility", "location_id"),
        ("phones", "phone", "location_id"),
        ("schedules", "schedule", "location_id"),
    ],
    "contact": [("phones", "phone", "contact_id")],
    "phone": [("languages", "language", "phone_id")],
}
# JSON single objects: parent table -> [(key, child table, parent column holding the child id)]
NEST_ONE = {
    "service": [("organization", "organization", "organization_id"), ("program", "program", "program_id")],
    "service_at_location": [("location", "location", "location_id")],
    "attribute": [("taxonomy_term", "taxonomy_term", "taxonomy_term_id")],
    "taxonomy_term": [("taxonomy_detail", "taxonomy", "taxonomy_id")],
}
NO_ATTRIBUTES = {"attribute", "metadata", "taxonomy", "taxonomy_term", "meta_table_description"}
# Keys left out when exporting a table nested inside another (to avoid cycles).
EXPORT_SKIP = {"organization": {"services"}}

JSON_KINDS = ("service", "organization", "service_at_location", "location", "taxonomy", "taxonomy_term")


@dataclass(frozen=True)
class ImportProblem:
    """One error of an import file: where (table, row or JSON path, field) and what."""

    table: str
    row: int | None
    field: str
    message: str
    path: str = ""

    @property
    def where(self) -> str:
        if self.path:
            return self.path
        return "" if self.row is None else str(self.row)


@dataclass
class Tables:
    """Parsed rows per HSDS table: {table: {id(str): row}}, with where each row came from."""

    rows: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: defaultdict(dict))
    origin: dict[tuple[str, str], tuple[int | None, str]] = field(default_factory=dict)  # (table,id)->(row,path)
    problems: list[ImportProblem] = field(default_factory=list)
    skip: set[tuple[str, str, str]] = field(default_factory=set)  # (table, id, field) already reported

    def count(self) -> int:
        return sum(len(v) for v in self.rows.values())


@dataclass
class ImportResult:
    problems: list[ImportProblem]
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


# ---------------------------------------------------------------------------------------------
# Schemas


@cache
def datapackage() -> dict:
    return json.loads((SCHEMA_DIR / "datapackage.json").read_text(encoding="utf-8"))


@cache
def table_schemas() -> dict[str, dict]:
    return {r["name"]: r for r in datapackage()["resources"]}


def table_fields(table: str) -> list[dict]:
    return table_schemas()[table]["schema"]["fields"]


def _model_field(table: str, column: str) -> models.Field:
    for f in TABLE_MODELS[table]._meta.concrete_fields:
        if f.column == column:
            return f
    raise KeyError((table, column))


@cache
def _registry():
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        if path.name == "datapackage.json":
            continue
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((f"{SCHEMA_BASE}{path.name}", Resource(contents=contents, specification=DRAFT202012)))
    return Registry().with_resources(resources)


@cache
def object_validator(kind: str):
    """A jsonschema validator for one HSDS object (schema/<kind>.json, refs resolved by name)."""
    from jsonschema import Draft202012Validator

    root = {"$ref": f"{SCHEMA_BASE}{kind}.json"}
    return Draft202012Validator(root, registry=_registry())


# ---------------------------------------------------------------------------------------------
# Value conversion (shared by CSV and JSON)

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class _Bad(Exception):
    pass


def _convert(table: str, spec: dict, value: Any) -> Any:
    """The Python value for one HSDS cell, or _Bad with a translated message."""
    kind, fmt = spec["type"], spec.get("format")
    enum = spec.get("constraints", {}).get("enum")
    if kind == "string":
        if not fmt and not enum and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # the tabular JSON example writes some identifiers as numbers
        if not isinstance(value, str):
            raise _Bad(_("Must be text."))
        if fmt == "uuid":
            try:
                return uuid.UUID(value)
            except ValueError:
                raise _Bad(_("“%(value)s” is not a valid UUID.") % {"value": value}) from None
        if fmt == "email" and not EMAIL_RE.match(value):
            raise _Bad(_("“%(value)s” is not a valid e-mail address.") % {"value": value})
        if fmt == "uri":
            parsed = urlparse(value)
            if not parsed.scheme or not (parsed.netloc or parsed.path):
                raise _Bad(_("“%(value)s” is not a valid URI.") % {"value": value})
        if enum and value not in enum:
            raise _Bad(
                _("“%(value)s” is not one of the allowed values: %(allowed)s.")
                % {"value": value, "allowed": ", ".join(enum)}
            )
        return value
    if kind == "number":
        if isinstance(value, bool):
            raise _Bad(_("Must be a number."))
        try:
            number = decimal.Decimal(str(value).strip())
        except decimal.InvalidOperation:
            raise _Bad(_("“%(value)s” is not a number.") % {"value": value}) from None
        if not number.is_finite():
            raise _Bad(_("“%(value)s” is not a number.") % {"value": value})
        model_field = _model_field(table, spec["name"])
        if isinstance(model_field, models.IntegerField):
            if number != number.to_integral_value():
                raise _Bad(_("Must be a whole number."))
            if isinstance(model_field, (models.PositiveIntegerField, models.PositiveSmallIntegerField)) and number < 0:
                raise _Bad(_("Must not be negative."))
            if abs(number) > 2_000_000_000:
                raise _Bad(_("The number is too large."))
            return int(number)
        if isinstance(model_field, models.DecimalField):
            if abs(number) >= 10**12:
                raise _Bad(_("The number is too large."))
            return number.quantize(decimal.Decimal("0.01"))
        return float(number)
    if not isinstance(value, str):
        raise _Bad(_("Must be text."))
    try:
        if kind == "date":
            return datetime.date.fromisoformat(value)
        if kind == "time":
            return datetime.time.fromisoformat(value)
        if kind == "datetime":
            parsed = datetime.datetime.fromisoformat(value)
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)
    except ValueError:
        labels = {"date": "YYYY-MM-DD", "time": "HH:MM:SS", "datetime": "YYYY-MM-DDTHH:MM:SSZ"}
        raise _Bad(
            _("“%(value)s” is not a valid %(format)s value.") % {"value": value, "format": labels[kind]}
        ) from None
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


# ---------------------------------------------------------------------------------------------
# Parsing: CSV data package


def _read_package_files(source) -> tuple[dict[str, bytes], list[ImportProblem]]:
    """{file name: bytes} from a ZIP (path, bytes or file object) or a directory path."""
    if isinstance(source, (str, Path)) and Path(source).is_dir():
        return {p.name: p.read_bytes() for p in Path(source).iterdir() if p.is_file()}, []
    try:
        if isinstance(source, bytes):
            source = io.BytesIO(source)
        with zipfile.ZipFile(source) as archive:
            files = {}
            for info in archive.infolist():
                if info.is_dir():
                    continue
                if info.file_size > 50 * 1024 * 1024:
                    return {}, [
                        ImportProblem("", None, "", _("The file %(name)s is too large.") % {"name": info.filename})
                    ]
                files[Path(info.filename).name] = archive.read(info)
            return files, []
    except (zipfile.BadZipFile, OSError):
        return {}, [ImportProblem("", None, "", _("The file is not a ZIP data package."))]


def parse_tabular(source) -> Tables:
    """Rows of an HSDS tabular data package (ZIP or directory). Problems of the file's form
    (encoding, columns, row lengths, duplicate ids) go to `tables.problems`; values are checked
    later by validate_tables."""
    tables = Tables()
    files, problems = _read_package_files(source)
    tables.problems.extend(problems)
    if problems:
        return tables
    by_path = {schema["path"]: name for name, schema in table_schemas().items()}
    if not any(name in by_path for name in files):
        tables.problems.append(ImportProblem("", None, "", _("The package holds none of the HSDS CSV files.")))
        return tables
    for file_name, table in by_path.items():
        if file_name not in files or table not in TABLE_MODELS:
            continue
        try:
            text = files[file_name].decode("utf-8-sig")
        except UnicodeDecodeError:
            tables.problems.append(ImportProblem(table, None, "", _("The file is not UTF-8 text.")))
            continue
        known = {f["name"] for f in table_fields(table)}
        try:
            reader = csv.reader(io.StringIO(text, newline=""), strict=True)
            header = next(reader, None)
            if header is None:
                continue
            header = [h.strip() for h in header]
            missing = [f["name"] for f in table_fields(table) if f.get("constraints", {}).get("required")]
            for name in missing:
                if name not in header:
                    tables.problems.append(ImportProblem(table, 1, name, _("The required column is missing.")))
            for values in reader:
                row_no = reader.line_num
                if not any(v.strip() for v in values):
                    continue
                if len(values) != len(header):
                    tables.problems.append(
                        ImportProblem(
                            table,
                            row_no,
                            "",
                            _("The row has %(found)s values but the header has %(expected)s columns.")
                            % {"found": len(values), "expected": len(header)},
                        )
                    )
                    continue
                row = {h: v for h, v in zip(header, values, strict=True) if h in known and v != ""}
                _add_row(tables, table, row, row_no, "")
        except csv.Error as exc:
            tables.problems.append(
                ImportProblem(table, reader.line_num, "", _("Malformed CSV: %(error)s") % {"error": exc})
            )
    return tables


def _add_row(tables: Tables, table: str, row: dict, row_no: int | None, path: str) -> dict | None:
    key = str(row.get("id", "")).strip()
    if not key:
        tables.problems.append(ImportProblem(table, row_no, "id", _("This field is required."), path))
        return None
    existing = tables.rows[table].get(key)
    if existing is None:
        tables.rows[table][key] = row
        tables.origin[(table, key)] = (row_no, path)
        return row
    if not path:  # CSV: an id may occur once
        tables.problems.append(
            ImportProblem(table, row_no, "id", _("The id %(id)s occurs more than once.") % {"id": key}, path)
        )
        return existing
    # JSON: the same object nested in several places; merge, and report contradictions.
    for name, value in row.items():
        if _blank(existing.get(name)):
            existing[name] = value
        elif not _blank(value) and existing[name] != value:
            first = tables.origin[(table, key)][1]
            tables.problems.append(
                ImportProblem(
                    table,
                    None,
                    name,
                    _("The object %(id)s occurs at %(first)s with a different value.") % {"id": key, "first": first},
                    path,
                )
            )
    return existing


# ---------------------------------------------------------------------------------------------
# Parsing: JSON


def guess_kind(obj: Any) -> str | None:
    if not isinstance(obj, dict):
        return None
    if "status" in obj:
        return "service"
    if "location_type" in obj:
        return "location"
    if {"service_id", "location_id", "location"} & obj.keys() and "name" not in obj:
        return "service_at_location"
    if {"code", "taxonomy_id", "taxonomy_detail", "parent_id", "term_uri"} & obj.keys():
        return "taxonomy_term"
    if {"services", "locations", "programs", "organization_identifiers", "website", "tax_id"} & obj.keys():
        return "organization"
    if {"version", "uri"} & obj.keys() and "description" in obj and "openapi_url" not in obj:
        return "taxonomy"
    return None


def parse_json(data: bytes | str, *, kind: str | None = None) -> Tables:
    """Rows from HSDS JSON: a service (or organization, service_at_location, location, taxonomy,
    taxonomy_term), a list of them, an API page ({"contents": [...]}) or the tabular JSON form
    ({"services.csv": [...], ...}). Every object is first checked against its official schema."""
    tables = Tables()
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        document = json.loads(text)
    except UnicodeDecodeError:
        tables.problems.append(ImportProblem("", None, "", _("The file is not UTF-8 text.")))
        return tables
    except json.JSONDecodeError as exc:
        tables.problems.append(
            ImportProblem(
                "",
                exc.lineno,
                "",
                _("Malformed JSON at line %(line)s, column %(column)s: %(error)s")
                % {"line": exc.lineno, "column": exc.colno, "error": exc.msg},
            )
        )
        return tables
    if isinstance(document, dict) and any(str(k).endswith(".csv") for k in document):
        _parse_tabular_json(tables, document)
        return tables
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        items, prefix = document["contents"], "$.contents"
    elif isinstance(document, list):
        items, prefix = document, "$"
    else:
        items, prefix = [document], None
    for index, obj in enumerate(items):
        path = f"{prefix}[{index}]" if prefix else "$"
        obj_kind = kind or guess_kind(obj)
        if obj_kind not in JSON_KINDS:
            tables.problems.append(ImportProblem("", None, "", _("Not an HSDS object this importer reads."), path))
            continue
        for error in sorted(object_validator(obj_kind).iter_errors(obj), key=lambda e: list(e.absolute_path)):
            where = path + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
            fld = ""
            if error.validator == "required":
                match = re.search(r"'([^']+)' is a required property", error.message)
                fld = match.group(1) if match else ""
            elif error.absolute_path and isinstance(error.absolute_path[-1], str):
                fld = error.absolute_path[-1]
                where = where.rsplit(".", 1)[0]
            table = _table_of_path(obj_kind, [p for p in error.absolute_path if isinstance(p, str)], fld)
            tables.problems.append(ImportProblem(table, None, fld, error.message, where))
            tables.skip.add((where, fld))
        if isinstance(obj, dict):
            _flatten(tables, obj_kind, obj, path, None)
    return tables


def _table_of_path(kind: str, keys: list[str], fld: str) -> str:
    """The HSDS table of the object a JSON Schema error is about."""
    if fld and keys and keys[-1] == fld:
        keys = keys[:-1]
    table = kind
    for key in keys:
        many = {k: t for k, t, _c in NEST_MANY.get(table, [])}
        one = {k: t for k, t, _c in NEST_ONE.get(table, [])}
        table = many.get(key) or one.get(key) or {"attributes": "attribute", "metadata": "metadata"}.get(key, table)
    return table


def _parse_tabular_json(tables: Tables, document: dict) -> None:
    by_path = {schema["path"]: name for name, schema in table_schemas().items()}
    for file_name, rows in document.items():
        table = by_path.get(file_name)
        if table is None or table not in TABLE_MODELS or not isinstance(rows, list):
            continue
        known = {f["name"] for f in table_fields(table)}
        for index, row in enumerate(rows):
            if isinstance(row, dict):
                _add_row(
                    tables, table, {k: v for k, v in row.items() if k in known}, None, f"$['{file_name}'][{index}]"
                )


def _flatten(tables: Tables, table: str, obj: dict, path: str, parent: tuple[str, str, str] | None) -> dict | None:
    """Record obj (and everything nested in it) as rows; parent = (parent table, parent id, column)."""
    known = {f["name"] for f in table_fields(table)}
    row = {k: v for k, v in obj.items() if k in known and not isinstance(v, (dict, list))}
    if parent is not None:
        parent_table, parent_id, column = parent
        if column in known and _blank(row.get(column)):
            row[column] = parent_id
    merged = _add_row(tables, table, row, None, path)
    if merged is None:
        return None
    own_id = str(merged["id"])
    for key, child_table, column in NEST_MANY.get(table, []):
        for index, child in enumerate(obj.get(key) or []):
            if isinstance(child, dict):
                _flatten(tables, child_table, child, f"{path}.{key}[{index}]", (table, own_id, column))
    for key, child_table, column in NEST_ONE.get(table, []):
        child = obj.get(key)
        if isinstance(child, dict):
            inherit = None
            if child_table == "program" and not _blank(merged.get("organization_id")):
                inherit = ("service", merged["organization_id"], "organization_id")  # a program belongs to the org
            child_row = _flatten(tables, child_table, child, f"{path}.{key}", inherit)
            if child_row is not None and _blank(merged.get(column)):
                merged[column] = child_row["id"]
    for index, attribute in enumerate(obj.get("attributes") or []):
        if isinstance(attribute, dict):
            attribute = dict(attribute)
            attribute.setdefault("link_id", own_id)
            attribute.setdefault("link_entity", table)
            _flatten(tables, "attribute", attribute, f"{path}.attributes[{index}]", None)
    for index, meta in enumerate(obj.get("metadata") or []):
        if isinstance(meta, dict):
            meta = dict(meta)
            meta.setdefault("resource_id", own_id)
            meta.setdefault("resource_type", table)
            _flatten(tables, "metadata", meta, f"{path}.metadata[{index}]", None)
    return merged


# ---------------------------------------------------------------------------------------------
# Validation


def _foreign_keys(table: str) -> list[tuple[str, str]]:
    keys = [
        (fk["fields"], fk["reference"]["resource"]) for fk in table_schemas()[table]["schema"].get("foreignKeys", [])
    ]
    return keys + EXTRA_FOREIGN_KEYS.get(table, [])


def validate_tables(tables: Tables) -> list[ImportProblem]:
    """Check every row against the table schemas (required, type, format, enum, unique) and every
    reference (to a row of the file or one already in the database). Converts values in place.
    Returns all problems, including those found while parsing."""
    problems = list(tables.problems)
    converted: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for table in TABLE_MODELS:
        for key, row in tables.rows.get(table, {}).items():
            row_no, path = tables.origin[(table, key)]
            out: dict[str, Any] = {}
            for spec in table_fields(table):
                name = spec["name"]
                if (path, name) in tables.skip:
                    continue
                value = row.get(name)
                if _blank(value):
                    if spec.get("constraints", {}).get("required"):
                        problems.append(ImportProblem(table, row_no, name, _("This field is required."), path))
                    continue
                try:
                    out[name] = _convert(table, spec, value.strip() if isinstance(value, str) else value)
                except _Bad as exc:
                    problems.append(ImportProblem(table, row_no, name, str(exc), path))
                    continue
                model_field = _model_field(table, name)
                max_length = getattr(model_field, "max_length", None)
                if max_length and isinstance(out[name], str) and len(out[name]) > max_length:
                    problems.append(
                        ImportProblem(table, row_no, name, _("At most %(max)s characters.") % {"max": max_length}, path)
                    )
            converted[table][key] = out
    # unique columns (besides id, which parsing checked)
    for table, rows in converted.items():
        for spec in table_fields(table):
            name = spec["name"]
            if name == "id" or not spec.get("constraints", {}).get("unique"):
                continue
            seen: dict[Any, str] = {}
            for key, row in rows.items():
                value = row.get(name)
                if value is None:
                    continue
                if value in seen:
                    row_no, path = tables.origin[(table, key)]
                    problems.append(
                        ImportProblem(
                            table,
                            row_no,
                            name,
                            _("The value “%(value)s” occurs more than once.") % {"value": value},
                            path,
                        )
                    )
                seen[value] = key
    # taxonomy term codes are unique in the database too
    codes = {row["code"]: key for key, row in converted.get("taxonomy_term", {}).items() if row.get("code")}
    if codes:
        for term_id, code in m.TaxonomyTerm.objects.filter(code__in=list(codes)).values_list("id", "code"):
            file_key = codes[code]
            if _is_uuid(file_key) and uuid.UUID(file_key) == term_id:
                continue
            row_no, path = tables.origin[("taxonomy_term", file_key)]
            problems.append(
                ImportProblem(
                    "taxonomy_term",
                    row_no,
                    "code",
                    _("The code “%(code)s” already belongs to another taxonomy term.") % {"code": code},
                    path,
                )
            )
    # references
    ids_in_file = {table: {row["id"] for row in rows.values() if "id" in row} for table, rows in converted.items()}
    wanted: dict[str, set] = defaultdict(set)
    for table, rows in converted.items():
        for column, target in _foreign_keys(table):
            for row in rows.values():
                if row.get(column) is not None and row[column] not in ids_in_file.get(target, set()):
                    wanted[target].add(row[column])
    in_db = {
        target: set(TABLE_MODELS[target].objects.filter(pk__in=list(ids)).values_list("pk", flat=True))
        for target, ids in wanted.items()
    }
    for table, rows in converted.items():
        for column, target in _foreign_keys(table):
            for key, row in rows.items():
                value = row.get(column)
                if value is None or value in ids_in_file.get(target, set()) or value in in_db.get(target, set()):
                    continue
                row_no, path = tables.origin[(table, key)]
                problems.append(
                    ImportProblem(
                        table,
                        row_no,
                        column,
                        _("No %(table)s with id %(id)s, neither in the file nor in the directory.")
                        % {"table": target, "id": value},
                        path,
                    )
                )
    tables.converted = converted  # type: ignore[attr-defined]
    return problems


def _as_uuid_or_none(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Import (the write; call through services.directory_import)


def import_tables(tables: Tables) -> ImportResult:
    """Validate, then upsert everything by id in one transaction; nothing is written on any error."""
    problems = validate_tables(tables)
    if problems:
        return ImportResult(problems=problems)
    if tables.count() == 0:
        return ImportResult(problems=[ImportProblem("", None, "", _("The file holds no HSDS data."))])
    result = ImportResult(problems=[])
    converted = tables.converted  # type: ignore[attr-defined]

    try:
        with transaction.atomic():
            _upsert(converted, result)
    except (IntegrityError, DataError) as exc:  # a constraint the checks above did not foresee
        return ImportResult(
            problems=[ImportProblem("", None, "", _("The directory refused the data: %(error)s") % {"error": exc})]
        )
    return result


def _upsert(converted: dict, result: ImportResult) -> None:
    from dampingi.regions.models import Region

    for table, model in TABLE_MODELS.items():
        rows = converted.get(table, {})
        if not rows:
            continue
        columns = {spec["name"]: _model_field(table, spec["name"]) for spec in table_fields(table)}
        existing = model.objects.in_bulk([row["id"] for row in rows.values()])
        versioned = any(f.name == "version" for f in model._meta.concrete_fields)
        for row in rows.values():
            values = {}
            for name, model_field in columns.items():
                if name == "id":
                    continue
                value = row.get(name)
                if value is None and not model_field.null:
                    value = ""
                values[model_field.attname] = value
            current = existing.get(row["id"])
            if current is None:
                model.objects.create(id=row["id"], **values)
                result.created += 1
                continue
            changed = {k: v for k, v in values.items() if getattr(current, k) != v}
            if not changed:
                result.unchanged += 1
                continue
            if versioned:
                changed["version"] = F("version") + 1
                changed["updated_at"] = timezone.now()
            model.objects.filter(pk=current.pk).update(**changed)
            result.updated += 1
    # Dampingi's region links, carried in HSDS as address.region and service_area.extent.
    codes = {row.get("region") for row in converted.get("address", {}).values()}
    codes |= {row.get("extent") for row in converted.get("service_area", {}).values()}
    known = set(Region.objects.filter(code__in=[c for c in codes if c]).values_list("code", flat=True))
    for row in converted.get("address", {}).values():
        if row.get("region") in known and row.get("location_id"):
            m.Location.objects.filter(pk=row["location_id"]).exclude(region_id=row["region"]).update(
                region_id=row["region"]
            )
    for row in converted.get("service_area", {}).values():
        region = row.get("extent") if row.get("extent_type") == KEMENDAGRI and row.get("extent") in known else None
        m.ServiceArea.objects.filter(pk=row["id"]).exclude(region_id=region).update(region_id=region)


# ---------------------------------------------------------------------------------------------
# Export


def _cell(value: Any) -> Any:
    """A model value as a JSON value."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _rows(table: str, condition: Q | None = None) -> list[dict[str, Any]]:
    """Rows of one table as {column: JSON value}, empty values left out (one query)."""
    if condition is not None and not condition:
        return []
    columns = [(spec["name"], _model_field(table, spec["name"]).attname) for spec in table_fields(table)]
    qs = TABLE_MODELS[table].objects.order_by("pk")
    if condition is not None:
        qs = qs.filter(condition)
    rows = []
    for values in qs.values(*[attname for _name, attname in columns]):
        rows.append({name: _cell(values[attname]) for name, attname in columns if values[attname] not in (None, "")})
    return rows


def export_tables() -> dict[str, list[dict[str, Any]]]:
    """Every row of every HSDS table (one query per table)."""
    return {table: _rows(table) for table in TABLE_MODELS}


def _related_tables(service_ids) -> dict[str, list[dict[str, Any]]]:
    """Only the rows the nested JSON of these services shows (a fixed number of queries)."""

    def ids(rows, column="id"):
        return {row[column] for row in rows if column in row}

    def any_of(**lookups) -> Q:
        q = Q()
        for lookup, values in lookups.items():
            if values:
                q |= Q(**{f"{lookup}__in": list(values)})
        return q

    out: dict[str, list[dict[str, Any]]] = {}
    services = out["service"] = _rows("service", Q(pk__in=list(service_ids)))
    sids, oids = ids(services), ids(services, "organization_id")
    out["organization"] = _rows("organization", any_of(pk=oids))
    out["program"] = _rows("program", any_of(pk=ids(services, "program_id"), organization_id=oids))
    sals = out["service_at_location"] = _rows("service_at_location", any_of(service_id=sids))
    salids = ids(sals)
    out["location"] = _rows("location", any_of(pk=ids(sals, "location_id"), organization_id=oids))
    lids = ids(out["location"])
    out["contact"] = _rows(
        "contact", any_of(service_id=sids, organization_id=oids, service_at_location_id=salids, location_id=lids)
    )
    out["phone"] = _rows(
        "phone",
        any_of(
            service_id=sids,
            organization_id=oids,
            service_at_location_id=salids,
            location_id=lids,
            contact_id=ids(out["contact"]),
        ),
    )
    out["schedule"] = _rows("schedule", any_of(service_id=sids, service_at_location_id=salids, location_id=lids))
    out["language"] = _rows("language", any_of(service_id=sids, location_id=lids, phone_id=ids(out["phone"])))
    out["address"] = _rows("address", any_of(location_id=lids))
    out["accessibility"] = _rows("accessibility", any_of(location_id=lids))
    out["funding"] = _rows("funding", any_of(service_id=sids, organization_id=oids))
    out["organization_identifier"] = _rows("organization_identifier", any_of(organization_id=oids))
    for table in ("cost_option", "required_document", "service_area"):
        out[table] = _rows(table, any_of(service_id=sids))
    every_id = {row["id"] for rows in out.values() for row in rows}
    out["attribute"] = _rows("attribute", any_of(link_id=every_id))
    out["taxonomy_term"] = _rows("taxonomy_term", any_of(pk=ids(out["attribute"], "taxonomy_term_id")))
    out["taxonomy"] = _rows("taxonomy", any_of(pk=ids(out["taxonomy_term"], "taxonomy_id")))
    every_id |= {row["id"] for table in ("attribute", "taxonomy_term", "taxonomy") for row in out[table]}
    out["metadata"] = _rows("metadata", any_of(resource_id=every_id))
    return out


def export_tabular_zip() -> bytes:
    """The tabular data package: datapackage.json (the official one) and one CSV per table."""
    tables = export_tables()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", (SCHEMA_DIR / "datapackage.json").read_text(encoding="utf-8"))
        for table in TABLE_MODELS:
            schema = table_schemas()[table]
            names = [spec["name"] for spec in schema["schema"]["fields"]]
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(names)
            for row in tables[table]:
                writer.writerow(["" if row.get(n) is None else str(row[n]) for n in names])
            archive.writestr(schema["path"], text.getvalue())
    return buffer.getvalue()


class _Index:
    """All exported rows in memory, indexed for nesting."""

    def __init__(self, tables: dict[str, list[dict[str, Any]]]):
        self.by_id = {table: {row["id"]: row for row in rows} for table, rows in tables.items()}
        self.children: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        for table, rows in tables.items():
            for row in rows:
                for name, value in row.items():
                    if name.endswith("_id") and name != "id":
                        self.children[(table, name, value)].append(row)
        self.attributes = defaultdict(list)
        for row in tables.get("attribute", []):
            self.attributes[row["link_id"]].append(row)
        self.metadata = defaultdict(list)
        for row in tables.get("metadata", []):
            self.metadata[row["resource_id"]].append(row)

    def nest(self, table: str, row: dict, skip: frozenset = frozenset()) -> dict:
        obj = dict(row)
        for key, child_table, column in NEST_MANY.get(table, []):
            if key in skip or key in EXPORT_SKIP.get(table, set()):
                continue
            kids = self.children.get((child_table, column, row["id"]), [])
            if kids:
                obj[key] = [self.nest(child_table, kid) for kid in kids]
        for key, child_table, column in NEST_ONE.get(table, []):
            target = self.by_id.get(child_table, {}).get(row.get(column))
            if target is not None:
                obj[key] = self.nest(child_table, target)
        if table not in NO_ATTRIBUTES and self.attributes.get(row["id"]):
            obj["attributes"] = [self.nest("attribute", a) for a in self.attributes[row["id"]]]
        if table != "metadata" and self.metadata.get(row["id"]):
            obj["metadata"] = [dict(x) for x in self.metadata[row["id"]]]
        return obj


def export_json(service_ids=None) -> list[dict[str, Any]]:
    """The services (all, or those with the given ids) as HSDS JSON, fully nested (schema/compiled/service.json)."""
    if service_ids is not None:
        service_ids = [pk for pk in (_as_uuid_or_none(s) for s in service_ids) if pk is not None]
    index = _Index(export_tables() if service_ids is None else _related_tables(service_ids))
    services = index.by_id.get("service", {})
    wanted = list(services)
    return [index.nest("service", services[sid]) for sid in sorted(wanted, key=lambda s: (services[s]["name"], s))]


def service_to_json(service_id) -> dict[str, Any] | None:
    result = export_json([service_id])
    return result[0] if result else None


def service_list_item(service: m.Service) -> dict[str, Any]:
    """A service with its one-to-one fields and organization (schema/compiled/service_list.json)."""
    row = _row_of("service", service)
    row["organization"] = _row_of("organization", service.organization)
    return row


def _row_of(table: str, instance: models.Model) -> dict[str, Any]:
    row = {}
    for spec in table_fields(table):
        value = getattr(instance, _model_field(table, spec["name"]).attname)
        if value is None or value == "":
            continue
        row[spec["name"]] = _cell(value)
    return row


def problems_as_rows(problems: list[ImportProblem]) -> list[dict[str, str]]:
    return [{"table": p.table, "where": p.where, "field": p.field, "message": p.message} for p in problems]
