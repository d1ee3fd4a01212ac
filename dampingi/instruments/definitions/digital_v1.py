"""Digital-life screening, version 1: how the social change of the digital era shows in a client's life.

Built from the seed's list (fewer face-to-face encounters, changed social distance, changed
intermediaries, changing rules, looser interaction) and the harms the practice meets. Each item
is rated 0-3 with notes; an area's score is its item's rating, or the highest rating of its
items; items rated 2 or more are flagged and may become problems in the problem tree.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ID = "digital"
VERSION = "1"
NAME = _("Digital-life screening")

RATING_MIN = 0
RATING_MAX = 3
FLAG_AT = 2
RATINGS = {
    0: _("no concern"),
    1: _("some concern"),
    2: _("considerable concern"),
    3: _("severe concern"),
}


@dataclass(frozen=True)
class Item:
    key: str
    label: Promise
    help: Promise


@dataclass(frozen=True)
class Area:
    key: str
    label: Promise
    items: tuple[Item, ...]


def _single(key: str, label: Promise, help_text: Promise) -> Area:
    return Area(key, label, (Item(key, label, help_text),))


AREAS: tuple[Area, ...] = (
    _single(
        "face_to_face",
        _("Face-to-face contact"),
        _("How often the client still meets family, friends and neighbours in person."),
    ),
    _single(
        "social_distance",
        _("Social distance and isolation"),
        _("Whether the client feels far from the people around them, lonely or cut off."),
    ),
    _single(
        "digital_intermediaries",
        _("Dependence on digital intermediaries"),
        _("How much services, work and money now run online, and whether the client is left out when they do."),
    ),
    _single(
        "home_rules",
        _("Changed rules and norms at home"),
        _("Whether screen time, phones or online contact changed the rules of the household or caused conflict."),
    ),
    _single(
        "interaction_patterns",
        _("Looser interaction patterns"),
        _("Whether ties have become loose and passing (online acquaintances, no steady relationships)."),
    ),
    _single(
        "access_literacy",
        _("Digital access and literacy"),
        _("Whether the client has a device, a connection and the skills to use them safely."),
    ),
    Area(
        "online_harms",
        _("Online harms"),
        (
            Item(
                "harm_gambling", _("Online gambling"), _("Betting or gambling online by the client or a family member.")
            ),
            Item(
                "harm_lending",
                _("Illegal online lending"),
                _("Debts with unlicensed online lenders (pinjol ilegal), threats from debt collectors."),
            ),
            Item("harm_cyberbullying", _("Cyberbullying"), _("Being harassed, shamed or threatened online.")),
            Item(
                "harm_sexual_exploitation",
                _("Online sexual exploitation"),
                _("Grooming, sextortion or sexual images shared without consent."),
            ),
            Item("harm_fraud", _("Fraud and hoaxes"), _("Online scams, fraud and misleading information.")),
        ),
    ),
    _single(
        "family_functions",
        _("How the family still performs its functions"),
        _("Whether the family still passes on values and norms, gives care and protects its members."),
    ),
)

ITEMS: dict[str, Item] = {item.key: item for area in AREAS for item in area.items}
AREA_OF_ITEM: dict[str, Area] = {item.key: area for area in AREAS for item in area.items}
