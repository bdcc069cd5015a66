"""The command line's errors and warnings in the user's language.

The library raises and warns in English (scripts and logs read stable text); the command line
says the same in Turkish by default: the frame of a problem list (file, line, column), and the
messages staff meet most (a number that is not one, an unknown firm with "did you mean", a
year before the data, an ambiguous ``1.200``, dates read as years, the SQL refusals, a file
that is not there). A message this table does not know is shown as it is.
"""

from __future__ import annotations

import re

__all__ = ["said", "PREFIX"]

#: How an error and a warning begin.
PREFIX = {"en": ("Error", "Warning"), "tr": ("Hata", "Uyarı")}


def _or(match: re.Match) -> str:
    return match.group(0).replace(" or ", " ya da ")


#: (English pattern, Turkish replacement), applied in order to the whole message.
TURKISH: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p, re.M), r) for p, r in (
    # the frame of an InputDataError and of a Problem
    (r"^1 problem in the input:", "girdide 1 sorun var:"),
    (r"^(\d[\d,]*) problems in the input:", r"girdide \1 sorun var:"),
    (r"^  \.\.\. and (\d[\d,]*) more$", r"  ... ve \1 sorun daha"),
    (r", line (\d+)", r", satır \1"),
    (r", column (\d+|[A-Z]{1,3})\b", r", sütun \1"),
    (r"missing required column ('[^']*'); the columns are (.+)$",
     r"gerekli \1 sütunu eksik; sütunlar: \2"),
    (r"\bcolumn ('[^']*')(?=: | read as)", r"\1 sütunu"),
    # values
    (r"(\S+) must be a whole number, not the date (.+?) \(the cell is formatted as a date in "
     r"Excel\?\)", r"\1 tam sayı olmalı, \2 tarihi değil (hücre Excel'de tarih biçiminde mi?)"),
    (r"(\S+) must be a whole number, not (.+?)( \(read as [^)]*\))?$",
     r"\1 tam sayı olmalı, \2 değil"),
    (r"(\S+) must be a number, not (.+)$", r"\1 sayı olmalı, \2 değil"),
    (r"(\S+) must be between (\S+) and (\S+), not (.+)$", r"\1 \2 ile \3 arasında olmalı, "
     r"\4 değil"),
    (r"(\S+) cannot be negative \((.+?)\)", r"\1 negatif olamaz (\2)"),
    (r"(\S+) cannot be negative$", r"\1 negatif olamaz"),
    (r"(\S+) must be a four-digit year, not (.+)$", r"\1 dört haneli bir yıl olmalı, \2 değil"),
    # names
    (r"no firm or institution named ('(?:[^'\\]|\\.)*'|\"[^\"]*\")",
     r"\1 adında firma ya da kurum yok"),
    (r"no node with id ('(?:[^'\\]|\\.)*')", r"\1 kimlikli düğüm yok"),
    (r"('(?:[^'\\]|\\.)*') is not a node id in the nodes table",
     r"\1 düğüm tablosunda bir kimlik değil"),
    (r"unknown province ('(?:[^'\\]|\\.)*')", r"bilinmeyen il \1"),
    (r" \(did you mean (.+?)\?\)", r" (bunu mu demek istediniz: \1?)"),
    (r"(\d+) names begin with ('(?:[^'\\]|\\.)*'): (.+); give the whole name or the id",
     r"\2 ile başlayan \1 ad var: \3; adın tamamını ya da kimliği verin"),
    (r"(\d+) nodes are named ('(?:[^'\\]|\\.)*') \(ids (.+?)\); give the id instead",
     r"\1 düğümün adı \2 (kimlikler \3); kimliği verin"),
    (r"^('(?:[^'\\]|\\.)*') read as ('(?:[^'\\]|\\.)*') \(id (\S+)\), the only name that "
     r"begins so", r"\1, \2 olarak okundu (kimlik \3): böyle başlayan tek ad bu"),
    # years and layers
    (r"no ties up to (\d+); the first year is (\d+)", r"\1 yılına kadar bağ yok; ilk yıl \2"),
    (r"the ties have no year, so every tie counts as of (\d+)",
     r"bağların yılı yok; \1 itibarıyla her bağ sayılır"),
    (r"no layer named ('(?:[^'\\]|\\.)*'); the layers are (.+)$",
     r"\1 adında katman yok; katmanlar: \2"),
    # the decimal mark and dates
    (r"('[^']*') could mean (\S+) or (\S+); read as (\S+) \(", r"\1 \2 ya da \3 olabilir; "
     r"\4 olarak okundu ("),
    (r"'\.' groups thousands", "'.' binlik ayırıcı"),
    (r"',' groups thousands", "',' binlik ayırıcı"),
    (r"'\.' is the decimal mark", "'.' ondalık ayırıcı"),
    (r"',' is the decimal mark", "',' ondalık ayırıcı"),
    (r"\) because the column holds whole numbers", ") çünkü sütunda tam sayılar var"),
    (r"\) because column ('[^']*') of the same file writes decimals with a comma",
     r") çünkü aynı dosyanın \1 sütunu ondalıkları virgülle yazıyor"),
    (r"\) because column ('[^']*') of the same file writes decimals with a point",
     r") çünkü aynı dosyanın \1 sütunu ondalıkları noktayla yazıyor"),
    (r"; give --decimal to choose", "; seçmek için --decimal verin"),
    (r"(\d[\d,]*) dates? \(([^)]*)\) read as (?:their|its) years? ",
     r"\1 tarih (\2) yılı olarak okundu "),
    (r" read as dates \(([^)]*)\)", r" tarih olarak okundu (\1)"),
    # files
    (r": no such file or folder$", ": böyle bir dosya ya da klasör yok"),
    (r": no such file$", ": böyle bir dosya yok"),
    (r"^cannot write (.+?): (.+)$", r"\1 yazılamıyor: \2"),
    (r"^(.+) is a folder; give a file name", r"\1 bir klasör; bir dosya adı verin"),
    # SQL
    (r"^only reading is allowed \(SELECT, WITH, EXPLAIN, DESCRIBE, SUMMARIZE, SHOW\); this is "
     r"(\w+)\. Write results with -o instead",
     r"yalnız okuma yapılabilir (SELECT, WITH, EXPLAIN, DESCRIBE, SUMMARIZE, SHOW); bu bir "
     r"\1. Sonuçları -o ile yazın"),
    (r"^give one SQL statement, not (\d+)", r"tek bir SQL ifadesi verin, \1 değil"),
    (r"^SQL refused: queries cannot read or write files, the network or extensions",
     "SQL reddedildi: sorgular dosya, ağ ya da eklenti okuyamaz, yazamaz"),
    (r"^the query took longer than (\S+) s and was stopped", r"sorgu \1 sn'den uzun sürdü ve "
     r"durduruldu"),
    (r"^SQL error: ", "SQL hatası: "),
))


def said(message: str, lang: str) -> str:
    """``message`` in ``lang``: Turkish through :data:`TURKISH` (what it does not know stays
    as it is), English unchanged.

    >>> said("2 problems in the input:\\n  nodes.csv, line 3, column 8 (employees): "
    ...      "employees must be a whole number, not 'on iki'", "tr").splitlines()
    ['girdide 2 sorun var:', "  nodes.csv, satır 3, sütun 8 (employees): employees tam sayı olmalı, 'on iki' değil"]
    >>> said("no firm or institution named 'Yildiz Medikl' (did you mean 'Kılıç Medikal A.Ş.' "
    ...      "or 'Yıldız Medikal'?)", "tr")
    "'Yildiz Medikl' adında firma ya da kurum yok (bunu mu demek istediniz: 'Kılıç Medikal A.Ş.' ya da 'Yıldız Medikal'?)"
    >>> said("no ties up to 2010; the first year is 2015", "en")
    'no ties up to 2010; the first year is 2015'
    """
    if lang != "tr":
        return message
    out = message
    for pattern, replacement in TURKISH:
        out = pattern.sub(replacement, out)
    # "or" between the names a "did you mean" offers
    return re.sub(r"\(bunu mu demek istediniz: .+?\?\)", _or, out)
