"""Every analysis on generated small networks: an answer or a clear message, never an
internal error or numpy's warnings (staff try kumenet on a handful of firms first)."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kumenet.cli import cli

PROVINCES = ["Samsun", "Trabzon", "Çorum", "Gaziantep", ""]
SECTORS = ["13.93", "10.82", "25.62", "28.30", ""]
LAYERS = ["supply", "collaboration", "membership", "information"]
EXAMPLES = int(os.environ.get("KUMENET_SMALL_NETWORKS", "8"))  # 150 run by hand: 2.5 min
NOISE = ("internal error", "Traceback", "invalid value", "divide by zero", "Mean of empty",
         "Degrees of freedom", "encountered in")


@st.composite
def networks(draw):
    n = draw(st.integers(2, 7))
    kinds = draw(st.lists(st.sampled_from(["firm", "firm", "institution"]), min_size=n,
                          max_size=n))
    rows = ["id,name,kind,subtype,province,country,sector,employees"]
    for i, kind in enumerate(kinds):
        province = draw(st.sampled_from(PROVINCES))
        country = "TR" if province or draw(st.booleans()) else "DE"
        sector = draw(st.sampled_from(SECTORS)) if kind == "firm" else ""
        subtype = "buyer" if kind == "firm" and country != "TR" else ""
        employees = draw(st.sampled_from(["", "0", "12", "250"])) if kind == "firm" else ""
        rows.append(f"N{i},Aktör {i},{kind},{subtype},{province if country == 'TR' else ''},"
                    f"{country},{sector},{employees}")
    dated = draw(st.booleans())
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1),
                                    st.sampled_from(LAYERS), st.integers(2019, 2024)),
                          min_size=1, max_size=12))
    edges = ["source,target,layer" + (",year" if dated else "")]
    seen = set()
    for u, v, layer, year in pairs:
        if u == v or (u, v, layer, year if dated else 0) in seen:
            continue
        seen.add((u, v, layer, year if dated else 0))
        edges.append(f"N{u},N{v},{layer}" + (f",{year}" if dated else ""))
    if len(edges) == 1:
        edges.append("N0,N1,collaboration" + (",2020" if dated else ""))
    return "\n".join(rows) + "\n", "\n".join(edges) + "\n"


COMMANDS = [
    ["info"], ["metrics", "--level", "node"], ["metrics", "--level", "layer"],
    ["metrics", "--level", "group", "--by", "province"], ["communities"],
    ["match", "--all", "--top", "3", "--method", "adamic_adar", "--per-scope"],
    ["match", "--firm", "N0", "--top", "3"], ["match", "--firm", "N0", "--consortium"],
    ["clusters", "evaluate", "--by", "province-sector"], ["regions", "--sector-level", "division"],
    ["potential", "--value", "firms"], ["evaluate", "--split-year", "2021", "--top", "3"],
    ["map", "-o", "{out}/map.html"], ["report", "-o", "{out}/report.html"],
]


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(networks())
def test_every_command_answers_or_explains_on_a_small_network(tmp_path_factory, network):
    folder = tmp_path_factory.mktemp("net")
    nodes, edges = network
    (folder / "nodes.csv").write_text(nodes, encoding="utf-8")
    (folder / "edges.csv").write_text(edges, encoding="utf-8")
    runner = CliRunner()
    for command in COMMANDS:
        command = [part.format(out=folder) for part in command]
        at = 2 if command[0] == "clusters" else 1
        result = runner.invoke(cli, [*command[:at], str(folder), *command[at:]])
        said = result.output
        assert result.exit_code in (0, 1), (command, said, nodes, edges)
        assert not any(word in said for word in NOISE), (command, said, nodes, edges)
