"""NACE Rev.2 sectors: codes at each level and their titles (packaged reference data)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from kumenet.errors import KumenetError

__all__ = ["sector_codes", "sector_titles", "short_titles"]


#: NACE Rev.2 divisions -> sections (used to read firm sectors at section level).
SECTIONS = [("A", 1, 3), ("B", 5, 9), ("C", 10, 33), ("D", 35, 35), ("E", 36, 39), ("F", 41, 43),
            ("G", 45, 47), ("H", 49, 53), ("I", 55, 56), ("J", 58, 63), ("K", 64, 66),
            ("L", 68, 68), ("M", 69, 75), ("N", 77, 82), ("O", 84, 84), ("P", 85, 85),
            ("Q", 86, 88), ("R", 90, 93), ("S", 94, 96), ("T", 97, 98), ("U", 99, 99)]


def sector_codes(sectors: pd.Series, level: str = "division") -> pd.Series:
    """NACE codes at ``class`` (as given), ``division`` or ``section`` level.

    >>> sector_codes(pd.Series(['22.29', '10.82', None]), 'division').tolist()
    ['22', '10', <NA>]
    >>> sector_codes(pd.Series(['22.29', '10.82', None]), 'section').tolist()
    ['C', 'C', None]
    """
    text = sectors.astype("string")
    if level == "class":
        return text.astype(object)
    digits = text.str.extract(r"^\s*(\d{2})", expand=False)
    if level == "division":
        return digits.astype(object)
    if level == "section":
        lookup = np.full(100, None, dtype=object)
        for letter, low, high in SECTIONS:
            lookup[low:high + 1] = letter
        number = pd.to_numeric(digits, errors="coerce").fillna(0).astype(int).to_numpy()
        return pd.Series(lookup[number], index=sectors.index, dtype=object)
    raise KumenetError(f"unknown sector level {level!r}; use class, division or section")


@cache
def sector_titles(level: str = "division", lang: str = "en") -> dict[str, str]:
    """Code -> title of NACE sections, divisions (ISIC Rev.4 titles in English; TÜİK's NACE
    Rev.2 titles in Turkish) or classes (the classes kumenet knows).

    >>> sector_titles('division', 'tr')['22'], sector_titles('division', 'en')['22']
    ('Kauçuk ve plastik ürünlerin imalatı', 'Manufacture of rubber and plastics products')
    """
    if level == "class":
        table = pd.read_csv(resources.files("kumenet.data") / "sectors.csv", dtype=str)
        return dict(zip(table["code"], table["title_tr" if lang == "tr" else "title_en"]))
    table = pd.read_csv(resources.files("kumenet.data") / "isic4_sections_divisions.csv", dtype=str)
    table = table[table["level"] == level]
    return dict(zip(table["code"], table["title_tr" if lang == "tr" else "title"]))


@cache
def short_titles(lang: str = "en") -> dict[str, str]:
    """Short names of the packaged NACE classes ('cotton yarn', 'pamuk ipliği').

    >>> short_titles('tr')['13.10'], short_titles('en')['13.10']
    ('pamuk ipliği', 'cotton yarn')
    """
    with resources.files("kumenet.data").joinpath("sectors.csv").open("rb") as fh:
        table = pd.read_csv(fh, dtype=str, encoding="utf-8")
    return dict(zip(table["code"], table["short_tr" if lang == "tr" else "short"]))
