"""The import service: good rows imported, every bad row reported, families, re-runs, all-or-nothing."""

import datetime

import pytest
from django.db import connection

from dampingi.audit.models import AuditEvent
from dampingi.clients.matching import name_key
from dampingi.clients.models import ClientSystem, Membership, Person
from dampingi.imports import writers
from dampingi.imports.models import ImportProblem, ImportRun
from dampingi.imports.services import import_file
from dampingi.imports.tests.helpers import kk, nik, person_row, write_csv
from dampingi.imports.validation import RowChecker
from dampingi.testing.factories import ClientSystemFactory

BIRTH = datetime.date(1985, 3, 14)


def problems_of(run) -> list[tuple[int, str, str]]:
    return list(ImportProblem.objects.filter(run=run).order_by("line", "id").values_list("line", "field", "reason"))


def test_good_rows_become_individual_clients(tmp_path, ratna):
    path = write_csv(tmp_path / "desa.csv", [person_row(1, PPKS="lut"), person_row(2, sex="P", name="Siti Aminah")])
    run = import_file(actor=ratna, path=path)
    assert run.status == ImportRun.Status.DONE, problems_of(run)
    assert (run.rows, run.imported, run.already_registered, run.bad, run.client_systems_created) == (2, 2, 0, 0, 2)
    siti = Person.objects.get(full_name="Siti Aminah")
    assert siti.sex == "F" and siti.region_id == "32.04.05.2001" and siti.name_key == "siti aminah"
    assert siti.birth_date == BIRTH and siti.address == "Jl. Cibiru No. 2"
    system = siti.client_systems.get()
    assert system.kind == "individual" and system.name == "Siti Aminah" and system.name_key == "siti aminah"
    assert system.created_by == ratna and system.region_id == "32.04.05.2001"
    assert Membership.objects.get(person=siti).relationship == "self"
    first = Person.objects.get(nik=nik(BIRTH, "L", 1)).client_systems.get()
    assert list(first.ppks.values_list("slug", flat=True)) == ["lut"]
    event = AuditEvent.objects.get(action="imports.run")
    assert event.target_id == str(run.pk) and event.after["imported"] == 2 and event.actor == ratna


def test_every_bad_row_is_reported_with_line_and_reason_and_good_rows_still_imported(tmp_path, ratna):
    rows = [
        person_row(1),  # line 2: good
        person_row(2, NIK="32040514038"),  # 3: too short
        person_row(3, JENIS_KELAMIN="P"),  # 4: a man's NIK, sex female
        person_row(4, TANGGAL_LAHIR="15-03-1985"),  # 5: birth date differs from the NIK's
        person_row(5, KODE_WILAYAH="32.04.05.9999"),  # 6: unknown region
        person_row(6, PPKS="xyz"),  # 7: unknown PPKS
        person_row(7, NAMA=""),  # 8: missing name
        person_row(8, TANGGAL_LAHIR="31-02-1985"),  # 9: not a date
        person_row(1, NAMA="Again"),  # 10: same NIK as line 2
        person_row(9, NO_KK="12345"),  # 11: bad KK
        person_row(10, JENIS_KELAMIN="X"),  # 12: not a sex
        person_row(11, NIK=""),  # 13: no NIK
        person_row(12, KODE_WILAYAH="32.04"),  # 14: a regency, too coarse
        person_row(13),  # 15: good
    ]
    run = import_file(actor=ratna, path=write_csv(tmp_path / "bad.csv", rows))
    assert run.status == ImportRun.Status.DONE
    assert (run.rows, run.imported, run.bad) == (14, 2, 12)
    found = problems_of(run)
    by_line = {line: (field, reason) for line, field, reason in found}
    assert by_line[3] == ("nik", "A NIK has exactly 16 digits; this one has 11.")
    assert by_line[4] == (
        "nik",
        "The NIK is a man's (the day of birth has no 40 added), but the sex entered is female.",
    )
    assert by_line[5][0] == "nik" and "gives the date of birth 14-03-85" in by_line[5][1]
    assert by_line[6] == ("region", "32.04.05.9999 is not a known region code.")
    assert by_line[7][0] == "ppks" and by_line[7][1].startswith("xyz is not a PPKS category")
    assert by_line[8] == ("name", "The name is missing.")
    assert by_line[9] == ("birth_date", "31-02-1985 is not a date: write YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY.")
    assert by_line[10] == ("nik", "The same NIK is already on line 2.")
    assert by_line[11] == ("no_kk", "A family card number has exactly 16 digits; this one has 5.")
    assert by_line[12][0] == "sex" and by_line[12][1].startswith("X is not a sex")
    assert by_line[13][0] == "nik" and by_line[13][1].startswith("The NIK is missing")
    assert by_line[14][0] == "region" and "province or regency" in by_line[14][1]
    assert set(Person.objects.values_list("nik", flat=True)) == {nik(BIRTH, "L", 1), nik(BIRTH, "L", 13)}


def test_sex_is_taken_from_the_nik_when_empty_and_codes_without_dots_are_read(tmp_path, ratna):
    rows = [person_row(1, sex="P", JENIS_KELAMIN="", KODE_WILAYAH="3204052001"), person_row(2, KODE_WILAYAH="320405")]
    run = import_file(actor=ratna, path=write_csv(tmp_path / "r.csv", rows))
    assert run.imported == 2, problems_of(run)
    assert dict(Person.objects.values_list("nik", "sex")) == {nik(BIRTH, "P", 1): "F", nik(BIRTH, "L", 2): "M"}
    assert set(Person.objects.values_list("region_id", flat=True)) == {"32.04.05.2001", "32.04.05"}


def test_rows_sharing_a_no_kk_form_one_family_headed_by_the_first_row(tmp_path, ratna):
    rows = [
        person_row(1, no_kk=kk(1), name="Budi Santoso"),
        person_row(2, sex="P", no_kk=kk(1), name="Ani Santoso"),
        person_row(3, no_kk="", name="Sendiri Saja"),
        person_row(4, no_kk=kk(1), name="Joko Santoso", PPKS="kat"),
    ]
    run = import_file(actor=ratna, path=write_csv(tmp_path / "kk.csv", rows))
    assert (run.imported, run.client_systems_created) == (4, 2), problems_of(run)
    family = ClientSystem.objects.get(kind="family")
    assert family.no_kk == kk(1) and family.name == "Keluarga Budi Santoso"
    assert family.name_key == name_key("Keluarga Budi Santoso")
    members = {m.person.full_name: (m.relationship, m.is_head) for m in family.memberships.select_related("person")}
    assert members == {
        "Budi Santoso": ("head", True),
        "Ani Santoso": ("other", False),
        "Joko Santoso": ("other", False),
    }
    assert list(family.ppks.values_list("slug", flat=True)) == ["kat"]
    assert ClientSystem.objects.get(kind="individual").name == "Sendiri Saja"


def test_the_row_marked_head_heads_the_family_and_shdk_codes_give_relationships(tmp_path, ratna):
    header = ["NIK", "No. KK", "Nama", "JK", "Tgl Lahir", "Alamat", "Kode Wilayah", "PPKS", "SHDK"]
    rows = [
        {**person_row(1, no_kk=kk(2), name="Anak Pertama"), "SHDK": "4"},
        {**person_row(2, sex="P", no_kk=kk(2), name="Ibu Rumah"), "SHDK": "istri"},
        {**person_row(3, no_kk=kk(2), name="Bapak Kepala"), "SHDK": "Kepala Keluarga"},
    ]
    renamed = [
        {"NIK": r["NIK"], "No. KK": r["NO_KK"], "Nama": r["NAMA"], "JK": r["JENIS_KELAMIN"],
         "Tgl Lahir": r["TANGGAL_LAHIR"], "Alamat": r["ALAMAT"], "Kode Wilayah": r["KODE_WILAYAH"], "SHDK": r["SHDK"]}
        for r in rows
    ]  # fmt: skip
    run = import_file(actor=ratna, path=write_csv(tmp_path / "shdk.csv", renamed, header=header))
    assert run.imported == 3, problems_of(run)
    family = ClientSystem.objects.get(kind="family")
    assert family.name == "Keluarga Bapak Kepala"
    members = {m.person.full_name: (m.relationship, m.is_head) for m in family.memberships.select_related("person")}
    assert members == {
        "Bapak Kepala": ("head", True),
        "Ibu Rumah": ("spouse", False),
        "Anak Pertama": ("child", False),
    }


def test_new_members_join_an_existing_family_with_the_same_no_kk(tmp_path, ratna, sari):
    existing = ClientSystemFactory(created_by=sari, kind="family", name="Keluarga Lama", no_kk=kk(3))
    heads_before = existing.memberships.filter(is_head=True).count()
    run = import_file(actor=ratna, path=write_csv(tmp_path / "join.csv", [person_row(1, no_kk=kk(3), name="Baru")]))
    assert (run.imported, run.client_systems_created) == (1, 0), problems_of(run)
    membership = Membership.objects.get(person__full_name="Baru")
    assert membership.client_system == existing and not membership.is_head
    assert existing.memberships.filter(is_head=True).count() == heads_before


def test_a_second_run_of_the_same_file_adds_nothing_and_says_so(tmp_path, ratna):
    path = write_csv(tmp_path / "twice.csv", [person_row(1, no_kk=kk(4)), person_row(2, no_kk=kk(4)), person_row(3)])
    first = import_file(actor=ratna, path=path)
    counts = (Person.objects.count(), ClientSystem.objects.count(), Membership.objects.count())
    second = import_file(actor=ratna, path=path)
    assert second.status == ImportRun.Status.DONE and second.pk != first.pk
    assert (second.imported, second.already_registered, second.client_systems_created) == (0, 3, 0)
    assert second.previous_run == first and second.sha256 == first.sha256
    assert (Person.objects.count(), ClientSystem.objects.count(), Membership.objects.count()) == counts
    assert AuditEvent.objects.filter(action="imports.run").count() == 2


def test_a_file_partly_registered_imports_only_the_new_people(tmp_path, ratna):
    import_file(actor=ratna, path=write_csv(tmp_path / "a.csv", [person_row(1)]))
    run = import_file(actor=ratna, path=write_csv(tmp_path / "b.csv", [person_row(1), person_row(2)]))
    assert (run.imported, run.already_registered, run.previous_run) == (1, 1, None)
    assert Person.objects.count() == 2


@pytest.mark.parametrize("step", ["registered", "people", "client_systems", "memberships"])
def test_an_exception_mid_run_leaves_nothing_half_written(tmp_path, ratna, monkeypatch, step):
    def boom(self, done):
        if done == step:
            raise RuntimeError("power cut")

    monkeypatch.setattr(writers.BaseWriter, "step_done", boom)
    path = write_csv(tmp_path / "cut.csv", [person_row(1, no_kk=kk(5)), person_row(2), person_row(3, NAMA="")])
    with pytest.raises(RuntimeError):
        import_file(actor=ratna, path=path)
    assert (Person.objects.count(), ClientSystem.objects.count(), Membership.objects.count()) == (0, 0, 0)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED and run.imported == 0
    assert "nothing was imported" in run.error
    assert not ImportProblem.objects.exists()
    assert AuditEvent.objects.get(action="imports.run").after["status"] == "failed"


def test_a_header_without_the_required_columns_fails_the_run(tmp_path, ratna):
    path = write_csv(tmp_path / "h.csv", [{"Nama": "Budi", "Alamat": "x"}])
    run = import_file(actor=ratna, path=path)
    assert run.status == ImportRun.Status.FAILED and run.imported == 0
    assert "missing: NIK" in run.error
    assert problems_of(run) == [(1, "", run.error)]


def test_the_checker_keys_names_exactly_as_matching_does():
    checker = RowChecker()
    for name in ["Moh.  Noor SOEKARNO", "Siti Aminah binti Ahmad", "Dedy 3 !!", "Ñoño Tjahjo", "A.B. Djoko"]:
        assert checker.name_key(name) == name_key(name)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL writer's fallback")
def test_someone_registering_a_nik_while_the_import_writes_is_counted_as_already_registered(
    tmp_path, ratna, monkeypatch
):
    def register_meanwhile(self, step):
        if step == "registered":  # after the importer took out the NIKs registered before
            Person.objects.create(full_name="Didaftar Barusan", nik=nik(BIRTH, "L", 2), sex="M")

    monkeypatch.setattr(writers.BaseWriter, "step_done", register_meanwhile)
    path = write_csv(tmp_path / "race.csv", [person_row(1), person_row(2, no_kk=kk(6)), person_row(3, no_kk=kk(6))])
    run = import_file(actor=ratna, path=path)
    assert (run.status, run.imported, run.already_registered, run.client_systems_created) == ("done", 2, 1, 2)
    assert Person.objects.get(nik=nik(BIRTH, "L", 2)).full_name == "Didaftar Barusan"
    assert not Membership.objects.filter(person__nik=nik(BIRTH, "L", 2)).exists()
    family = ClientSystem.objects.get(kind="family")
    assert list(family.memberships.values_list("person__nik", "is_head")) == [(nik(BIRTH, "L", 3), True)]


@pytest.mark.parametrize("workers", [0, 2])
def test_a_rerun_after_a_partial_registration_is_idempotent_with_or_without_workers(tmp_path, ratna, workers):
    rows = [person_row(i, no_kk=kk(7) if i % 2 else "", PPKS="lut" if i == 3 else "") for i in range(1, 9)]
    import_file(actor=ratna, path=write_csv(tmp_path / "half.csv", rows[:4]), workers=workers)
    counts = (Person.objects.count(), ClientSystem.objects.count(), Membership.objects.count())
    assert counts == (4, 3, 4)
    full = write_csv(tmp_path / "full.csv", rows)
    second = import_file(actor=ratna, path=full, workers=workers)
    third = import_file(actor=ratna, path=full, workers=workers)
    assert (second.imported, second.already_registered) == (4, 4)
    assert (third.imported, third.already_registered, third.client_systems_created) == (0, 8, 0)
    assert third.previous_run == second
    assert (Person.objects.count(), ClientSystem.objects.count(), Membership.objects.count()) == (8, 5, 8)
    assert Person.objects.values("nik").distinct().count() == 8
    family = ClientSystem.objects.get(kind="family")  # the later members joined the first run's family
    assert family.memberships.count() == 4 and family.memberships.filter(is_head=True).count() == 1


@pytest.mark.parametrize("block", [2, 50_000])
def test_registered_people_are_skipped_in_every_block_of_a_large_file(tmp_path, ratna, monkeypatch, block):
    monkeypatch.setattr(writers, "COPY_BLOCK", block)  # PostgreSQL: 2 rows a block, so 4 blocks here
    import_file(actor=ratna, path=write_csv(tmp_path / "a.csv", [person_row(1), person_row(4), person_row(6)]))
    rows = [person_row(i, no_kk=kk(8) if i in (2, 3, 4) else "") for i in range(1, 8)]
    run = import_file(actor=ratna, path=write_csv(tmp_path / "b.csv", rows))
    assert (run.status, run.imported, run.already_registered, run.client_systems_created) == ("done", 4, 3, 3)
    assert Person.objects.count() == Membership.objects.count() == 7
    family = ClientSystem.objects.get(kind="family")
    heads = family.memberships.filter(is_head=True).values_list("person__nik", flat=True)
    assert family.memberships.count() == 2 and list(heads) == [nik(BIRTH, "L", 2)]
