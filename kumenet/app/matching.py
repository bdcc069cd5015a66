"""The decisions around partner matching that the command line and the portal share: which
scorer to use and why, the size of a consortium as people write it, the years a scorer
learns from or is tested on."""

from __future__ import annotations

from kumenet.errors import KumenetError

__all__ = ["choose", "consortium_size", "training_cut", "evaluation_horizon"]


def choose(net, *, method: str = "default", model=None, retrain: bool = False, layers=None,
           as_of: int | None = None, seed: int = 0, lang: str = "tr", notify=None,
           progress=None):
    """The scorer to match with and the sentence that says why: a saved model (``model``),
    the default scorer (trained on the network's history once, then from the cache), or a
    heuristic by name.

    >>> choose(None, method="adamic_adar")[0]
    'adamic_adar'
    """
    from kumenet.messages import text

    if model is not None:
        from kumenet.matching.scorers import TrainedScorer

        scorer = TrainedScorer.load(model)
        return scorer, text("scorer.model", lang, path=str(model),
                            positives=str(scorer.params.get("positives", "?")))
    if method != "default":
        return method, ""
    from kumenet.matching.model import choose_scorer

    choice = choose_scorer(net, layers=layers, as_of=as_of, seed=seed, retrain=retrain,
                           notify=notify, lang=lang, progress=progress)
    return choice.scorer, choice.reason


def consortium_size(size: str) -> tuple[int, int]:
    """``"3-6"`` -> (3, 6); ``"4"`` -> (4, 4).

    >>> consortium_size("3-6"), consortium_size(" 4 ")
    ((3, 6), (4, 4))
    >>> consortium_size("three")
    Traceback (most recent call last):
    ...
    kumenet.errors.KumenetError: 'three' is not MIN-MAX (a consortium size such as 3-6)
    """
    low, _, high = size.strip().partition("-")
    try:
        return int(low), int(high or low)
    except ValueError:
        raise KumenetError(f"{size!r} is not MIN-MAX (a consortium size such as 3-6)") from None


def training_cut(net, cut: int | None, horizon: int) -> int:
    """The year a scorer learns from: ``cut``, or the last year of the ties minus
    ``horizon``.

    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> training_cut(net, None, 1), training_cut(net, 2020, 1)
    (2023, 2020)
    """
    if cut is not None:
        return cut
    years = net.edges["year"].dropna()
    if years.empty:
        raise KumenetError("the ties have no years: nothing to learn a history from")
    return int(years.max()) - horizon


def evaluation_horizon(net, split_year: int, until: int | None) -> int | None:
    """The years after ``split_year`` an evaluation tests on (None: all of them), once the
    network is checked to have ties on both sides of the split.

    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> evaluation_horizon(net, 2021, None), evaluation_horizon(net, 2021, 2023)
    (None, 2)
    """
    span = net.years()
    if span is None:
        raise KumenetError("the ties have no year: evaluation learns from the past and tests "
                           "on the future, so it needs a year column in the edges")
    if split_year >= span[1]:
        raise KumenetError(f"no ties after {split_year}; the last year is {span[1]}: choose a "
                           f"split year before it")
    net.check_as_of(split_year)
    return None if until is None else until - split_year
