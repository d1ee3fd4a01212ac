"""Demo data: a plausible directory of services around the given regions (called from seed_demo).

Deterministic for a given `rng` (random.Random): ids come from the rng too. Each call creates new
rows; call it once per demo database.
"""

import datetime
import random
import uuid

from django.db import transaction
from django.utils import timezone

from dampingi.directory.models import (
    Address,
    Attribute,
    Language,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from dampingi.directory.taxonomy_data import ref_id
from dampingi.regions.models import Region

# (organization, service, description, terms, (min age, max age), documents, eligibility, languages)
CATALOGUE = [
    (
        "Puskesmas {district}",
        "Pelayanan kesehatan umum",
        "Pemeriksaan dan pengobatan umum, rujukan ke rumah sakit.",
        ["sector.health"],
        (None, None),
        ["KTP", "Kartu BPJS Kesehatan"],
        "Semua warga kecamatan.",
        ["id", "su"],
    ),
    (
        "Puskesmas {district}",
        "Konseling kesehatan jiwa",
        "Layanan konseling dan pemantauan obat untuk ODGJ.",
        ["sector.health", "sector.psychosocial"],
        (12, None),
        ["KTP"],
        "Warga berusia 12 tahun ke atas.",
        ["id", "su"],
    ),
    (
        "Puskesmas {district}",
        "Pemeriksaan ibu hamil dan imunisasi anak",
        "KIA, imunisasi dasar lengkap.",
        ["sector.health", "sector.child-protection"],
        (0, 5),
        ["Buku KIA", "KK"],
        "Ibu hamil dan balita.",
        ["id"],
    ),
    (
        "LBH Bandung",
        "Bantuan hukum gratis",
        "Konsultasi dan pendampingan hukum bagi warga tidak mampu.",
        ["sector.legal-aid"],
        (18, None),
        ["KTP", "SKTM"],
        "Warga tidak mampu (SKTM).",
        ["id"],
    ),
    (
        "Posbakum Pengadilan Agama {regency}",
        "Pos bantuan hukum perkara keluarga",
        "Perceraian, hak asuh, itsbat nikah.",
        ["sector.legal-aid"],
        (18, None),
        ["KTP", "KK", "Buku nikah"],
        "Pihak berperkara yang tidak mampu.",
        ["id"],
    ),
    (
        "Disdukcapil {regency}",
        "Pembuatan akta kelahiran dan KTP",
        "Layanan administrasi kependudukan.",
        ["sector.legal-aid"],
        (None, None),
        ["KK", "Surat keterangan lahir"],
        "Penduduk kabupaten.",
        ["id"],
    ),
    (
        "UPTD PPA {regency}",
        "Pendampingan korban kekerasan anak dan perempuan",
        "Pengaduan, visum, pendampingan.",
        ["sector.child-protection", "sector.psychosocial"],
        (None, None),
        [],
        "Korban kekerasan.",
        ["id", "su"],
    ),
    (
        "UPTD PPA {regency}",
        "Rumah aman sementara",
        "Penampungan sementara bagi korban kekerasan.",
        ["sector.child-protection", "sector.housing"],
        (None, None),
        [],
        "Rujukan dari UPTD PPA.",
        ["id"],
    ),
    (
        "SD Negeri 1 {district}",
        "Pendidikan dasar",
        "Sekolah dasar negeri, tanpa biaya.",
        ["sector.education"],
        (6, 12),
        ["Akta kelahiran", "KK"],
        "Anak usia 6–12 tahun.",
        ["id", "su"],
    ),
    (
        "SMP Negeri 2 {district}",
        "Pendidikan menengah pertama",
        "Sekolah menengah pertama negeri.",
        ["sector.education"],
        (12, 15),
        ["Ijazah SD", "KK"],
        "Lulusan SD.",
        ["id"],
    ),
    (
        "PKBM Harapan {district}",
        "Kejar Paket A, B dan C",
        "Pendidikan kesetaraan bagi anak putus sekolah.",
        ["sector.education"],
        (15, None),
        ["KK"],
        "Warga putus sekolah.",
        ["id"],
    ),
    (
        "BLK {regency}",
        "Pelatihan menjahit",
        "Pelatihan kerja 3 bulan dengan sertifikat.",
        ["sector.employment"],
        (18, 45),
        ["KTP", "Ijazah terakhir"],
        "Pencari kerja 18–45 tahun.",
        ["id"],
    ),
    (
        "BLK {regency}",
        "Pelatihan las dan otomotif",
        "Pelatihan kerja 2 bulan, uang saku.",
        ["sector.employment"],
        (18, 40),
        ["KTP"],
        "Pencari kerja 18–40 tahun.",
        ["id"],
    ),
    (
        "Disnaker {regency}",
        "Bursa kerja dan penempatan",
        "Informasi lowongan dan kartu AK/1.",
        ["sector.employment"],
        (18, None),
        ["KTP", "Pas foto"],
        "Pencari kerja.",
        ["id"],
    ),
    (
        "LKS Anak Mandiri",
        "Pengasuhan anak berbasis keluarga",
        "Dukungan keluarga pengasuh dan anak terlantar.",
        ["sector.child-protection", "psks.lks"],
        (0, 17),
        ["KK"],
        "Anak terlantar atau tanpa pengasuhan.",
        ["id"],
    ),
    (
        "LKS Lansia Sejahtera",
        "Pendampingan lanjut usia",
        "Home care dan kegiatan lansia.",
        ["sector.social-assistance", "psks.lks"],
        (60, None),
        ["KTP"],
        "Lansia terlantar.",
        ["id", "su"],
    ),
    (
        "Karang Taruna Desa {village}",
        "Pencegahan putus sekolah",
        "Kelompok belajar dan kegiatan remaja.",
        ["sector.education", "psks.karang-taruna"],
        (10, 24),
        [],
        "Remaja desa.",
        ["su"],
    ),
    (
        "TKSK Kecamatan {district}",
        "Pendampingan pengajuan bansos",
        "Bantuan pengusulan DTKS, PKH, BPNT.",
        ["sector.social-assistance", "psks.tksk"],
        (None, None),
        ["KTP", "KK"],
        "Keluarga miskin.",
        ["id", "su"],
    ),
    (
        "Dinas Sosial {regency}",
        "Meja layanan SLRT / Puskesos",
        "Pengaduan dan rujukan program perlindungan sosial.",
        ["sector.social-assistance"],
        (None, None),
        ["KTP", "KK"],
        "Semua warga.",
        ["id"],
    ),
    (
        "BPJS Kesehatan Cabang {regency}",
        "Pendaftaran PBI JK",
        "Pendaftaran peserta penerima bantuan iuran.",
        ["sector.health", "sector.social-assistance"],
        (None, None),
        ["KTP", "KK"],
        "Terdaftar di DTKS.",
        ["id"],
    ),
    (
        "Panti Rehabilitasi Sosial {regency}",
        "Rehabilitasi sosial penyandang disabilitas",
        "Asrama dan terapi.",
        ["sector.disability", "psks.lks"],
        (6, 59),
        ["KTP", "KK", "Surat keterangan dokter"],
        "Disabilitas.",
        ["id"],
    ),
    (
        "Balai Rehabilitasi NAPZA {regency}",
        "Rehabilitasi korban NAPZA",
        "Rawat jalan dan rawat inap.",
        ["sector.health", "sector.psychosocial"],
        (15, None),
        ["KTP"],
        "Pengguna NAPZA yang melapor diri.",
        ["id"],
    ),
    (
        "LK3 {regency}",
        "Konsultasi keluarga",
        "Konseling keluarga dan pasangan.",
        ["sector.psychosocial", "psks.lk3"],
        (None, None),
        [],
        "Keluarga bermasalah.",
        ["id", "su"],
    ),
    (
        "Yayasan Disabilitas Mandiri",
        "Terapi dan alat bantu",
        "Fisioterapi, kursi roda, alat bantu dengar.",
        ["sector.disability"],
        (None, None),
        ["KTP", "Surat keterangan dokter"],
        "Penyandang disabilitas.",
        ["id"],
    ),
    (
        "Dinas Perumahan {regency}",
        "Bedah rumah (Rutilahu)",
        "Perbaikan rumah tidak layak huni.",
        ["sector.housing", "sector.social-assistance"],
        (None, None),
        ["KTP", "KK", "Bukti tanah"],
        "Keluarga miskin.",
        ["id"],
    ),
    (
        "WKSBM Desa {village}",
        "Jejaring kesejahteraan sosial desa",
        "Pertemuan bulanan dan penggalangan bantuan.",
        ["sector.social-assistance", "psks.wksbm"],
        (None, None),
        [],
        "Warga desa.",
        ["su"],
    ),
    (
        "PSM Kecamatan {district}",
        "Pendampingan keluarga rentan",
        "Kunjungan rumah oleh pekerja sosial masyarakat.",
        ["sector.social-assistance", "psks.psm"],
        (None, None),
        [],
        "Keluarga rentan.",
        ["id", "su"],
    ),
    (
        "Tagana {regency}",
        "Tanggap darurat bencana",
        "Evakuasi, dapur umum, hunian sementara.",
        ["sector.housing", "psks.tagana"],
        (None, None),
        [],
        "Korban bencana.",
        ["id"],
    ),
]
STREETS = ["Raya", "Merdeka", "Sukarno-Hatta", "Cibiru", "Pahlawan"]
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "su": "Basa Sunda"}


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


@transaction.atomic
def seed_directory(*, region_codes, rng: random.Random, count: int = 30) -> list[Service]:
    """Create `count` (20–40 sensible) services around the given district or village codes, with
    organizations, locations, addresses, phones, schedules, languages, required documents, terms,
    service areas, capacities and verification dates (some stale)."""
    regions = list(Region.objects.filter(code__in=list(region_codes)).order_by("code"))
    if not regions:
        raise ValueError("seed_directory needs at least one existing region code")
    names = dict(
        Region.objects.values_list("code", "name").filter(code__in={c for r in regions for c in r.ancestor_codes()})
    )
    today = timezone.localdate()
    organizations: dict[str, Organization] = {}
    services = []
    for index in range(count):
        org_t, name, description, terms, (age_min, age_max), docs, eligibility, langs = CATALOGUE[
            index % len(CATALOGUE)
        ]
        region = regions[rng.randrange(len(regions))]
        codes = region.ancestor_codes()
        district_code = codes[2] if len(codes) > 2 else codes[-1]
        regency_code = codes[1] if len(codes) > 1 else codes[-1]
        words = {
            "district": names.get(district_code, region.name).title(),
            "regency": names.get(regency_code, region.name).title(),
            "village": region.name.title(),
        }
        org_name = org_t.format(**words)
        organization = organizations.get(org_name)
        if organization is None:
            organization = Organization.objects.create(
                id=_uuid(rng),
                name=org_name,
                description=f"{org_name}: {description}",
                email=f"layanan{len(organizations) + 1}@contoh.go.id",
                legal_status="Pemerintah" if not org_name.startswith(("LKS", "Yayasan", "LBH")) else "Yayasan",
            )
            organizations[org_name] = organization
            Phone.objects.create(
                id=_uuid(rng), organization=organization, number=f"022-{rng.randrange(1000000, 9999999)}"
            )
        round_ = index // len(CATALOGUE)
        service = Service.objects.create(
            id=_uuid(rng),
            organization=organization,
            name=name if round_ == 0 else f"{name} ({round_ + 1})",
            description=description,
            status=Service.Status.ACTIVE if rng.random() > 0.1 else Service.Status.TEMPORARILY_CLOSED,
            eligibility_description=eligibility,
            minimum_age=age_min,
            maximum_age=age_max,
            application_process="Datang langsung dengan membawa dokumen, atau melalui rujukan pekerja sosial.",
            fees_description="Gratis",
            capacity=rng.choice(
                [Service.Capacity.CAPACITY] * 3 + [Service.Capacity.NO_CAPACITY, Service.Capacity.WAITLIST]
            ),
            last_verified_on=today - datetime.timedelta(days=rng.randrange(0, 400)),
        )
        location = Location.objects.create(
            id=_uuid(rng),
            location_type=Location.LocationType.PHYSICAL,
            organization=organization,
            name=org_name,
            latitude=round(-6.9 - rng.random() * 0.2, 5),
            longitude=round(107.6 + rng.random() * 0.2, 5),
            region=region,
        )
        Address.objects.create(
            id=_uuid(rng),
            location=location,
            address_1=f"Jl. {rng.choice(STREETS)} No. {rng.randrange(1, 200)}",
            city=words["regency"],
            region=region.code,
            state_province=names.get(codes[0], "Jawa Barat").title(),
            postal_code=str(rng.randrange(40100, 40999)),
            country="ID",
            address_type=Location.LocationType.PHYSICAL,
        )
        sal = ServiceAtLocation.objects.create(id=_uuid(rng), service=service, location=location)
        Phone.objects.create(
            id=_uuid(rng),
            service=service,
            service_at_location=sal,
            number=f"08{rng.randrange(1000000000, 9999999999)}",
            type="voice",
            description="WhatsApp / telepon",
        )
        Schedule.objects.create(
            id=_uuid(rng),
            service=service,
            service_at_location=sal,
            freq=Schedule.Freq.WEEKLY,
            byday="MO,TU,WE,TH,FR",
            opens_at=datetime.time(8, 0),
            closes_at=datetime.time(rng.choice([12, 14, 15, 16]), 0),
            description="Senin–Jumat",
        )
        for code in langs:
            Language.objects.create(id=_uuid(rng), service=service, name=LANGUAGE_NAMES[code], code=code)
        for document in docs:
            RequiredDocument.objects.create(id=_uuid(rng), service=service, document=document)
        for code in terms:
            Attribute.objects.create(
                id=_uuid(rng), link_id=service.id, link_entity="service", taxonomy_term_id=ref_id(code)
            )
        if rng.random() < 0.5:
            ServiceArea.objects.create(
                id=_uuid(rng),
                service=service,
                name=names.get(regency_code, ""),
                extent=regency_code,
                extent_type="kemendagri",
                region_id=regency_code if regency_code in names else None,
            )
        services.append(service)
    return services
