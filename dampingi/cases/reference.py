"""Programmes every installation starts with; administrators add their own in the admin."""

from dampingi.cases.models import Programme

DEFAULT_PROGRAMMES = [
    "Rehabilitasi Sosial Anak",
    "Rehabilitasi Sosial Lanjut Usia",
    "Rehabilitasi Sosial Penyandang Disabilitas",
    "Perlindungan dan Jaminan Sosial",
    "Pemberdayaan Sosial dan Penanganan Fakir Miskin",
    "Penanganan Korban Bencana",
]


def programmes_load() -> int:
    created = 0
    for name in DEFAULT_PROGRAMMES:
        _obj, was_created = Programme.objects.get_or_create(name=name)
        created += was_created
    return created
