"""Script- and accent-neutral forms of names, shared by the stages that compare across languages.

Kept outside the stage packages so that fold and cluster can both use it without importing
each other.
"""

from __future__ import annotations

import unicodedata

# Russian GOST-like romanisation, simplified: what newspapers print ("Путин" -> "putin").
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "_",
            "y",
            "_",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


def fold_name(word: str) -> str:
    """Lower-cased, accent-stripped, Latin-script form: 'Müller'->'muller', 'Москва'->'moskva'."""
    w = unicodedata.normalize("NFKD", word.casefold())
    w = "".join(c for c in w if not unicodedata.combining(c))
    if any("\u0400" <= c <= "\u04ff" for c in w):
        w = "".join(_CYRILLIC.get(c, c) for c in w).replace("_", "")
    return w
