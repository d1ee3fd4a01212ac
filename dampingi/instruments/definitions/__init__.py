"""Versioned instrument definitions: reference data in code.

Each definition module has an ID and a VERSION; every administration stores both, so an old
administration is always read with the definition it was taken with. A new version is a new
module registered here; old versions stay.
"""

from types import ModuleType

from dampingi.instruments.definitions import digital_v1, pie_v1

PIE = pie_v1.ID
DIGITAL = digital_v1.ID

DEFINITIONS: dict[tuple[str, str], ModuleType] = {
    (pie_v1.ID, pie_v1.VERSION): pie_v1,
    (digital_v1.ID, digital_v1.VERSION): digital_v1,
}
CURRENT: dict[str, ModuleType] = {PIE: pie_v1, DIGITAL: digital_v1}


def definition(instrument: str, version: str) -> ModuleType:
    return DEFINITIONS[(instrument, version)]
