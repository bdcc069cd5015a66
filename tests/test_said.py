"""Every error and warning the command line shows reads in Turkish.

``said_corpus.json`` holds the messages the command line showed during a whole run of this
suite (collected on 2026-12-08 by logging what reached :func:`kumenet.said.said`; temporary
paths shortened). A message added to the library belongs there too, with a pattern in
:data:`kumenet.said.TURKISH`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kumenet.said import TURKISH, said

CORPUS = json.loads((Path(__file__).parent / "said_corpus.json").read_text(encoding="utf-8"))

# Messages the run did not show, one for each pattern the corpus leaves unused.
MORE = [
    "12 problems in the input:\n  a.csv, line 2, column 1 (id): empty id\n  ... and 11 more",
    "nodes.csv, line 1: missing required column 'kind'; the columns are id, name",
    "founded must be a whole number, not the date '1998-03-01' (the cell is formatted as a "
    "date in Excel?)",
    "employees cannot be negative (-3)", "employees cannot be negative",
    "--top must be a whole number", "--alpha must be a finite number",
    "--share must be between 0 and 1", "joined must be a date such as 2021-03-01 or "
    "01.03.2021, not '2021-31-12'",
    "nodes.csv, line 4, column 1 (id): duplicate id 'a' (first at nodes.csv, line 2)",
    "nodes.csv, line 3, column 3 (kind): unknown kind 'şirket'; must be 'firm' or "
    "'institution'",
    "nodes.csv, line 3, column 5 (country): 'Almanyaa' is not an ISO 3166 alpha-2 country code "
    "(such as TR, DE, IQ)",
    "edges.csv, line 2, column 4 (weight): weight must be positive, not '-1'",
    "a decline needs its reason", "history 2: a decline needs a reason of the list",
    "history 3: agreement cannot follow shortlisted",
    "no node with id 'F9'", "3 names begin with 'Yıldız': 'Yıldız A', 'Yıldız B', "
    "'Yıldız C'; give the whole name or the id",
    "2 nodes are named 'Ak Gıda' (ids F1, F2); give the id instead",
    "x.csv: column 'ciro': '1,250' could mean 1250 or 1.25; read as 1250 (',' groups "
    "thousands) because the column holds whole numbers",
    "x.csv: column 'ciro': '1.250' could mean 1250 or 1.25; read as 1.25 ('.' is the decimal "
    "mark) because column 'oran' of the same file writes decimals with a point",
    "x.csv: column 'ciro': '1,250' could mean 1250 or 1.25; read as 1.25 (',' is the decimal "
    "mark) because column 'oran' of the same file writes decimals with a comma",
    "yok/: no such file or folder", "yok.csv: no such file",
    "out is a folder; give a file name (such as out/x.csv)",
    "net.xlsx: decompresses to 900 MiB; kumenet refuses it as a damaged file or a "
    "decompression bomb",
    "nodes.csv, line 2: byte 0xfe at character 3 is not Windows-1254; save the file as UTF-8 "
    "or give the right --encoding",
    "nodes.csv, line 1, column 3 (Ad): the column 'Ad' is given twice (also 'ad'); keep one",
    "no cluster 'Tekne': this network declares none", "no cluster 'Tekne'",
    "no node column 'colour' to compare with",
    "KUMENET_LANG must be tr or en, not 'de'",
    "the query took longer than 10 s and was stopped (--timeout)",
    "no actor with id 'F9'", "no actor with id 'F9' in the network",
    "no region 'XX' in this network's regional tables",
    "no meeting is planned for this introduction", "no introduction 12", "no contact person 3",
    "page not found: /nothing",
    "edges.csv: column 'weight': the decimal mark ',' given does not read 2,272 of its numbers; "
    "read as the file shows (--decimal still shapes the CSV written)",
    "2 problems in the input:\n  edges.csv, line 1: column 'weight': 12 cells are not numbers "
    "with the decimal mark ',' that --decimal gave; without --decimal kumenet decides from the "
    "file",
]

# Words of the interface's English that must not be left in a Turkish message (values,
# file names, SQL and the reasons other libraries give are data, not kumenet's words).
ENGLISH = set("""
the and of in is are not must be no with for to an or as read was were could should give
column line file files only one has have this that cannot can name names year years ties node
nodes firm firms layer layers found unknown missing value values empty kept known which from
by than more less number whole each every use given at on it its duplicate merged skipped
without sheet there into instead such problem problems did you mean separator header fields
folder refuses needs writes choose run rows query showing first last negative positive
""".split())


def english_left(message: str) -> set[str]:
    body = re.sub(r"(?<=[^\W\d_])'[^\W\d_]+", "", message)  # kumenet'in, Excel'de
    body = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`", " ", body)  # values
    body = re.sub(r"\S*\.(csv|xlsx|gz|parquet|graphml|gexf|json|txt|npz|toml|db|unknown)\b\S*"
                  r"|\S*/\S*", " ", body)  # files and paths
    body = re.sub(r"\((?:[^()]|\([^()]*\))*(?:Error|error|File|file|encoding)(?:[^()]|\([^()]*\))*\)",
                  " ", body)  # another library's reason, in parentheses
    body = re.sub(r"(SQL hatası|Parquet dosyası değil|yazılamıyor|okunamıyor): .*", " ", body,
                  flags=re.S)
    body = re.sub(r"sütun \w+ \([^)]*\)|sayfa \S+|\(\w+\)|\(unknown encoding: [^)]*\)", " ",
                  body)  # the file's own column and sheet names
    body = re.sub(r"\S+ (?=tam sayı|dört haneli|sayı olmalı|pozitif|negatif olamaz|sonlu)", " ",
                  body)  # a column named at the start of what its value must be
    body = re.sub(r"--[\w-]+(?: [a-z]+)?|kumenet \w+ \w+|pip install|\b[A-Z]{2,}\b", " ", body)
    body = re.sub(r"(sütunlar|şunlardan birini seçin|kullanın): [\w, ]+", " ", body)
    return {w for w in re.findall(r"[^\W\d_]+", body.lower())} & ENGLISH


@pytest.mark.parametrize("message", CORPUS + MORE, ids=lambda m: m[:60])
def test_every_message_reads_in_turkish(message):
    turkish = said(message, "tr")
    assert not english_left(turkish), turkish
    assert said(message, "en") == message


def test_every_pattern_is_met_by_a_message():
    """No pattern is dead: each one turns at least one message the library writes."""
    unused = [p.pattern for p, _ in TURKISH if not any(p.search(m) for m in CORPUS + MORE)]
    assert unused == []


def test_what_turkish_staff_read():
    assert said("nodes.csv, line 3: has 3 fields where the header has 2; check the separator "
                "(',') and quotes", "tr") == (
        "nodes.csv, satır 3: başlıkta 2 alan varken bu satırda 3 alan var; ayırıcıyı (',') ve "
        "tırnakları kontrol edin")
    assert said("2 node(s) have no ties: N5, N6", "tr") == "2 düğümün bağı yok: N5, N6"
    assert said("nodes.csv: is a named pipe, not a regular file; kumenet reads regular files "
                "only", "tr") == ("nodes.csv: adlandırılmış bir boru, sıradan bir dosya değil; "
                                  "kumenet yalnız sıradan dosyaları okur")
    assert said("a.xlsx, sheet edges, line 2, column D (weight): the formula '=1/0' has no saved "
                "value; open the file in Excel and save it, or paste values", "tr") == (
        "a.xlsx, sayfa edges, satır 2, sütun D (weight): '=1/0' formülünün kaydedilmiş değeri "
        "yok; dosyayı Excel'de açıp kaydedin ya da değerleri yapıştırın")


def test_progress_bars_are_named_in_the_users_language(monkeypatch):
    """Every progress bar a command shows has a name in the catalogue, Turkish by default."""
    from kumenet.cli.base import progress_label
    from kumenet.messages import MESSAGES

    names = set()
    for path in (Path(__file__).parent.parent / "kumenet" / "cli").glob("*.py"):
        names |= set(re.findall(r'progress\([a-z_]+, "([^"]*)"\)', path.read_text("utf-8")))
    assert len(names) >= 8
    assert all(f"progress.{n.replace(' ', '_')}" in MESSAGES for n in names)
    assert progress_label("writing tables") == "tablolar yazılıyor"
    monkeypatch.setenv("KUMENET_LANG", "en")
    assert progress_label("writing tables") == "writing tables"
