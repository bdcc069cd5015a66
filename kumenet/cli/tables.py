"""Commands on the files themselves: validate, info, convert, generate, query, export."""

from __future__ import annotations

from pathlib import Path

import click

from kumenet.cli.base import (
    current_lang,
    wrote,
    AS_OF,
    DATA,
    LAYERS,
    PILOT_FIRMS,
    SEED,
    cli,
    data_options,
    network_output,
    output_options,
    progress,
    split_layers,
    write_output,
)


@cli.command()
@DATA
@data_options
def validate(data, read):
    """Check a network against the input contract.

    Prints every problem with its file, line and column and exits with 1, or prints a
    one-line summary and exits with 0. Duplicate ties and isolated nodes are warnings.

    \b
    Example:
      kumenet validate sample_networks/pilot
    """
    from kumenet.messages import term, text

    net = read(data)
    lang = current_lang()
    click.echo(text("cli.valid", lang, data=str(data), nodes=net.n_nodes, edges=net.n_edges,
                    layers=", ".join(term("layer", la, lang) for la in net.layers)))


@cli.command()
@DATA
@data_options
@click.option("--as-of", type=int, default=None, help="Only ties observed up to this year.")
@output_options
def info(data, read, as_of, output, fmt):
    """Counts per kind, subtype, layer, province, country, sector and year; density per layer.

    \b
    Example:
      kumenet info sample_networks/pilot
      kumenet info sample_networks/pilot --format json -o info.json
    """
    from kumenet.graph.summary import summary

    net = read(data, as_of=as_of).select(as_of=as_of)
    write_output(summary(net), output, fmt)


@cli.command()
@DATA
@data_options
@network_output
@click.option("--partition-by", default=None, metavar="COLUMN",
              help="Parquet: write the ties as a folder of parts, one per value of this edge "
                   "column (year or layer, or yıl, katman); --as-of then reads only the "
                   "years it needs.")
def convert(data, read, output, to, partition_by):
    """Convert a network from any format to any other.

    \b
    Examples:
      kumenet convert sample_networks/pilot -o pilot.xlsx
      kumenet convert pilot.xlsx -o pilot.gexf
      kumenet convert sample_networks/pilot -o pilot_parquet --to parquet
      kumenet convert sample_networks/pilot -o pilot_parts --to parquet --partition-by year
    """
    from kumenet.graph.io import write_network

    net = read(data)
    write_network(net, output, to, partition_by=partition_by)
    wrote(output, _counts(net.n_nodes, net.n_edges))


@cli.command()
@click.option("--firms", type=click.IntRange(min=50), default=PILOT_FIRMS, show_default=True,
              help="Number of firms (institutions are added).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@network_output
def generate(firms, seed, output, to):
    """Generate a synthetic programme network shaped like the pilot provinces'.

    \b
    Examples:
      kumenet generate --firms 10000 --seed 1 -o net10k
      kumenet generate --firms 1000000 --seed 1 -o net1m --to parquet
    """
    from kumenet.graph.generate import generate as make
    from kumenet.graph.io import format_from_suffix, write_network
    from kumenet.graph.network import Network

    nodes, edges = make(firms, seed)
    fmt = to or format_from_suffix(output) or "csv"
    if fmt in ("csv", "csv.gz"):
        # The raw tables, spellings and gaps included, exactly as a user's export would be.
        _write_raw(nodes, edges, output, compress=fmt == "csv.gz")
        n_edges = len(edges)
    else:
        net = Network.from_frames(nodes, edges)
        write_network(net, output, fmt)
        n_edges = net.n_edges
    wrote(output, _counts(len(nodes), n_edges))


def _write_raw(nodes, edges, output: Path, compress: bool) -> None:
    from kumenet.files import atomic_path
    from kumenet.graph.io import write_csv_tables

    with atomic_path(output, folder=True) as tmp:
        write_csv_tables(nodes, edges, tmp, compress)


@cli.command()
@DATA
@click.argument("sql")
@data_options
@LAYERS
@AS_OF
@SEED
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds before the query is stopped.")
@click.option("--max-rows", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Rows shown on screen (-o writes them all).")
@output_options
def query(data, sql, read, layers, as_of, seed, timeout, max_rows, output, fmt):
    """Run one read-only SQL statement (DuckDB) over the network and its results.

    Tables: nodes, edges, layers, node_metrics, communities, group_metrics (computed only
    when the query names them). nodes has name_key and province_key, Turkish-folded
    (lower case, no diacritics) for searching.

    One SELECT, WITH, EXPLAIN, DESCRIBE, SUMMARIZE or SHOW statement; no file, network or
    extension access, and a time limit. Results reach files only through -o.

    \b
    Examples:
      kumenet query sample_networks/pilot "SELECT province, count(*) AS firms FROM nodes WHERE kind = 'firm' GROUP BY 1 ORDER BY 2 DESC"
      kumenet query sample_networks/pilot "SELECT n.name, m.betweenness FROM node_metrics m JOIN nodes n USING (id) ORDER BY 2 DESC LIMIT 10"
      kumenet query sample_networks/pilot "SELECT id, name FROM nodes WHERE name_key LIKE '%isik%'"
    """
    from kumenet.sql import check_statement
    from kumenet.sql import query as run

    check_statement(sql)  # refuse a write before reading the network
    on_screen = output is None and fmt in (None, "table")
    table = run(read(data, as_of=as_of), sql, layers=split_layers(layers), as_of=as_of, seed=seed,
                timeout=timeout, max_rows=max_rows if on_screen else None)
    write_output(table, output, fmt, headers=False)


@cli.group()
def export():
    """Export a network and its results for other tools."""


@export.command("sqlite")
@DATA
@data_options
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="The .db file.")
@LAYERS
@AS_OF
@SEED
def export_sqlite(data, read, output, layers, as_of, seed):
    """Write nodes, edges, layers and computed results to a SQLite file.

    Tables as for 'kumenet query', with indexes on ids and on the Turkish-folded search keys,
    so the data open in any SQL tool (DB Browser for SQLite, DBeaver, Excel via ODBC).

    \b
    Example:
      kumenet export sqlite sample_networks/pilot -o pilot.db
    """
    from kumenet.sql import export_sqlite as run

    names = run(read(data, as_of=as_of), output, progress=lambda items: progress(items, "writing tables"),
                layers=split_layers(layers), as_of=as_of, seed=seed)
    from kumenet.messages import text

    wrote(output, text("cli.tables", current_lang(), names=", ".join(names)))


def _counts(nodes: int, edges: int) -> str:
    from kumenet.messages import text

    return text("cli.counts", current_lang(), nodes=nodes, edges=edges)
