"""Partner matching on the command line: match, evaluate, train."""

from __future__ import annotations

from pathlib import Path

import click

from kumenet.choices import (
    SCOPE_CHOICES,
    SCORERS,
    SOURCE_KINDS,
)
from kumenet.cli.base import (
    current_lang,
    wrote,
    AS_OF,
    DATA,
    LANG,
    LAYERS,
    SEED,
    cli,
    data_options,
    engine_options,
    note,
    output_options,
    progress,
    split_layers,
    write_output,
)
from kumenet.errors import KumenetError


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
@click.option("--learn-from", "learn_from", default=None, metavar="PATH|URL",
              help="Re-rank by what came of the introductions in this workspace, when that "
                   "has earned it (standard error says why or why not).")
@click.option("--explore", is_flag=True,
              help="Give each list's last slot to a candidate from below the cut, marked "
                   "exploratory (also on with the workspace's 'exploration' setting).")
@engine_options
@LANG
@output_options
def match(data, read, firms, everyone, source_kind, scope, per_scope, k, method, model, retrain,
          kind, sector, province, country, level, consortium, size, layers, as_of, seed, workers,
          learn_from, explore, lang, output, fmt):
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
    from kumenet.app.matching import choose, consortium_size
    from kumenet.matching.recommend import recommend_partners

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

        try:
            bounds = consortium_size(size)
        except KumenetError as err:
            raise click.BadParameter(str(err), param_hint="--size")
        table = consortia(net, list(firms) or None, bounds,
                          "adamic_adar" if method == "default" else method, seed=seed,
                          as_of=as_of, lang=lang)
        if table.empty:
            click.echo(text("cli.no_consortium", lang, low=bounds[0], high=bounds[1]), err=True)
        write_output(table, output, fmt, lang=lang)
        return
    scorer, reason = choose(net, method=method, model=model, retrain=retrain,
                            layers=split_layers(layers), as_of=as_of, seed=seed, lang=lang,
                            notify=note, progress=lambda items: progress(items, "training"))
    if reason:
        note(text("cli.scorer", lang, reason=reason))
    learned, explore = _learning(learn_from, net, as_of, explore)
    wide = (learned is not None and learned.reranker is not None) or explore
    table = recommend_partners(net, list(firms) or None, scope=scope, k=3 * k if wide else k,
                               method=scorer,
                               kind=kind, sector=sector, province=province, country=country,
                               per_scope=per_scope, level=level, as_of=as_of,
                               layers=split_layers(layers), seed=seed, workers=workers,
                               progress=lambda items: progress(items, "matching"),
                               source_kind=source_kind, lang=lang)
    if wide:
        table = _learned_and_explored(table, net, learned, explore, k, seed)
    if table.empty:
        click.echo(text("cli.no_suggestions", lang), err=True)
    write_output(table, output, fmt, progress=lambda items: progress(items, "writing"),
           what=text("cli.suggestions", lang, n=len(table)), lang=lang)


def _learning(learn_from, net, as_of, explore: bool):
    """What the workspace's outcomes teach (None without ``--learn-from``), said on standard
    error, and whether to explore (asked, or the workspace's setting)."""
    if learn_from is None:
        return None, explore
    from kumenet.app.matching import learned_reranker
    from kumenet.cli.workspace import _open
    from kumenet.workspace.lists import setting

    ws = _open(learn_from)
    learned = learned_reranker(ws, net.select(as_of=as_of) if as_of else net)
    note(learned.reason)
    return learned, explore or setting(ws, "exploration") == 1


def _learned_and_explored(table, net, learned, explore: bool, k: int, seed: int):
    """The top ``k`` of each list re-ranked by the learned re-ranker (when it took over),
    the last slot explored when asked."""
    from kumenet.app.matching import rerank, with_exploration

    if learned is not None and learned.reranker is not None:
        table = rerank(table, net, learned.reranker, 3 * k)
    top, pool = table[table["rank"] <= k], table[table["rank"] > k]
    return with_exploration(top, pool, seed) if explore else top.reset_index(drop=True)


@cli.command()
@click.argument("data", required=False, type=click.Path(path_type=Path))
@data_options
@click.option("--split-year", type=int, default=None,
              help="Learn from ties up to this year; test on pairs first tied after it.")
@click.option("--outcomes", is_flag=True,
              help="Instead: what came of the suggestions staff were shown (needs "
                   "--workspace; no DATA).")
@click.option("--workspace", "where", default=None, metavar="PATH|URL",
              help="The workspace whose outcomes --outcomes reports.")
@click.option("--until", type=int, default=None, help="Last test year (default: the last year).")
@click.option("--top", "k", type=click.IntRange(min=1), default=10, show_default=True,
              help="k of precision@k, recall@k, hits@k.")
@click.option("--methods", default=None, metavar="M1,M2",
              help="Scorers to evaluate (default: every heuristic, random and trained).")
@LAYERS
@SEED
@engine_options
@output_options
def evaluate(data, read, split_year, outcomes, where, until, k, methods, layers, seed, output,
             fmt):
    """Evaluate every scorer on the network's own future: precision@k, recall@k, hits@k,
    MRR, AUC and average precision, overall and per scope. With --outcomes: per scope and
    per strength, the suggestions shown, acted on, met and agreed in the workspace, with
    rates and their 95 % intervals.

    \b
    Examples:
      kumenet evaluate sample_networks/pilot --split-year 2022 --top 10
      kumenet evaluate --outcomes --workspace demo-output/workspace.db
    """
    if outcomes:
        from kumenet.cli.workspace import _open
        from kumenet.workspace.lists import outcome_table

        if data is not None or split_year is not None:
            raise click.UsageError("--outcomes reads the workspace: give it without DATA "
                                   "and --split-year")
        write_output(outcome_table(_open(where)), output, fmt)
        return
    if data is None or split_year is None:
        raise click.UsageError("give DATA and --split-year (or --outcomes --workspace URL)")
    from kumenet.app.matching import evaluation_horizon
    from kumenet.matching.evaluate import evaluate as run

    net = read(data)
    horizon = evaluation_horizon(net, split_year, until)
    table = run(net, split_year, k, split_layers(layers), split_layers(methods), horizon, seed=seed,
                progress=lambda items: progress(items, "scorers"))
    write_output(table, output, fmt)


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
    from kumenet.app.matching import training_cut
    from kumenet.files import atomic_path
    from kumenet.matching.model import train_scorer

    net = read(data, as_of=as_of).select(as_of=as_of)
    cut = training_cut(net, cut, horizon)
    scorer = train_scorer(net, cut, horizon, split_layers(layers), seed, importance=True)
    with atomic_path(output) as tmp:
        scorer.save(tmp)
    from kumenet.messages import text

    wrote(output, text("cli.trained", current_lang(), cut=cut,
                       positives=scorer.params["positives"]))
    from kumenet.output import write_tables

    write_tables(scorer.importances, None, "table")
