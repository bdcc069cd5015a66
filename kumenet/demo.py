"""``kumenet demo``: the main job on one network, its outputs written to a folder."""

from __future__ import annotations

from pathlib import Path

import click

from kumenet.graph.io import write_network
from kumenet.graph.network import Network
from kumenet.graph.summary import summary
from kumenet.output import render, write_tables


def run_demo(net: Network, where: str, output: Path) -> list[Path]:
    """Write the demo outputs for ``net`` into ``output`` and print what was written."""
    output.mkdir(parents=True, exist_ok=True)
    written = []
    click.echo(f"kumenet demo on {where}: {net!r}", err=True)
    tables = summary(net)
    click.echo(render({k: tables[k] for k in ("overview", "layers")}, "table"))
    write_tables(tables, str(output / "info.xlsx"))
    written.append(output / "info.xlsx")
    for name in ("network.xlsx", "network.graphml", "network.gexf"):
        written.append(write_network(net, output / name))
    written.append(write_network(net, output / "network_csv"))
    click.echo("Wrote:")
    for path in written:
        click.echo(f"  {path}")
    return written
