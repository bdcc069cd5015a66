"""Commands that measure the network: metrics and communities."""

from __future__ import annotations

from pathlib import Path

import click

from kumenet.choices import (
    COMMUNITY_METHODS,
)
from kumenet.cli.base import (
    say,
    wrote,
    AS_OF,
    DATA,
    LAYERS,
    SEED,
    cli,
    data_options,
    engine_options,
    output_options,
    progress,
    split_layers,
    write_output,
)
from kumenet.errors import KumenetError


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
    layers = split_layers(layers)
    groups = by
    if by == "community":
        import pandas as pd

        from kumenet.graph.communities import communities

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
            click.echo(say("cli.betweenness_sampled", sample=", ".join(
                str(n) if layer == "all" else f"{layer} {n}" for layer, n in sample.items())),
                err=True)
        write_output(table, output, fmt)
    elif level == "layer":
        write_output({"layers": m.layer_metrics(net, as_of), "overlap": m.layer_overlap(net, as_of)},
                     output, fmt)
    else:
        write_output(m.group_metrics(net, groups, layers, as_of), output, fmt)


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
    p = c.communities(net, method, split_layers(layers), resolution, seed, as_of, weighting,
                      weights or None)
    table = p.table()
    table.insert(1, "name", net.nodes["name"].to_numpy())
    membership = p.membership
    table.insert(3, "community_name", c.community_names(net, membership)[membership])
    if runs:
        stab = c.stability(net, method, seeds=range(seed, seed + runs), layers=split_layers(layers),
                           resolution=resolution, as_of=as_of, weighting=weighting)
        table["consensus_share"] = stab["consensus_share"].to_numpy()
        click.echo(say("cli.stability", runs=runs,
                        share=stab["consensus_share"].mean()), err=True)
    click.echo(say("cli.communities", method=method, k=p.n_communities,
                    q=p.quality), err=True)
    column = compare_with or ("cluster" if "cluster" in net.nodes else None)
    if column:
        if column not in net.nodes:
            raise KumenetError(f"no node column {column!r} to compare with")
        agreement = c.compare(p, net.nodes[column])
        click.echo(say("cli.agreement", column=column, nodes=agreement["nodes"],
                        nmi=agreement["nmi"], ari=agreement["ari"]), err=True)
    if network_out:
        write_network(c.with_attributes(net, p.table()), network_out)
        wrote(network_out)
    write_output(table, output, fmt)
