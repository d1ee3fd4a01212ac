"""Dampingi's Indonesian reference taxonomies: sectors of need and PSKS types (Permensos 8/2012).

The ids are UUID5 of the code, so every installation has the same ids and the loader is
idempotent. `load_reference_taxonomy(apps)` is called from a data migration (historical models via
apps.get_model) and can be called again at any time.
"""

import uuid

NAMESPACE = uuid.UUID("6f1d7c1e-3a51-4d0b-9a53-2c8e0a6f5d10")

SECTOR_TAXONOMY = {
    "code": "dampingi-sector",
    "name": "Dampingi sectors of need",
    "description": "Sectors of need used by Dampingi to search the service directory.",
    "version": "1",
}
PSKS_TAXONOMY = {
    "code": "dampingi-psks",
    "name": "PSKS types (Permensos 8/2012)",
    "description": "Potensi dan Sumber Kesejahteraan Sosial: the welfare resources recognised by the Ministry of "
    "Social Affairs.",
    "version": "2012",
}

# (code, English name, Indonesian name, description)
SECTORS = [
    ("sector.health", "Health", "Kesehatan", "Health care: puskesmas, clinics, hospitals, health insurance."),
    ("sector.education", "Education", "Pendidikan", "Schools, non-formal education and scholarships."),
    ("sector.social-assistance", "Social assistance", "Bantuan sosial", "Bansos, PKH, BPNT and other transfers."),
    ("sector.legal-aid", "Legal aid", "Bantuan hukum", "Legal aid, legal counselling, civil registration."),
    ("sector.child-protection", "Child protection", "Perlindungan anak", "Protection of children and women."),
    ("sector.disability", "Disability", "Disabilitas", "Services for persons with disabilities."),
    ("sector.employment", "Employment", "Pekerjaan", "Job training, placement and livelihoods."),
    ("sector.housing", "Housing", "Perumahan", "Shelter and housing repair."),
    ("sector.psychosocial", "Psychosocial support", "Dukungan psikososial", "Counselling and psychosocial support."),
]
PSKS = [
    ("psks.peksos", "Professional social worker", "Pekerja Sosial Profesional", "Pekerja sosial profesional."),
    ("psks.psm", "Community social worker (PSM)", "Pekerja Sosial Masyarakat (PSM)", "Community volunteers."),
    ("psks.tagana", "Disaster response youth (Tagana)", "Taruna Siaga Bencana (Tagana)", "Disaster volunteers."),
    ("psks.lks", "Social welfare organisation (LKS)", "Lembaga Kesejahteraan Sosial (LKS)", "Welfare organisations."),
    ("psks.karang-taruna", "Youth organisation (Karang Taruna)", "Karang Taruna", "Village youth organisation."),
    (
        "psks.lk3",
        "Family welfare consultation (LK3)",
        "Lembaga Konsultasi Kesejahteraan Keluarga (LK3)",
        "Family counselling services.",
    ),
    ("psks.keluarga-pioner", "Pioneer family", "Keluarga Pioner", "Families that model social welfare."),
    (
        "psks.wksbm",
        "Community-based welfare network (WKSBM)",
        "Wahana Kesejahteraan Sosial Berbasis Masyarakat (WKSBM)",
        "Community welfare networks.",
    ),
    ("psks.wpks", "Women welfare leaders", "Wanita Pemimpin Kesejahteraan Sosial", "Women leaders in welfare."),
    ("psks.penyuluh", "Social extension worker", "Penyuluh Sosial", "Social extension workers."),
    (
        "psks.tksk",
        "District social welfare worker (TKSK)",
        "Tenaga Kesejahteraan Sosial Kecamatan (TKSK)",
        "One per kecamatan.",
    ),
    ("psks.dunia-usaha", "Business doing social welfare", "Dunia Usaha", "Businesses doing social welfare."),
]


def ref_id(code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, code)


def load_reference_taxonomy(apps) -> None:
    Taxonomy = apps.get_model("directory", "Taxonomy")
    TaxonomyTerm = apps.get_model("directory", "TaxonomyTerm")
    for tax, terms in ((SECTOR_TAXONOMY, SECTORS), (PSKS_TAXONOMY, PSKS)):
        taxonomy, _ = Taxonomy.objects.update_or_create(
            id=ref_id(tax["code"]),
            defaults={"name": tax["name"], "description": tax["description"], "version": tax["version"]},
        )
        for code, name, indonesian, description in terms:
            TaxonomyTerm.objects.update_or_create(
                id=ref_id(code),
                defaults={
                    "code": code,
                    "name": name,
                    "indonesian_name": indonesian,
                    "description": description,
                    "taxonomy": tax["code"],
                    "taxonomy_detail_id": taxonomy.id,
                    "language": "en",
                },
            )
