"""Digests of what kumenet makes of the pilot network: the demo's tables and pages, the report in
both languages and every table of the portal's snapshot.

``tests/app/pilot_outputs.json`` holds the digests taken before the one analysis
(:mod:`kumenet.app.analysis`) replaced the computations of the demo, the report and the snapshot;
``test_one_analysis.py`` checks that they have not moved. When an output is meant to change,
regenerate them with ``python -m tests.app.outputs`` and say why in the commit.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import pandas as pd

GOLDEN = Path(__file__).with_name("pilot_outputs.json")
PILOT = Path(__file__).resolve().parents[2] / "sample_networks" / "pilot"
#: Demo outputs that are not a digest of the network (the workspace's random password and
#: salts, the dates a workbook or a GEXF file is written on).
SKIP = {"workspace.db"}


def table_digest(frame: pd.DataFrame) -> str:
    """A digest of a table's columns, types and values (floats to 10 significant digits)."""
    h = hashlib.sha256()
    for column in frame.columns:
        values = frame[column]
        if values.dtype.kind == "f":
            values = values.map(lambda v: "" if pd.isna(v) else f"{v:.10g}")
        h.update(f"{column}|{values.dtype}".encode())
        h.update("\x1f".join(map(str, values.tolist())).encode())
    return h.hexdigest()[:16]


def page_digest(html: str) -> str:
    """A digest of an HTML page without its time stamps."""
    html = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?", "T", html)
    return hashlib.sha256(html.encode()).hexdigest()[:16]


def file_digests(folder: Path) -> dict[str, str]:
    """Each output of a demo folder: tables by content, pages without time stamps."""
    out = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_dir() or name in SKIP:
            continue
        if path.suffix == ".csv":
            out[name] = table_digest(pd.read_csv(path, keep_default_na=False, dtype=str))
        elif path.suffix == ".xlsx":
            sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
            for sheet, frame in sheets.items():
                out[f"{name}:{sheet}"] = table_digest(frame)
        elif path.suffix == ".gexf":
            text = path.read_text(encoding="utf-8")
            out[name] = page_digest(re.sub(r'lastmodifieddate="[^"]*"', "", text))
        else:
            out[name] = page_digest(path.read_text(encoding="utf-8"))
    return out


def snapshot_digests(path: Path) -> dict[str, str]:
    """Each table of a snapshot (without the time it was built and took)."""
    import duckdb

    out = {}
    with duckdb.connect(str(path), read_only=True) as con:
        names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                           "ORDER BY table_name").fetchall()]
        for name in names:
            frame = con.execute(f'SELECT * FROM "{name}"').df()
            if name == "meta":
                frame = frame.drop(columns=["built", "seconds"])
            out[f"snapshot:{name}"] = table_digest(frame)
    return out


def pilot_outputs(work: Path) -> dict[str, str]:
    """Every digest, computed by running the demo, the reports and the snapshot into ``work``."""
    import subprocess

    from kumenet.app.report import build_report
    from kumenet.app.snapshot import build_snapshot
    from kumenet.graph.io import read_network

    demo = work / "demo"
    # The pilot named as a user names it (the report's heading holds the name given): the
    # same digests from any checkout.
    subprocess.run([sys.executable, "-m", "kumenet", "demo", "sample_networks/pilot", "-o",
                    str(demo)], check=True, capture_output=True, cwd=PILOT.parents[1])
    out = {f"demo/{k}": v for k, v in file_digests(demo).items()}
    net = read_network(PILOT)
    for lang in ("tr", "en"):
        out[f"report_{lang}.html"] = page_digest(build_report(net, where="pilot", lang=lang))
    build_snapshot(net, work / "pilot.duckdb", name="pilot")
    out.update(snapshot_digests(work / "pilot.duckdb"))
    return out


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        digests = pilot_outputs(Path(tmp))
    GOLDEN.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN} ({len(digests)} digests)")
