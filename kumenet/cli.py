"""The ``kumenet`` command line: parse, call the library, write the result.

Exit codes: 0 success, 1 bad input (a :class:`~kumenet.errors.KumenetError`), 2 usage,
3 an internal error (a bug: one line by default, the traceback with ``--debug``).
Data go to standard output or ``-o``; messages and warnings go to standard error.
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
import warnings
from pathlib import Path

import click

from kumenet.choices import (COMMUNITY_METHODS, NETWORK_FORMATS, SCOPE_CHOICES, SCORERS,
                             SOURCE_KINDS, TABLE_FORMATS)
from kumenet.errors import KumenetError, clip
from kumenet.memory import reuse_freed_memory

PILOT_SEED, PILOT_FIRMS = 2024, 720
PILOT_PATH = Path("sample_networks/pilot")


class KumenetGroup(click.Group):
    """Turns library errors into ``Error: ...`` and exit code 1, warnings into messages, and
    anything unexpected into one line and exit code 3 (``--debug`` shows the traceback)."""

    def invoke(self, ctx):
        memory = {}  # the warnings seen before about the command's DATA (kumenet.seen)

        def show(message, category, filename, lineno, file=None, line=None):
            if ctx.params.get("quiet"):
                return
            said = str(message)
            if said in memory.setdefault("shown", set()):  # each warning once per command
                return
            memory["shown"].add(said)
            seen = _seen_warnings(memory)
            if seen is not None and not seen.first_time(said) and not memory["always"]:
                memory["folded"] = memory.get("folded", 0) + 1
                return
            click.echo(f"Warning: {said}", err=True)

        previous = warnings.showwarning
        warnings.showwarning = show
        try:
            with warnings.catch_warnings(), reuse_freed_memory():
                warnings.simplefilter("always", UserWarning)  # show() says each once
                warnings.showwarning = show
                return super().invoke(ctx)
        except KumenetError as err:
            click.echo(f"Error: {err}", err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except Exception as err:  # the net under everything: never a traceback by default
            if ctx.params.get("debug") or os.environ.get("KUMENET_DEBUG"):
                traceback.print_exc()
            else:
                text = " ".join(str(err).split())
                click.echo(f"internal error: {type(err).__name__}: {clip(text, 200, quote=False)}"
                           "; rerun with --debug for details", err=True)
            ctx.exit(3)
        finally:
            warnings.showwarning = previous
            _fold_seen_warnings(memory)


def _seen_warnings(memory: dict):
    """The memory of warnings shown before about the running command's DATA, or None (no
    DATA, or ``KUMENET_REPEAT_WARNINGS=1``); ``validate`` shows them all and remembers them."""
    if "seen" not in memory:
        from kumenet.seen import SeenWarnings

        context = click.get_current_context(silent=True)
        data = context.params.get("data") if context else None
        repeat = os.environ.get("KUMENET_REPEAT_WARNINGS", "") not in ("", "0")
        if data is None or repeat:
            memory["seen"] = None
        else:
            memory["seen"] = SeenWarnings(Path(data))
            memory["always"] = context.command.name == "validate"
            memory["data"] = str(data)
            memory["lang"] = context.params.get("lang") or "en"
    return memory["seen"]


def _fold_seen_warnings(memory: dict) -> None:
    """Remember the warnings this command showed; say in one line how many it did not
    repeat."""
    from kumenet.messages import text

    seen = memory.get("seen")
    if seen is None:
        return
    seen.save()
    if memory.get("folded"):
        click.echo(text("cli.warnings_seen", memory["lang"], n=memory["folded"],
                        data=memory["data"]), err=True)


def data_options(func):
    """Options every command that reads a network takes."""
    @click.option("--sep", type=click.Choice([",", ";", "tab"]), default=None,
                  help="CSV separator of the files read and written (detected in input when "
                       "not given).")
    @click.option("--decimal", type=click.Choice([".", ","]), default=None,
                  help="Decimal mark of the CSV files read and written (detected per input "
                       "column when not given).")
    @click.option("--encoding", default=None,
                  help="CSV encoding (UTF-8, then Windows-1254, when not given).")
    @click.option("--directed-layers", default=None, metavar="L1,L2",
                  help="Layers whose ties have a direction (default: what the file says, "
                       "else supply,membership).")
    @click.option("--nodes-sheet", default=None, metavar="SHEET",
                  help="The workbook's sheet of nodes, or several comma-separated (default: "
                       "'nodes' or a usual Turkish name such as Düğümler; Firmalar and "
                       "Kurumlar are read together).")
    @click.option("--edges-sheet", default=None, metavar="SHEET",
                  help="The workbook's sheet of ties (default: 'edges' or a usual Turkish "
                       "name such as İlişkiler, Bağlar).")
    @functools.wraps(func)
    def wrapper(*args, sep, decimal, encoding, directed_layers, nodes_sheet, edges_sheet,
                **kwargs):
        # The same --sep and --decimal shape the CSV the command writes.
        click.get_current_context().meta["kumenet.csv"] = {"sep": sep, "decimal": decimal}
        kwargs["read"] = functools.partial(
            _read, sep=sep, decimal=decimal, encoding=encoding, nodes_sheet=nodes_sheet,
            edges_sheet=edges_sheet,
            directed_layers=None if directed_layers is None else
            [s.strip() for s in directed_layers.split(",") if s.strip()])
        return func(*args, **kwargs)
    return wrapper


def _read(data, as_of=None, **options):
    """Read a network; an ``as_of`` year is checked against its years at once."""
    from kumenet.graph.io import read_network

    net = read_network(data, as_of=as_of, **options)  # partitioned files: only parts needed
    net.check_as_of(as_of)
    return net


def _write(tables, output, fmt, progress=None, what: str | None = None,
           lang: str = "en") -> None:
    """Write result tables (see ``write_tables``) with the command's ``--sep`` and
    ``--decimal`` for CSV, and say on standard error which file was written (in ``lang``)."""
    from kumenet.messages import text

    from kumenet.output import write_tables

    csv = click.get_current_context().meta.get("kumenet.csv", {})
    write_tables(tables, output, fmt, progress=progress, **csv)
    if output not in (None, "-"):
        click.echo(text("cli.wrote_what", lang, path=str(output), what=what) if what else
                   text("cli.wrote", lang, path=str(output)), err=True)


def output_options(func):
    func = click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default=None,
                        help="Output format (default: table on screen, or from -o's suffix).")(func)
    func = click.option("-o", "--output", default=None, metavar="FILE",
                        help="Write to FILE instead of the screen.")(func)
    return func


DATA = click.argument("data", type=click.Path(path_type=Path))


def engine_options(func):
    """--engine and --scheduler: where the blocks of the work run (see kumenet.engine)."""
    @click.option("--engine", "engine_name", type=click.Choice(["local", "dask"]),
                  default="local", show_default=True,
                  help="Run the blocks of the work here, or on Dask (pip install "
                       "'kumenet[dask]'); the result is the same.")
    @click.option("--scheduler", default=None, metavar="ADDRESS",
                  help="A Dask scheduler such as tcp://host:8786 (default: "
                       "KUMENET_SCHEDULER, else a local cluster of one process per core).")
    @functools.wraps(func)
    def wrapper(*args, engine_name, scheduler, **kwargs):
        from kumenet import engine

        with engine.use(engine_name, scheduler) as running:
            if running is not None:
                note(running.describe(kwargs.get("lang", "en")))
            return func(*args, **kwargs)
    return wrapper


def network_output(func):
    """-o and --to for commands that write a network."""
    func = click.option("--to", "to", type=click.Choice(NETWORK_FORMATS), default=None,
                        help="Format (default: from the output's suffix, else a CSV folder)."
                        )(func)
    return click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
                        help="A folder, or a .xlsx, .graphml or .gexf file.")(func)


@click.group(cls=KumenetGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kumenet")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or notes on standard error.")
def cli(debug, quiet):
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

    net = read(data, as_of=as_of).select(as_of=as_of)
    _write(summary(net), output, fmt)


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
    click.echo(f"wrote {output} ({net.n_nodes:,} nodes, {net.n_edges:,} edges)", err=True)


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
    click.echo(f"wrote {output} ({len(nodes):,} nodes, {n_edges:,} edges)", err=True)


def _write_raw(nodes, edges, output: Path, compress: bool) -> None:
    from kumenet.files import atomic_path
    from kumenet.graph.io import write_csv_tables

    with atomic_path(output, folder=True) as tmp:
        write_csv_tables(nodes, edges, tmp, compress)


def quiet() -> bool:
    """Whether ``--quiet`` was given (no progress bars, no notes)."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().params.get("quiet"))


def progress(items, desc: str):
    """A progress bar on standard error, shown on a terminal once the step takes two seconds
    (never with --quiet)."""
    from tqdm import tqdm

    return tqdm(items, desc=desc, file=sys.stderr, disable=True if quiet() else None,
                leave=False, delay=2)


def note(message: str) -> None:
    """A line on standard error about what kumenet is doing (silenced by --quiet)."""
    if not quiet():
        click.echo(message, err=True)


def _layers(value: str | None):
    return None if value is None else [p.strip() for p in value.split(",") if p.strip()]


LAYERS = click.option("--layers", default=None, metavar="L1,L2",
                      help="Layers to use, flattened (default: all).")
AS_OF = click.option("--as-of", type=int, default=None, help="Only ties observed up to this year.")
SEED = click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
LANG = click.option("--lang", type=click.Choice(["tr", "en"]), default="tr", show_default=True,
                    help="Language of the words people read (reasons, labels, profiles, "
                         "titles): Turkish, or English.")


@cli.command()
@DATA
@data_options
@click.option("--level", type=click.Choice(["node", "layer", "group"]), default="node",
              show_default=True, help="One row per node, per layer, or per group.")
@click.option("--by", default="province", show_default=True,
              help="Grouping for --level group and for brokerage roles: province, nuts2, nuts1, "
                   "sector, cluster, community, or any node column.")
@LAYERS
@AS_OF
@click.option("--per-layer", is_flag=True, help="Node level: also each layer on its own.")
@click.option("--betweenness-sample", type=click.IntRange(min=1), default=None,
              help="Source nodes for estimated betweenness (default: exact up to 20,000 nodes).")
@SEED
@engine_options
@output_options
def metrics(data, read, level, by, layers, as_of, per_layer, betweenness_sample, seed, output, fmt):
    """Graph metrics per node, per layer or per group.

    \b
    node:  degree, strength, PageRank, betweenness, eigenvector, coreness, clustering,
           Burt's constraint and effective size, Gould-Fernandez brokerage roles,
           multiplex participation and versatility
    layer: size, density, components, transitivity, reciprocity; layer overlap
    group: size, internal density, clustering, openness (intra-regional, interregional,
           international shares), E-I index, institutional embeddedness, brokers

    \b
    Examples:
      kumenet metrics sample_networks/pilot --level group --by province
      kumenet metrics sample_networks/pilot --level node --layers supply -o nodes.csv
      kumenet metrics sample_networks/pilot --level layer
    """
    from kumenet.graph import metrics as m

    net = read(data, as_of=as_of)
    layers = _layers(layers)
    groups = by
    if by == "community":
        from kumenet.graph.communities import communities

        import pandas as pd

        partition = communities(net, layers=layers, seed=seed, as_of=as_of)
        groups = pd.Series(partition.membership).astype(str)
    if level == "node":
        table = m.node_metrics(net, layers, as_of, per_layer=per_layer, groups=groups,
                               betweenness_sample=betweenness_sample, seed=seed,
                               progress=lambda items: progress(items, "node metrics"))
        sample = table.attrs.get("betweenness_sources") or {}
        extra = m.participation(net, as_of)[["id", "participation"]].merge(
            m.versatility(net, as_of=as_of)[["id", "versatility"]], on="id")
        table = table.merge(extra, on="id", how="left")
        if any(v != "exact" for v in sample.values()):
            click.echo(f"betweenness estimated from {sample} sampled source nodes", err=True)
        _write(table, output, fmt)
    elif level == "layer":
        _write({"layers": m.layer_metrics(net, as_of), "overlap": m.layer_overlap(net, as_of)},
                     output, fmt)
    else:
        _write(m.group_metrics(net, groups, layers, as_of), output, fmt)


@cli.command()
@DATA
@data_options
@click.option("--method", type=click.Choice(list(COMMUNITY_METHODS)), default="leiden",
              show_default=True, help="Community detection method.")
@LAYERS
@click.option("--resolution", type=float, default=None,
              help="Modularity resolution (default 1) or CPM density threshold (default 0.05).")
@click.option("--weighting", type=click.Choice(["binary", "mean", "raw"]), default="binary",
              show_default=True, help="How tie weights enter (layers measure different things).")
@click.option("--layer-weight", "layer_weights", multiple=True, metavar="LAYER=W",
              help="multiplex_leiden: weight of a layer (repeatable).")
@SEED
@AS_OF
@click.option("--stability", "runs", type=click.IntRange(min=2), default=None,
              help="Also run N seeds and report each node's consensus share.")
@click.option("--compare", "compare_with", default=None,
              help="Node column with a declared clustering to compare with (default: cluster, "
                   "when present).")
@click.option("--network-out", type=click.Path(path_type=Path), default=None,
              help="Also write the network with a community attribute (.graphml, .gexf, ...).")
@output_options
def communities(data, read, method, layers, resolution, weighting, layer_weights, seed, as_of,
                runs, compare_with, network_out, output, fmt):
    """Detect communities (Leiden, Louvain, multiplex Leiden, Infomap).

    Writes one row per node (id, name, community, community_name, community_size); prints
    the method, the number of communities, the quality and, when the data declare clusters,
    the agreement with them (NMI, ARI) on standard error.

    \b
    Examples:
      kumenet communities sample_networks/pilot --layers supply,collaboration
      kumenet communities sample_networks/pilot --method multiplex_leiden --layer-weight collaboration=2 -o communities.csv
      kumenet communities sample_networks/pilot --network-out pilot_communities.gexf -o communities.csv
    """
    from kumenet.graph import communities as c
    from kumenet.graph.io import write_network

    net = read(data, as_of=as_of)
    weights = {}
    for item in layer_weights:
        name, _, value = item.partition("=")
        try:
            weights[name.strip()] = float(value)
        except ValueError:
            raise click.BadParameter(f"{item!r} is not LAYER=WEIGHT", param_hint="--layer-weight")
    p = c.communities(net, method, _layers(layers), resolution, seed, as_of, weighting,
                      weights or None)
    table = p.table()
    table.insert(1, "name", net.nodes["name"].to_numpy())
    membership = p.membership
    table.insert(3, "community_name", c.community_names(net, membership)[membership])
    if runs:
        stab = c.stability(net, method, seeds=range(seed, seed + runs), layers=_layers(layers),
                           resolution=resolution, as_of=as_of, weighting=weighting)
        table["consensus_share"] = stab["consensus_share"].to_numpy()
        click.echo(f"stability over {runs} seeds: mean consensus share "
                   f"{stab['consensus_share'].mean():.3f}", err=True)
    click.echo(f"{method}: {p.n_communities} communities, quality {p.quality:.4f}", err=True)
    column = compare_with or ("cluster" if "cluster" in net.nodes else None)
    if column:
        if column not in net.nodes:
            raise KumenetError(f"no node column {column!r} to compare with")
        agreement = c.compare(p, net.nodes[column])
        click.echo(f"agreement with '{column}' ({agreement['nodes']} nodes): NMI "
                   f"{agreement['nmi']:.3f}, ARI {agreement['ari']:.3f}", err=True)
    if network_out:
        write_network(c.with_attributes(net, p.table()), network_out)
        click.echo(f"wrote {network_out}", err=True)
    _write(table, output, fmt)


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
    from kumenet.sql import query as run

    from kumenet.sql import check_statement

    check_statement(sql)  # refuse a write before reading the network
    on_screen = output is None and fmt in (None, "table")
    table = run(read(data, as_of=as_of), sql, layers=_layers(layers), as_of=as_of, seed=seed,
                timeout=timeout, max_rows=max_rows if on_screen else None)
    _write(table, output, fmt)


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
                layers=_layers(layers), as_of=as_of, seed=seed)
    click.echo(f"wrote {output} (tables {', '.join(names)})", err=True)


@cli.command()
@DATA
@data_options
@click.option("--firm", "firms", multiple=True, metavar="ID_OR_NAME",
              help="The firm or institution (id or name, Turkish-aware); repeatable.")
@click.option("--all", "everyone", is_flag=True,
              help="Suggest partners for every actor of --source-kind.")
@click.option("--source-kind", type=click.Choice(SOURCE_KINDS), default="firm", show_default=True,
              help="With --all: whose partners to suggest (firms, institutions, or any actor).")
@click.option("--scope", type=click.Choice(SCOPE_CHOICES), default="any", show_default=True,
              help="Keep suggestions of this scope only.")
@click.option("--per-scope", is_flag=True, help="TOP suggestions in each scope.")
@click.option("--top", "k", type=click.IntRange(min=1), default=10, show_default=True,
              help="Suggestions per firm.")
@click.option("--method", default="default", show_default=True,
              type=click.Choice(["default", *SCORERS]),
              help="default: a scorer trained on the network's history (Adamic-Adar when there "
                   "is too little history).")
@click.option("--model", type=click.Path(exists=True, path_type=Path), default=None,
              help="A scorer saved by 'kumenet train' (instead of --method); plain arrays, "
                   "so loading one runs no code.")
@click.option("--retrain", is_flag=True,
              help="Train the default scorer again even if a cached one fits the network.")
@click.option("--kind", type=click.Choice(["firm", "institution"]), default=None,
              help="Only partners of this kind.")
@click.option("--sector", default=None, help="Only partners whose NACE code starts with this.")
@click.option("--province", default=None, help="Only partners in this province.")
@click.option("--country", default=None, help="Only partners in this country (ISO code).")
@click.option("--level", type=click.Choice(["province", "nuts2", "nuts1"]), default="province",
              show_default=True, help="What 'the same region' means for the scope.")
@click.option("--consortium", is_flag=True,
              help="Propose consortia around each firm instead: firms that together cover a "
                   "value chain, and firms that share its export market.")
@click.option("--size", default="3-8", show_default=True, metavar="MIN-MAX",
              help="Consortium size (3 to 12).")
@LAYERS
@AS_OF
@SEED
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes for --all (default: one per core, up to 4); the result is the "
                   "same for any number.")
@engine_options
@LANG
@output_options
def match(data, read, firms, everyone, source_kind, scope, per_scope, k, method, model, retrain,
          kind, sector, province, country, level, consortium, size, layers, as_of, seed, workers,
          lang, output, fmt):
    """Suggest partners, with the reason for each suggestion.

    The default scorer is trained on the network's own history once and kept in the cache
    (see the README); standard error says which scorer was used and why.

    Existing partners are never suggested. Columns: source, source_name, target,
    target_name, rank, strength (1-5: the score against the firm's best option), score,
    scope, reason (Turkish by default, --lang en), target_kind, target_province,
    target_country, target_sector.

    \b
    Examples:
      kumenet match sample_networks/pilot --firm F000010 --top 5
      kumenet match sample_networks/pilot --firm "yıldız medikal san. tic. ltd. şti." --scope international
      kumenet match sample_networks/pilot --all --top 3 --per-scope -o suggestions.csv
      kumenet match sample_networks/pilot --firm F000010 --consortium --size 3-6
    """
    from kumenet.matching.recommend import recommend_partners
    from kumenet.matching.scorers import TrainedScorer

    if not firms and not everyone:
        raise click.UsageError("give --firm ID_OR_NAME (repeatable) or --all")
    if source_kind != "firm" and not everyone:
        raise click.UsageError("--source-kind chooses whose partners --all suggests; with "
                               "--firm, name the actors themselves")
    if retrain and (model or method != "default"):
        raise click.UsageError("--retrain trains the default scorer again; drop --method or "
                               "--model")
    net = read(data, as_of=as_of)
    if firms:  # names are found (or refused) before a scorer is trained, and said once
        from kumenet.matching.recommend import resolve_sources

        firms = net.ids[resolve_sources(net, list(firms))].tolist()
    from kumenet.messages import text

    if consortium:
        from kumenet.matching.consortium import consortia

        low, _, high = size.partition("-")
        try:
            bounds = (int(low), int(high or low))
        except ValueError:
            raise click.BadParameter(f"{size!r} is not MIN-MAX", param_hint="--size")
        table = consortia(net, list(firms) or None, bounds,
                          "adamic_adar" if method == "default" else method, seed=seed,
                          as_of=as_of, lang=lang)
        if table.empty:
            click.echo(text("cli.no_consortium", lang, low=bounds[0], high=bounds[1]), err=True)
        _write(table, output, fmt, lang=lang)
        return
    if model:
        scorer = TrainedScorer.load(model)
        note(text("cli.scorer", lang, reason=text(
            "scorer.model", lang, path=str(model),
            positives=str(scorer.params.get("positives", "?")))))
    elif method == "default":
        from kumenet.matching.model import choose_scorer

        choice = choose_scorer(net, layers=_layers(layers), as_of=as_of, seed=seed,
                               retrain=retrain, notify=note, lang=lang,
                               progress=lambda items: progress(items, "training"))
        scorer = choice.scorer
        note(text("cli.scorer", lang, reason=choice.reason))
    else:
        scorer = method
    table = recommend_partners(net, list(firms) or None, scope=scope, k=k, method=scorer,
                               kind=kind, sector=sector, province=province, country=country,
                               per_scope=per_scope, level=level, as_of=as_of,
                               layers=_layers(layers), seed=seed, workers=workers,
                               progress=lambda items: progress(items, "matching"),
                               source_kind=source_kind, lang=lang)
    if table.empty:
        click.echo(text("cli.no_suggestions", lang), err=True)
    _write(table, output, fmt, progress=lambda items: progress(items, "writing"),
           what=text("cli.suggestions", lang, n=len(table)), lang=lang)


@cli.command()
@DATA
@data_options
@click.option("--split-year", type=int, required=True,
              help="Learn from ties up to this year; test on pairs first tied after it.")
@click.option("--until", type=int, default=None, help="Last test year (default: the last year).")
@click.option("--top", "k", type=click.IntRange(min=1), default=10, show_default=True,
              help="k of precision@k, recall@k, hits@k.")
@click.option("--methods", default=None, metavar="M1,M2",
              help="Scorers to evaluate (default: every heuristic, random and trained).")
@LAYERS
@SEED
@engine_options
@output_options
def evaluate(data, read, split_year, until, k, methods, layers, seed, output, fmt):
    """Evaluate every scorer on the network's own future: precision@k, recall@k, hits@k,
    MRR, AUC and average precision, overall and per scope.

    \b
    Example:
      kumenet evaluate sample_networks/pilot --split-year 2022 --top 10
    """
    from kumenet.matching.evaluate import evaluate as run

    net = read(data)
    span = net.years()
    if span is None:
        raise KumenetError("the ties have no year: evaluation learns from the past and tests "
                           "on the future, so it needs a year column in the edges")
    if split_year >= span[1]:
        raise KumenetError(f"no ties after {split_year}; the last year is {span[1]}: choose a "
                           f"split year before it")
    net.check_as_of(split_year)
    horizon = None if until is None else until - split_year
    table = run(net, split_year, k, _layers(layers), _layers(methods), horizon, seed=seed,
                progress=lambda items: progress(items, "scorers"))
    _write(table, output, fmt)


@cli.command()
@DATA
@data_options
@click.option("--cut", type=int, default=None,
              help="Learn from candidates as of this year (default: the year before the last).")
@click.option("--horizon", type=int, default=1, show_default=True,
              help="Years after the cut whose new pairs are the positives.")
@LAYERS
@AS_OF
@SEED
@engine_options
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="The model file to write.")
def train(data, read, cut, horizon, layers, as_of, seed, output):
    """Train a partner scorer on the network's history and save it for 'kumenet match --model'.

    Prints which features mattered (permutation importance on average precision).

    \b
    Example:
      kumenet train sample_networks/pilot -o pilot_model.npz
    """
    from kumenet.files import atomic_path
    from kumenet.matching.model import train_scorer

    net = read(data, as_of=as_of).select(as_of=as_of)
    if cut is None:
        years = net.edges["year"].dropna()
        if years.empty:
            raise KumenetError("the ties have no years: nothing to learn a history from")
        cut = int(years.max()) - horizon
    scorer = train_scorer(net, cut, horizon, _layers(layers), seed, importance=True)
    with atomic_path(output) as tmp:
        scorer.save(tmp)
    click.echo(f"wrote {output} (trained on candidates as of {cut}, positives: "
               f"{scorer.params['positives']})", err=True)
    from kumenet.output import write_tables

    write_tables(scorer.importances, None, "table")


# -- maps and reports ---------------------------------------------------------------------

@cli.command("map")
@DATA
@data_options
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="map.html (interactive), map.gexf (Gephi, with colours and positions), or "
                   "with --choropleth a .svg or .html province map.")
@click.option("--color", "color", default="community", show_default=True,
              help="community, province, sector, kind, layer, cluster or any node column.")
@click.option("--size", default="degree", show_default=True,
              help="degree, strength, pagerank, betweenness, eigenvector, employees, "
                   "exports_usd or any numeric node column.")
@LAYERS
@AS_OF
@click.option("--layout", type=click.Choice(["force", "geo"]), default="force",
              show_default=True, help="Force-directed (igraph) or geographic.")
@click.option("--max-nodes", type=click.IntRange(min=10), default=5000, show_default=True,
              help="Above this many nodes, draw groups instead (see --aggregate-by).")
@click.option("--aggregate-by", default="community", show_default=True,
              help="Groups of the aggregated view: community, province, nuts2, nuts1 or a "
                   "node column.")
@click.option("--group", default=None, help="Draw only this group's members (its name as "
              "the aggregated view shows it).")
@click.option("--focus", default=None, metavar="FIRM", help="Ego view around this firm (id or "
              "name), with its suggested partners dashed.")
@click.option("--hops", type=click.IntRange(min=1, max=4), default=2, show_default=True,
              help="Steps around --focus.")
@click.option("--suggestions", "suggestions_file", type=click.Path(path_type=Path), default=None,
              help="A suggestions table (kumenet match --all -o FILE): drawn as dashed edges.")
@click.option("--choropleth", default=None, metavar="FIGURE",
              help="Instead: a province map of firms, employees, exports_usd or a province "
                   "group metric (share_international, ei_index, ...).")
@LANG
@click.option("--title", default=None, help="Heading of the page.")
@SEED
def map_command(data, read, output, color, size, layers, as_of, layout, max_nodes, aggregate_by,
                group, focus, hops, suggestions_file, choropleth, lang, title, seed):
    """An interactive network map in one self-contained HTML file (works offline).

    \b
    Colour, size, layer toggles, a Turkish-aware search box, tooltips; above --max-nodes
    an aggregated view; --focus for one firm; --layout geo places actors on Turkey's map.

    \b
    Examples:
      kumenet map sample_networks/pilot -o map.html
      kumenet map sample_networks/pilot --layout geo --color province -o geo.html
      kumenet map sample_networks/pilot --focus F000001 --hops 1 -o ego.html
      kumenet map sample_networks/pilot --choropleth firms -o provinces.svg
      kumenet map sample_networks/pilot -o pilot.gexf
    """
    from kumenet.messages import text

    net = read(data, as_of=as_of).select(as_of=as_of)
    if choropleth:
        from kumenet.app.maps import write_province_map

        path = write_province_map(net, choropleth, output, lang=lang, title=title)
    else:
        from kumenet.app.maps import write_map

        suggestions = _read_suggestions(suggestions_file) if suggestions_file else None
        path = write_map(net, output, color=color, size=size, layers=_layers(layers),
                         layout=layout, max_nodes=max_nodes, aggregate_by=aggregate_by,
                         group=group, focus=focus, hops=hops, suggestions=suggestions,
                         title=title, lang=lang, seed=seed)
    click.echo(text("cli.wrote", lang, path=str(path)), err=True)


def _read_suggestions(path: Path):
    from kumenet.errors import InputDataError, Problem
    from kumenet.graph.io import read_table

    raw = read_table(path)
    frame = raw.frame
    missing = [c for c in ("source", "target") if c not in frame.columns]
    if missing:
        raise InputDataError([Problem(str(path), 1, None, None,
                                      f"missing column {c!r}; a suggestions table has source "
                                      f"and target (kumenet match --all -o FILE)")
                              for c in missing])
    return frame


@cli.command()
@DATA
@data_options
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="The .html file.")
@LANG
@click.option("--max-nodes", type=click.IntRange(min=10), default=5000, show_default=True,
              help="Above this many nodes the map in the report is aggregated.")
@click.option("--title", default=None, help="The network's name at the top of the report "
              "(default: the folder's or file's name).")
@LAYERS
@AS_OF
@SEED
def report(data, read, output, lang, max_nodes, title, layers, as_of, seed):
    """A self-contained HTML report: summary, map, provinces, communities, brokers,
    suggestions, cluster evaluation and regional indicators, with charts.

    \b
    Examples:
      kumenet report sample_networks/pilot -o report.html
      kumenet report sample_networks/pilot --lang en -o report_en.html
    """
    from kumenet.messages import text
    from kumenet.app.report import write_report

    net = read(data, as_of=as_of).select(layers=_layers(layers), as_of=as_of)
    data = Path(data)
    if title is None:
        title = _network_name(data)
    if as_of is not None:
        title = f"{title}, {text('report.as_of', lang, year=str(as_of))}"
    path = write_report(net, output, where=title, lang=lang, seed=seed, max_nodes=max_nodes)
    click.echo(text("cli.wrote", lang, path=str(path)), err=True)


@cli.command()
@DATA
@data_options
@click.option("--cluster", "cluster", default=None,
              help="The cluster's name, as kumenet clusters evaluate --by names it.")
@click.option("--all", "every", is_flag=True, help="A brief for every cluster, into the folder "
              "-o names.")
@click.option("--by", type=click.Choice(["cluster", "community", "province-sector"]),
              default="cluster", show_default=True,
              help="Clusters: the nodes' cluster column, Leiden communities, or province x "
                   "NACE division.")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="brief.html (prints on A4), brief.docx (an editable plan) or brief.xlsx; "
                   "a folder with --all.")
@click.option("--format", "fmt", type=click.Choice(["html", "docx", "xlsx"]), default="html",
              show_default=True, help="With --all: the format of each brief.")
@LANG
@AS_OF
@SEED
def toolkit(data, read, cluster, every, by, output, fmt, lang, as_of, seed):
    """The clustering toolkit written for a cluster: identification, activation,
    governance, interregional and international cooperation, business plan.

    \b
    Examples:
      kumenet toolkit sample_networks/pilot --cluster "Gaziantep plastik" -o brief.html
      kumenet toolkit sample_networks/pilot --cluster "Gaziantep plastik" -o plan.docx
      kumenet toolkit sample_networks/pilot --all -o briefs/
    """
    from kumenet.app.analysis import analyse, with_suggestions
    from kumenet.app.toolkit import build_brief, cluster_names, find_cluster, labels_of, write_brief
    from kumenet.messages import text
    from kumenet.text import slug

    if (cluster is None) == (not every):
        raise click.UsageError("give --cluster NAME or --all")
    net = read(data, as_of=as_of).select(as_of=as_of)
    if by != "community" and not every:  # a mistyped name is said before any analysis
        from kumenet.regional.evaluation import cluster_labels

        find_cluster(cluster_labels(net, by), cluster, by)
    analysis = analyse(net, seed=seed, lang=lang, suggestions=False,
                       progress=lambda steps: progress(steps, "analysis"))
    names = cluster_names(analysis, by) if every else [
        find_cluster(labels_of(analysis, by), cluster, by)]
    note(f"{len(names)} cluster(s); finding the partner suggestions the briefs cite")
    analysis = with_suggestions(analysis)
    if not every:
        path = write_brief(build_brief(analysis, names[0], by, lang), output)
        click.echo(text("cli.wrote", lang, path=str(path)), err=True)
        return
    output.mkdir(parents=True, exist_ok=True)
    for name in progress(names, "briefs"):
        path = write_brief(build_brief(analysis, name, by, lang),
                           output / f"{slug(name)}.{fmt}")
        click.echo(text("cli.wrote", lang, path=str(path)), err=True)


# -- regional economics ----------------------------------------------------------------------

def region_table_options(func):
    """Where a region x sector table comes from: a network, a table file, or a dataset."""
    from kumenet.choices import DATASETS

    @click.argument("data", required=False, type=click.Path(path_type=Path))
    @click.option("--dataset", type=click.Choice(list(DATASETS)), default=None,
                  help="A packaged table (no DATA needed).")
    @click.option("--table", "table_file", type=click.Path(path_type=Path), default=None,
                  help="A long table (.csv, .xlsx, .parquet): region, sector, value "
                       "[, year, establishments].")
    @click.option("--region-level", type=click.Choice(["province", "nuts2", "nuts1"]),
                  default="province", show_default=True, help="Regions, from a network.")
    @click.option("--sector-level", type=click.Choice(["division", "section", "class"]),
                  default="division", show_default=True, help="Sectors, from a network.")
    @click.option("--value", default="employees", show_default=True,
                  help="From a network: employees, firms or a numeric node column.")
    @data_options
    @functools.wraps(func)
    def wrapper(*args, data, dataset, table_file, region_level, sector_level, value, read,
                **kwargs):
        from kumenet.regional import table as rt

        given = [x for x in (data, dataset, table_file) if x is not None]
        if len(given) != 1:
            raise click.UsageError("give exactly one of DATA (a network), --table FILE or "
                                   "--dataset NAME")
        if dataset:
            kwargs["table"] = rt.load_dataset(dataset)
        elif table_file:
            options = read.keywords
            kwargs["table"] = rt.read_region_table(
                table_file, sep=options["sep"], decimal=options["decimal"],
                encoding=options["encoding"])
        else:
            kwargs["table"] = rt.from_network(read(data), region_level, sector_level, value)
        return func(*args, **kwargs)
    return wrapper


def _regions_filter(frame, regions):
    if not regions:
        return frame
    from kumenet.text import fold, suggestion

    wanted = {fold(r) for r in regions}
    keys = frame["region"].astype(str).map(fold)
    names = frame["region_name"].astype(str).map(fold) if "region_name" in frame else keys
    hit = keys.isin(wanted) | names.isin(wanted)
    known = set(frame["region"].astype(str)) | set(frame.get("region_name", frame["region"]).astype(str))
    for r in regions:
        if not (keys == fold(r)).any() and not (names == fold(r)).any():
            raise KumenetError(f"no region {r!r} in the table{suggestion(r, sorted(known))}")
    return frame[hit.to_numpy()]


REGION = click.option("--region", "regions", multiple=True, metavar="CODE_OR_NAME",
                      help="Only this region (repeatable).")
YEAR = click.option("--year", type=int, default=None, help="Year (default: the latest).")


@cli.command()
@region_table_options
@YEAR
@REGION
@click.option("--shift-share", "start", type=int, default=None, metavar="START_YEAR",
              help="Instead: shift-share decomposition from START_YEAR to --year.")
@click.option("--lq-percentile", type=float, default=75.0, show_default=True,
              help="Strong cluster: LQ at or above this percentile of regions (and >= 1).")
@click.option("--size-percentile", type=float, default=25.0, show_default=True,
              help="Strong cluster: employment and establishments above this percentile.")
@click.option("--star-lq", type=float, default=2.0, show_default=True,
              help="Specialisation star: LQ at or above this.")
@click.option("--star-quantile", type=float, default=0.9, show_default=True,
              help="Size and focus stars: at or above this quantile of all region-sectors.")
@output_options
def regions(table, year, regions, start, lq_percentile, size_percentile, star_lq,
            star_quantile, output, fmt):
    """Specialisation of regions: location quotients, strong clusters, stars, shift-share.

    \b
    lq        location quotient (sector's share of the region over its national share)
    strong    US Cluster Mapping Project rule (LQ >= 75th percentile and >= 1, size and
              establishments above the 25th percentile of regions)
    stars     European Cluster Observatory: size, specialisation (LQ >= 2), focus

    \b
    Examples:
      kumenet regions --dataset tr-nuts2-employment --year 2019 --region TR83 --region TR90
      kumenet regions --dataset tr-nuts2-employment --year 2019 --shift-share 2009
      kumenet regions sample_networks/pilot --sector-level division -o lq.csv
    """
    from kumenet.regional.specialisation import StarRule, StrongRule, shift_share, specialisation

    if start is not None:
        end = year if year is not None else table.years[-1]
        result = shift_share(table, start, end)
        click.echo(f"national growth {start}-{end}: {result.attrs['national_growth']:+.1%}",
                   err=True)
    else:
        result = specialisation(table, year, StrongRule(lq_percentile, 1.0, size_percentile),
                                StarRule(star_quantile, star_lq, star_quantile))
    _write(_regions_filter(result, regions), output, fmt)


@cli.command()
@region_table_options
@YEAR
@REGION
@click.option("--view", type=click.Choice(["potential", "regions", "sectors", "proximity",
                                           "matrix", "all"]),
              default="potential", show_default=True,
              help="Sectors to grow into, ECI of regions, PCI of sectors, sector proximity, "
                   "the full region x sector table, or all of them (one sheet each in .xlsx).")
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True,
              help="Sectors suggested per region.")
@click.option("--threshold", type=float, default=1.0, show_default=True,
              help="RCA at which a sector counts as present.")
@click.option("--knn", type=click.IntRange(min=1), default=None,
              help="Density over each sector's K most related sectors only.")
@LANG
@output_options
def potential(table, year, regions, view, top, threshold, knn, lang, output, fmt):
    """Relatedness and complexity: sectors each region could grow into, and why.

    RCA and presence, proximity between sectors, density of each region around each
    sector, ECI and PCI, complexity outlook (COI) and outlook gain (COG), as the Growth
    Lab's ecomplexity package computes them.

    \b
    Examples:
      kumenet potential --dataset tr-nuts2-employment --year 2019 --region TR83
      kumenet potential --dataset tr-nuts2-employment --view regions
      kumenet potential sample_networks/pilot --region-level nuts2 -o potential.xlsx --view all
    """
    from kumenet.regional.complexity import complexity, potential as grow

    cx = complexity(table, year, threshold, knn)
    tables = {
        "potential": lambda: grow(cx, regions or None, top, lang=lang),
        "regions": lambda: _regions_filter(cx.regions_table(), regions),
        "sectors": cx.sectors_table,
        "proximity": cx.proximity_table,
        "matrix": lambda: _regions_filter(cx.table(), regions),
    }
    if view == "all":
        _write({name: make() for name, make in tables.items()}, output, fmt, lang=lang)
    else:
        _write(tables[view](), output, fmt, lang=lang)


@cli.group()
def clusters():
    """Evaluate clusters on one national scale."""


@clusters.command("evaluate")
@DATA
@data_options
@click.option("--by", type=click.Choice(["cluster", "community", "province-sector"]),
              default="cluster", show_default=True,
              help="Clusters: the nodes' cluster column, Leiden communities, or province x "
                   "NACE division.")
@click.option("--config", "config", type=click.Path(path_type=Path), default=None,
              help="Criteria, weights and labels (default: the packaged configuration; see "
                   "kumenet clusters config).")
@click.option("--details", is_flag=True, help="Also every indicator's value, normalised "
              "score, weight and points (a second table).")
@LAYERS
@AS_OF
@SEED
@LANG
@output_options
def clusters_evaluate(data, read, by, config, details, layers, as_of, seed, lang, output, fmt):
    """Score, rank and label clusters under the programme's four criteria.

    Economic impact, demand, networking and cooperation, factor conditions: each
    indicator is measured from the network, normalised across the clusters (0-100),
    weighted as the configuration says; the profile names strengths and what to improve.

    \b
    Examples:
      kumenet clusters evaluate sample_networks/pilot
      kumenet clusters evaluate sample_networks/pilot --by province-sector -o evaluation.xlsx
    """
    from kumenet.regional.evaluation import evaluate_clusters

    net = read(data, as_of=as_of).select(layers=_layers(layers), as_of=as_of)
    table, detail = evaluate_clusters(net, by, config, seed, lang)
    if fmt in (None, "table") and output is None:
        table = table[["rank", "cluster", "label", "score", "economic_impact", "demand",
                       "networking", "factor_conditions", "firms", "profile"]]
    _write({"clusters": table, "details": detail} if details else table, output, fmt,
           lang=lang)


@clusters.command("config")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write the default configuration here (to edit) instead of the screen.")
def clusters_config(output):
    """Show (or write) the default evaluation configuration.

    \b
    Example:
      kumenet clusters config -o my_evaluation.toml
    """
    from importlib import resources

    from kumenet.files import atomic_path

    text = (resources.files("kumenet.data") / "cluster_evaluation.toml").read_text("utf-8")
    if output is None:
        click.echo(text, nl=False)
        return
    with atomic_path(output) as tmp:
        tmp.write_text(text, encoding="utf-8")
    click.echo(f"wrote {output}", err=True)


@cli.command()
@DATA
@data_options
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Listen on this address (0.0.0.0 opens the portal to the network: only "
                   "when asked, with a warning).")
@click.option("--rebuild", is_flag=True, help="Build the snapshot again even when the network "
              "has not changed.")
@click.option("--snapshot-dir", type=click.Path(path_type=Path), default=None,
              help="Where snapshots are kept (default: the user's cache folder).")
@click.option("--build-only", is_flag=True, help="Build (or find) the snapshot, print its "
              "path and stop.")
@click.option("--title", default=None, help="The network's name on the portal (default: the "
              "folder's or file's name).")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Server processes (default: one per core, up to 4).")
@click.option("--workspace", "where", default=None, metavar="PATH|URL",
              help="The workspace staff record introductions in (a SQLite file or a "
                   "postgresql:// URL; see kumenet workspace init). Without it the portal "
                   "only reads.")
@SEED
def serve(data, read, port, host, rebuild, snapshot_dir, build_only, title, workers, where,
          seed):
    """The knowledge portal: search, actor profiles with suggested partners, clusters,
    regions and read-only SQL, in the browser, offline.

    Builds a snapshot of every analysis once (reused while the network is unchanged), then
    serves it on http://127.0.0.1:8000 until Ctrl+C.

    \b
    Examples:
      kumenet serve sample_networks/pilot
      kumenet serve sample_networks/pilot --port 8080
      kumenet serve sample_networks/pilot --build-only
    """
    from kumenet.app.snapshot import ensure_snapshot

    net = read(data)
    name = title or _network_name(Path(data))
    path = ensure_snapshot(net, name, seed=seed, rebuild=rebuild, folder=snapshot_dir,
                           notify=note, progress=lambda items: progress(items, "snapshot"))
    if build_only:
        click.echo(str(path))
        return
    public = host not in ("127.0.0.1", "localhost", "::1")
    if public and where is None:
        raise KumenetError(f"listening on {host} opens the portal beyond this machine, where "
                           "every page needs a login: give --workspace (its accounts: kumenet "
                           "users add)")
    if where is not None:
        from kumenet.app.workspace import open_workspace

        checked = open_workspace(where)
        note(f"workspace: {checked.shown}" + ("; every page needs a login" if public else
                                              "; writing needs a login"))
        where = checked.url
        checked.close()
    import uvicorn

    workers = workers or min(4, os.cpu_count() or 1)
    note(f"kumenet portal: http://{'127.0.0.1' if host == '127.0.0.1' else host}:{port}/ "
         "(Ctrl+C stops it)")
    if workers == 1:
        from kumenet.web.app import create_app

        uvicorn.run(create_app(path, workspace=where, public=public), host=host, port=port,
                    log_level="warning")
    else:  # each worker process opens the snapshot read-only, and the workspace
        os.environ["KUMENET_SNAPSHOT"] = str(path)
        os.environ["KUMENET_WORKSPACE_URL"] = where or ""
        os.environ["KUMENET_PUBLIC"] = "1" if public else "0"
        uvicorn.run("kumenet.web.app:from_environment", factory=True, workers=workers,
                    host=host, port=port, log_level="warning")


def _network_name(data: Path) -> str:
    """pilot/, pilot/edges.csv and pilot.xlsx are all "pilot"."""
    name = (data.parent if data.suffix in (".csv", ".gz") else data).resolve().name
    return name.split(".")[0] if data.is_file() else name


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
@LANG
def demo(data, read, output, lang):
    """Run the main job on the pilot network (or DATA) and write its outputs to a folder.

    \b
    Example:
      kumenet demo -o demo-output
    """
    from kumenet.app.demo import run_demo

    if data is None:
        net, where = pilot_network()
        source = str(PILOT_PATH) if PILOT_PATH.exists() else None
    else:
        net, where = read(data), str(data)
        source = str(data)
    run_demo(net, where, output, lang, data=source)


def main(argv=None):
    """Entry point of the console script and ``python -m kumenet``."""
    for stream in (sys.stdout, sys.stderr):
        # File names that are not valid UTF-8 must print, not crash the message about them.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    return cli.main(args=argv, prog_name="kumenet")


from kumenet import cli_workspace  # noqa: E402,F401 - registers the workspace's commands

if __name__ == "__main__":
    sys.exit(main())
