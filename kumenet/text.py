"""Turkish-aware text handling: case folding, matching keys, sorting and "did you mean".

Python's ``str.lower`` maps ``I`` to ``i`` and ``İ`` to ``i̇`` (i + combining dot), which is wrong
for Turkish, where the pairs are I/ı and İ/i. Everything in kumenet that compares or sorts
names goes through this module.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd

_TR_LOWER = str.maketrans({"I": "ı", "İ": "i"})
_TR_UPPER = str.maketrans({"i": "İ", "ı": "I"})
# Folding for matching: what people type without a Turkish keyboard.
_ASCII = str.maketrans({
    "ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u",
    "â": "a", "î": "i", "û": "u", "ä": "a", "é": "e", "è": "e",
})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")

# Turkish alphabetical order (TDK): ç after c, ğ after g, ı before i, ö after o, ş after s, ü after u.
_ALPHABET = "0123456789aâbcçdefgğhıiîjklmnoöpqrsştuûüvwxyz"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}


def tr_lower(text: str) -> str:
    """Lower-case ``text`` by Turkish rules.

    >>> tr_lower("İSTANBUL IĞDIR")
    'istanbul ığdır'
    """
    return text.translate(_TR_LOWER).lower()


def tr_upper(text: str) -> str:
    """Upper-case ``text`` by Turkish rules.

    >>> tr_upper("diyarbakır")
    'DİYARBAKIR'
    """
    return text.translate(_TR_UPPER).upper()


def tr_title(text: str) -> str:
    """Title-case ``text`` by Turkish rules.

    >>> tr_title("ıSPARTA iLİ")
    'Isparta İli'
    """
    return " ".join(tr_upper(w[:1]) + tr_lower(w[1:]) for w in text.split(" "))


def fold(text: str) -> str:
    """A key for matching names typed in any case, with or without Turkish letters.

    Case is folded by Turkish rules, diacritics are dropped and every run of
    punctuation or space becomes one space.

    >>> fold("KAHRAMANMARAŞ") == fold("Kahramanmaras") == fold("kahramanmaraş")
    True
    >>> fold("K.Maraş")
    'k maras'
    """
    text = unicodedata.normalize("NFC", str(text))
    text = tr_lower(text).translate(_ASCII)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", text).strip()


def slug(text: str) -> str:
    """A file name for ``text`` that every system keeps: folded (see :func:`fold`), words
    joined by ``_``; ``_`` alone when nothing is left.

    >>> slug("Kahramanmaraş metal mutfak eşyası"), slug("Çorum / leblebi"), slug("***")
    ('kahramanmaras_metal_mutfak_esyasi', 'corum_leblebi', '_')
    """
    return fold(text).replace(" ", "_")[:80] or "_"


def map_distinct(values: pd.Series, func, categorical: bool = False) -> pd.Series:
    """``func`` applied to each distinct value of ``values`` once (missing stays missing).

    Columns such as kind, province or layer hold a handful of distinct values in millions of
    rows, so this is the vectorised way to apply a Python string function to them. With
    ``categorical=True`` the result is a categorical built straight from the codes.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):  # the codes are there already
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.array([func(u) for u in uniques] + [None], dtype=object)
    if categorical:
        new_codes, categories = pd.factorize(mapped[:-1], use_na_sentinel=True)
        if len(categories) < len(new_codes) or (new_codes != np.arange(len(new_codes))).any():
            new_codes = np.append(new_codes, -1)[codes]
        else:  # each value mapped to its own, in order: the codes stay as they are
            new_codes = codes
        return pd.Series(pd.Categorical.from_codes(new_codes, categories=categories),
                         index=values.index)
    return pd.Series(mapped[codes], index=values.index, dtype=object)


def fold_series(values: pd.Series) -> pd.Series:
    """:func:`fold` over a Series (see :func:`map_distinct`)."""
    return map_distinct(values, fold)


def sort_key(text: str) -> tuple:
    """A key that sorts strings in Turkish alphabetical order.

    >>> sorted(["Zonguldak", "Çorum", "Ceyhan", "Isparta", "İzmir", "Ordu", "Ödemiş"], key=sort_key)
    ['Ceyhan', 'Çorum', 'Isparta', 'İzmir', 'Ordu', 'Ödemiş', 'Zonguldak']
    """
    low = tr_lower(unicodedata.normalize("NFC", str(text)))
    return tuple(_RANK.get(c, 1000 + ord(c)) for c in low)


def sort_series_key(values: pd.Series) -> pd.Series:
    """:func:`sort_key` as a ``key=`` for :meth:`pandas.DataFrame.sort_values`."""
    return values.map(lambda v: sort_key(v) if isinstance(v, str) else (10_000,))


def did_you_mean(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """The ``n`` choices closest to ``word``, compared on their folded forms.

    >>> did_you_mean("Gazintep", ["Gaziantep", "Samsun", "Trabzon"])
    ['Gaziantep']
    >>> did_you_mean("yildiz medikal", ["Kılıç Medikal A.Ş.", "Yıldız Medikal San. Tic. Ltd. Şti."])
    ['Yıldız Medikal San. Tic. Ltd. Şti.', 'Kılıç Medikal A.Ş.']
    """
    choices = list(dict.fromkeys(str(c) for c in choices))
    by_key: dict[str, str] = {}
    for c in choices:
        by_key.setdefault(fold(c), c)
    target = fold(word)
    # Names that begin with what was typed come first ("Yıldız Medikal" for "Yıldız Medikal
    # San. Tic. Ltd. Şti."), then the closest by spelling, then names that contain it.
    starts = sorted((k for k in by_key if target and (k == target or k.startswith(target + " "))),
                    key=len)[:n]
    close = difflib.get_close_matches(target, list(by_key), n=n, cutoff=0.6)
    inside = [k for k in by_key if target and target in k][:n]
    hits = list(dict.fromkeys(starts + close + ([] if close else inside)))[:n]
    return [by_key[h] for h in hits]


def suggestion(word: str, choices: Iterable[str]) -> str:
    """``' (did you mean X?)'`` or an empty string."""
    hits = did_you_mean(word, choices)
    if not hits:
        return ""
    return " (did you mean " + " or ".join(repr(h) for h in hits) + "?)"
