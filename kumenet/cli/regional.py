"""Regional economics on the command line: regions, potential, clusters evaluate|config."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from kumenet.cli.base import (
    AS_OF,
    DATA,
    LANG,
    LAYERS,
    SEED,
    cli,
    data_options,
    output_options,
    split_layers,
    write_output,
)
from kumenet.errors import KumenetError


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
@LANG
@output_options
def regions(table, year, regions, start, lq_percentile, size_percentile, star_lq,
            star_quantile, lang, output, fmt):
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
    from kumenet.messages import percent, text
    from kumenet.regional.complexity import in_language
    from kumenet.regional.specialisation import StarRule, StrongRule, shift_share, specialisation

    if start is not None:
        end = year if year is not None else table.years[-1]
        result = shift_share(table, start, end)
        click.echo(text("cli.national_growth", lang, start=start, end=end,
                        growth=percent(result.attrs["national_growth"], lang, 1, sign=True)),
                   err=True)
    else:
        result = specialisation(table, year, StrongRule(lq_percentile, 1.0, size_percentile),
                                StarRule(star_quantile, star_lq, star_quantile))
    write_output(in_language(_regions_filter(result, regions), lang), output, fmt, lang=lang)


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
    from kumenet.regional.complexity import complexity
    from kumenet.regional.complexity import potential as grow

    cx = complexity(table, year, threshold, knn)
    tables = {
        "potential": lambda: grow(cx, regions or None, top, lang=lang),
        "regions": lambda: _regions_filter(cx.regions_table(), regions),
        "sectors": cx.sectors_table,
        "proximity": cx.proximity_table,
        "matrix": lambda: _regions_filter(cx.table(), regions),
    }
    if view == "all":
        write_output({name: make() for name, make in tables.items()}, output, fmt, lang=lang)
    else:
        write_output(tables[view](), output, fmt, lang=lang)


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
@click.option("--years", default=None, metavar="FIRST-LAST",
              help="Score every cluster for each of these years (2019-2024 or 2019,2021), "
                   "each from the network as of that year, with the change against two years "
                   "before.")
@SEED
@LANG
@output_options
def clusters_evaluate(data, read, by, config, details, layers, as_of, years, seed, lang, output,
                      fmt):
    """Score, rank and label clusters under the programme's four criteria.

    Economic impact, demand, networking and cooperation, factor conditions: each
    indicator is measured from the network, normalised across the clusters (0-100),
    weighted as the configuration says; the profile names strengths and what to improve.

    \b
    Examples:
      kumenet clusters evaluate sample_networks/pilot
      kumenet clusters evaluate sample_networks/pilot --by province-sector -o evaluation.xlsx
      kumenet clusters evaluate sample_networks/pilot --years 2019-2024 -o over_time.csv
    """
    from kumenet.regional.evaluation import evaluate_clusters, evaluate_years, parse_years

    if years is not None:
        if as_of is not None or details:
            raise click.UsageError("--years scores several years: give it without --as-of "
                                   "and --details (those take one year)")
        wanted = parse_years(years)
        net = read(data, as_of=wanted[-1]).select(layers=split_layers(layers))
        table = evaluate_years(net, wanted, by, config, seed, lang)
        if fmt in (None, "table") and output is None:
            table = table[["year", "rank", "cluster", "label", "score", "change",
                           "label_before", "economic_impact", "demand", "networking",
                           "factor_conditions", "firms"]]
        write_output(table, output, fmt, lang=lang)
        return
    net = read(data, as_of=as_of).select(layers=split_layers(layers), as_of=as_of)
    table, detail = evaluate_clusters(net, by, config, seed, lang)
    if fmt in (None, "table") and output is None:
        table = table[["rank", "cluster", "label", "score", "economic_impact", "demand",
                       "networking", "factor_conditions", "firms", "profile"]]
    write_output({"clusters": table, "details": detail} if details else table, output, fmt,
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
    from kumenet.cli.base import packaged_file

    packaged_file("cluster_evaluation.toml", output)
