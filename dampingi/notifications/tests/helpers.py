import datetime
import struct
import zoneinfo

from dampingi.notifications.models import Notification

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def jakarta(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=JAKARTA)


def inbox(user):
    return list(Notification.objects.filter(recipient=user).order_by("id"))


def assert_clean(response):
    assert b"INVALID_TEMPLATE_VARIABLE" not in response.content, response.content.decode()[:2000]


def write_mo(path, catalog: dict[str, str]) -> None:
    """A minimal GNU .mo file (what msgfmt writes) holding `catalog`, for one-off test translations."""
    entries = {"": "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=1; plural=0;\n", **catalog}
    keys = sorted(entries)
    ids = b""
    strs = b""
    offsets = []
    for key in keys:
        k, v = key.encode(), entries[key].encode()
        offsets.append((len(ids), len(k), len(strs), len(v)))
        ids += k + b"\0"
        strs += v + b"\0"
    n = len(keys)
    keystart = 7 * 4 + 16 * n
    valuestart = keystart + len(ids)
    koffsets, voffsets = [], []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + keystart]
        voffsets += [l2, o2 + valuestart]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, n, 7 * 4, 7 * 4 + n * 8, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        header + struct.pack(f"{len(koffsets)}i", *koffsets) + struct.pack(f"{len(voffsets)}i", *voffsets) + ids + strs
    )
