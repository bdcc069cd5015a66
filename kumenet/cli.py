"""The ``kumenet`` command line: parse, call the library, write the result.

Exit codes: 0 success, 1 bad input (a :class:`~kumenet.errors.KumenetError`), 2 usage.
Data go to standard output or ``-o``; messages and warnings go to standard error.
"""

from __future__ import annotations

import functools
import sys
import warnings
from pathlib import Path

import click

from kumenet.errors import KumenetError
from kumenet.output import TABLE_FORMATS, write_tables

PILOT_SEED, PILOT_FIRMS = 2024, 720
PILOT_PATH = Path("sample_networks/pilot")


class KumenetGroup(click.Group):
    """Turns library errors into ``Error: ...`` and exit code 1, warnings into messages."""

    def invoke(self, ctx):
        def show(message, category, filename, lineno, file=None, line=None):
            click.echo(f"Warning: {message}", err=True)

        previous = warnings.showwarning
        warnings.showwarning = show
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("default", UserWarning)
                warnings.showwarning = show
                return super().invoke(ctx)
        except KumenetError as err:
            click.echo(f"Error: {err}", err=True)
            ctx.exit(1)
        finally:
            warnings.showwarning = previous


def data_options(func):
    """Options every command that reads a network takes."""
    @click.option("--sep", type=click.Choice([",", ";", "tab"]), default=None,
                  help="CSV separator (detected when not given).")
    @click.option("--decimal", type=click.Choice([".", ","]), default=None,
                  help="Decimal mark in CSV files (detected per column when not given).")
    @click.option("--encoding", default=None,
                  help="CSV encoding (UTF-8, then Windows-1254, when not given).")
    @click.option("--directed-layers", default=None, metavar="L1,L2",
                  help="Layers whose ties have a direction (default: what the file says, "
                       "else supply,membership).")
    @functools.wraps(func)
    def wrapper(*args, sep, decimal, encoding, directed_layers, **kwargs):
        kwargs["read"] = functools.partial(
            _read, sep=sep, decimal=decimal, encoding=encoding,
            directed_layers=None if directed_layers is None else
            [s.strip() for s in directed_layers.split(",") if s.strip()])
        return func(*args, **kwargs)
    return wrapper


def _read(data, **options):
    from kumenet.graph.io import read_network

    return read_network(data, **options)


def output_options(func):
    func = click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default=None,
                        help="Output format (default: table on screen, or from -o's suffix).")(func)
    func = click.option("-o", "--output", default=None, metavar="FILE",
                        help="Write to FILE instead of the screen.")(func)
    return func


DATA = click.argument("data", type=click.Path(path_type=Path))


@click.group(cls=KumenetGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kumenet")
def cli():
    """kumenet: inter-firm collaboration networks for SME cluster programmes.

    DATA is a folder with nodes.csv and edges.csv (or .csv.gz, or .parquet), an .xlsx
    workbook with sheets nodes and edges, or a .graphml / .gexf file.

    \b
    Start with:
      kumenet demo
      kumenet info sample_networks/pilot
    """


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
    net = read(data)
    click.echo(f"OK: {data}: {net.n_nodes:,} nodes, {net.n_edges:,} edges, "
               f"layers {', '.join(net.layers)}")


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

    net = read(data).select(as_of=as_of)
    write_tables(summary(net), output, fmt)


@cli.command()
@DATA
@data_options
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="Where to write: a folder, or a .xlsx, .graphml or .gexf file.")
@click.option("--to", "to", type=click.Choice(["csv", "csv.gz", "parquet", "xlsx", "graphml", "gexf"]),
              default=None, help="Format (default: from the output's suffix, else a CSV folder).")
def convert(data, read, output, to):
    """Convert a network from any format to any other.

    \b
    Examples:
      kumenet convert sample_networks/pilot -o pilot.xlsx
      kumenet convert pilot.xlsx -o pilot.gexf
      kumenet convert sample_networks/pilot -o pilot_parquet --to parquet
    """
    from kumenet.graph.io import write_network

    net = read(data)
    write_network(net, output, to)
    click.echo(f"wrote {output} ({net.n_nodes:,} nodes, {net.n_edges:,} edges)", err=True)


@cli.command()
@click.option("--firms", type=click.IntRange(min=50), default=PILOT_FIRMS, show_default=True,
              help="Number of firms (institutions are added).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="Folder (or .xlsx/.graphml/.gexf file) to write.")
@click.option("--to", "to", type=click.Choice(["csv", "csv.gz", "parquet", "xlsx", "graphml", "gexf"]),
              default=None, help="Format (default: from the output's suffix, else a CSV folder).")
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
    click.echo(f"wrote {output} ({len(nodes):,} nodes, {n_edges:,} edges)", err=True)


def _write_raw(nodes, edges, output: Path, compress: bool) -> None:
    from kumenet.graph.io import atomic_path, write_csv_tables

    with atomic_path(output, folder=True) as tmp:
        write_csv_tables(nodes, edges, tmp, compress)


def pilot_network():
    """The pilot sample: read from sample_networks/pilot when present, else generated."""
    from kumenet.graph.generate import generate as make
    from kumenet.graph.io import read_network
    from kumenet.graph.network import Network

    if PILOT_PATH.exists():
        return read_network(PILOT_PATH), str(PILOT_PATH)
    nodes, edges = make(PILOT_FIRMS, PILOT_SEED)
    return Network.from_frames(nodes, edges), f"generated (--firms {PILOT_FIRMS} --seed {PILOT_SEED})"


@cli.command()
@click.argument("data", required=False, type=click.Path(path_type=Path))
@data_options
@click.option("-o", "--output", default="demo-output", show_default=True,
              type=click.Path(path_type=Path), help="Folder for the outputs.")
def demo(data, read, output):
    """Run the main job on the pilot network (or DATA) and write its outputs to a folder.

    \b
    Example:
      kumenet demo -o demo-output
    """
    from kumenet.demo import run_demo

    if data is None:
        net, where = pilot_network()
    else:
        net, where = read(data), str(data)
    run_demo(net, where, output)


def main(argv=None):
    """Entry point of the console script and ``python -m kumenet``."""
    return cli.main(args=argv, prog_name="kumenet")


if __name__ == "__main__":
    sys.exit(main())
