"""Name normalisation for search and for "search before you create".

Indonesian names are written many ways: old (pre-1972) and new spelling (Soekarno/Sukarno,
Djoko/Joko, Tjahjo/Cahyo), Arabic names transliterated differently (Muhammad, Mohammad,
Moh.), doubled letters (Noor/Nur, Muhammad/Muhamad) and a final y or i (Dedy/Dedi).
`name_key()` maps all of these to one key, so that equal keys mean "probably the same name".

Pure functions: no database, no Django. The key is stored on Person and ClientSystem
(`name_key`) so that lists can search it with a plain `contains`.
"""

import re
import unicodedata

# Letter pairs that only the old spelling (Van Ophuijsen/Soewandi, before 1972) uses. In a word
# that has one of them, a plain "j" is the old way of writing today's "y" (Soejono = Suyono).
_OLD_SPELLING_MARKS = ("oe", "dj", "tj", "sj", "nj")

# Whole-word variants, compared after the spelling and double-letter rules have run.
_WORDS = {
    # Muhammad, Mohammad, Muhamad, Mohamad, Mochammad, Muchammad, Moh., Muh., Mhd., Md.
    "muhamad": "muhamad",
    "mohamad": "muhamad",
    "mukhamad": "muhamad",
    "mokhamad": "muhamad",
    "muhamed": "muhamad",
    "mohamed": "muhamad",
    "moh": "muhamad",
    "muh": "muhamad",
    "mohd": "muhamad",
    "mhd": "muhamad",
    "md": "muhamad",
    # Ahmad, Achmad, Akhmad
    "akhmad": "ahmad",
    "ahmat": "ahmad",
    # Nur, Noor, Nurul
    "nor": "nur",
    "nurul": "nur",
}

_NOT_LETTER = re.compile(r"[^a-z]+")
_DOUBLE = re.compile(r"([a-z])\1+")


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _respell(word: str) -> str:
    """Old spelling to current spelling: oe→u, dj→j, tj→c, sj→sy, nj→ny, j→y, ch→kh."""
    old = any(mark in word for mark in _OLD_SPELLING_MARKS)
    word = word.replace("oe", "u").replace("dj", "\0").replace("tj", "c").replace("sj", "sy").replace("nj", "ny")
    if old:
        word = word.replace("j", "y")
    return word.replace("\0", "j").replace("ch", "kh")


def _word_key(word: str) -> str:
    word = _respell(word)
    word = _DOUBLE.sub(r"\1", word)  # Noor -> Nor, Muhammad -> Muhamad, Abdullah -> Abdulah
    if len(word) > 2 and word.endswith("y"):
        word = word[:-1] + "i"  # Dedy -> Dedi, Hendry -> Hendri
    word = _WORDS.get(word, word)
    return word


def name_key(name: str | None) -> str:
    """A spelling-insensitive key: lower case, letters only, single spaces, variants unified.

    >>> name_key("  Moh.  Noor  SOEKARNO ")
    'muhamad nur sukarno'
    """
    if not name:
        return ""
    words = _NOT_LETTER.sub(" ", _ascii(name).casefold()).split()
    return " ".join(key for key in (_word_key(w) for w in words) if key)


def names_similar(first: str, second: str) -> bool:
    """True when two names are probably the same person's (equal keys, or one name's words
    all appear in the other, e.g. "Siti Aminah" and "Siti Aminah binti Ahmad")."""
    a, b = name_key(first), name_key(second)
    if not a or not b:
        return False
    if a == b:
        return True
    words_a, words_b = set(a.split()), set(b.split())
    return words_a <= words_b or words_b <= words_a
