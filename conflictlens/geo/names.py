"""Name normalisation shared by the gazetteer builder and the matcher.

Every place name and every text span is reduced to a *key*: diacritics
removed, lower case, apostrophes dropped, any other non-alphanumeric run
turned into one space.  "D.I. Khan" -> "d i khan", "Ma’rib" -> "marib",
"Khyber-Pakhtunkhwa" -> "khyber pakhtunkhwa".
"""
from __future__ import annotations

import re
import unicodedata

_APOS = re.compile(r"[\u0027\u2018\u2019\u02bc\u02bb\u0060\u00b4\u2032\u02be\u02bf]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Latin-script letters after NFKD folding (used to keep only names an English text can contain)
_LATIN_OK = re.compile(r"^[0-9A-Za-z .,'\-()/&]+$")

# Suffixes and prefixes that name the kind of unit, stripped to make extra aliases.
UNIT_WORDS = (
    "province", "governorate", "region", "state", "oblast", "district", "department", "prefecture",
    "division", "county", "agency", "municipality", "territory", "city",
)
_PREFIXES = ("muhafazat ", "wilayat ", "provincia de ", "province of ", "departement du ",
             "departement de ", "region de ")


def fold(text: str) -> str:
    """Strip diacritics (NFKD, drop combining marks) and special letters."""
    text = text.replace("ı", "i").replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("đ", "d")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def key(text: str) -> str:
    """The lookup key of a name (see module docstring)."""
    text = _APOS.sub("", fold(text).lower())
    return _NON_ALNUM.sub(" ", text).strip()


def is_latin(name: str) -> bool:
    """True when a name is written in (folded) Latin script, so it can occur in English text."""
    return bool(_LATIN_OK.match(_APOS.sub("'", fold(name))))


def unit_variants(name: str) -> set[str]:
    """Keys of a unit name with its generic word removed: "Borno State" -> {"borno state", "borno"}."""
    k = key(name)
    out = {k}
    for p in _PREFIXES:
        if k.startswith(p):
            out.add(k[len(p):])
    for w in UNIT_WORDS:
        for v in list(out):
            if v.endswith(" " + w) and len(v) > len(w) + 3:
                out.add(v[: -len(w) - 1])
    for v in list(out):
        if v.startswith("al ") or v.startswith("as ") or v.startswith("ar ") or v.startswith("an "):
            out.add(v[3:])
    return {v for v in out if v}
