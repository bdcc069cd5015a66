"""An initiative's yearly indicator panel, and what moved each indicator.

For every year (from the year before the initiative started to the last year of the data),
the members are those whose membership spans the year's end. Indicators come from three
places:

* the network as of that year: members, ties among them and to non-members (distinct pairs
  over all layers, ties without a year counting in every year), new ties touching members in
  the year and how many of them followed an introduction (the pair was introduced by a centre
  that year or before), density among members, brokers (members on shortest paths between
  other members), the share of members with a tie abroad, members with a supply tie,
  exporters, exports and employees (the network's firm table: the same every year, so they
  move only with membership);
* the workspace: introductions touching members made that year, meetings held, agreements
  and projects reached that year, the initiative's activities and their participants;
* figures a centre uploaded (turnover, exports, R&D staff), summed over that year's members.

Each indicator's names, criterion of the national evaluation and programme reporting line
come from one editable file (``kumenet/data/initiative_indicators.toml``; see
:func:`load_indicators`). Each value comes with a sentence saying what moved it since the
year before, naming the ties, members and records behind it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from kumenet.errors import KumenetError
from kumenet.messages import check_lang, number, percent, term
from kumenet.messages import text as message
from kumenet.text import suggestion

__all__ = ["CRITERIA", "Indicators", "load_indicators", "initiative_panel", "kpi_rows",
           "read_panel", "kpi_table", "PILOT_INITIATIVES", "preset_initiatives",
           "read_figures", "cluster_members", "snapshot_network", "portal_list",
           "portal_initiative", "portal_add", "portal_members", "portal_activity"]

CRITERIA = ("economic_impact", "demand", "networking", "factor_conditions")
#: Indicators kumenet measures, in the panel's order.
MEASURED = ("members", "members_joined", "members_left", "ties_among_members", "ties_to_outside",
            "new_ties", "new_ties_after_introduction", "density", "brokers",
            "international_share", "value_chain_members", "exporters", "export_value",
            "employment", "introductions", "meetings", "agreements", "projects", "activities",
            "activity_participants", "turnover", "exports", "rd_staff")
SHARES = ("density", "international_share")
NAMED = 3  # ties, members or records named in a sentence before "and N more"


@dataclass(frozen=True)
class Indicators:
    """The panel's indicators as the mapping file says: ``{indicator: {name_en, name_tr,
    criterion, report}}`` in the file's order, and where it came from."""

    table: dict
    source: str

    def name(self, indicator: str, lang: str) -> str:
        return self.table[indicator][f"name_{lang}"]


def load_indicators(path: str | Path | None = None) -> Indicators:
    """The indicator mapping (default: the packaged file), checked: every key is an
    indicator kumenet measures, every criterion one of the four, names in both languages.

    >>> ind = load_indicators()
    >>> ind.table['density']['criterion'], ind.name('density', 'tr')
    ('networking', 'Üyeler arası yoğunluk')
    """
    if path is None:
        raw = (resources.files("kumenet.data") / "initiative_indicators.toml").read_text("utf-8")
        source = "kumenet/data/initiative_indicators.toml"
    else:
        try:
            raw = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise KumenetError(f"{path}: cannot read the indicator file ({err})") from err
        source = str(path)
    try:
        table = tomllib.loads(raw).get("indicators", {})
    except tomllib.TOMLDecodeError as err:
        raise KumenetError(f"{source}: {err}") from err
    problems = []
    if not isinstance(table, dict) or not table:
        problems.append("no [indicators.NAME] sections")
        table = {}
    for key, entry in table.items():
        if key not in MEASURED:
            problems.append(f"unknown indicator {key!r}{suggestion(key, MEASURED)}")
            continue
        if not isinstance(entry, dict):
            problems.append(f"{key}: a section [indicators.{key}] is expected")
            continue
        if entry.get("criterion") not in CRITERIA:
            problems.append(f"{key}: criterion must be one of {', '.join(CRITERIA)}, not "
                            f"{entry.get('criterion')!r}")
        for field in ("name_en", "name_tr", "report"):
            if not isinstance(entry.get(field), str) or not entry[field].strip():
                problems.append(f"{key}: {field} is missing")
    if problems:
        raise KumenetError(f"{source}: " + "; ".join(problems))
    return Indicators(table, source)


# -- the data of each year -------------------------------------------------------------------

def _members(record: dict, years: list[int]) -> tuple[pd.DataFrame, np.ndarray]:
    """The spells as a table, and a (year x spell) mask of who is a member at year end."""
    spells = pd.DataFrame(record["members"], columns=["actor", "in_network", "joined", "left"])
    ends = np.array([date(y, 12, 31) for y in years], dtype="datetime64[D]")
    joined = spells["joined"].to_numpy(dtype="datetime64[D]")
    left = pd.to_datetime(spells["left"]).to_numpy(dtype="datetime64[D]")
    inside = (joined[None, :] <= ends[:, None]) & (np.isnat(left)[None, :] |
                                                  (left[None, :] > ends[:, None]))
    return spells, inside


def _pairs(net) -> pd.DataFrame:
    """Each tied pair (undirected) with the first year of any tie and of a supply tie
    (ties without a year count from the beginning: -inf)."""
    e = net.edges
    u = e["source"].cat.codes.to_numpy(dtype=np.int64)
    v = e["target"].cat.codes.to_numpy(dtype=np.int64)
    year = e["year"].astype(float).fillna(-np.inf).to_numpy()
    table = pd.DataFrame({"lo": np.minimum(u, v), "hi": np.maximum(u, v), "year": year,
                          "layer": e["layer"].astype(str).to_numpy(),
                          "supply": (e["layer"] == "supply").to_numpy()})
    table = table[table["lo"] != table["hi"]]
    first = table.groupby(["lo", "hi"], sort=True)["year"].min()
    layers = (table.sort_values("year", kind="stable")
              .drop_duplicates(["lo", "hi"])
              .set_index(["lo", "hi"])["layer"])  # the layer of the first tie
    supply = table[table["supply"]].groupby(["lo", "hi"])["year"].min()
    out = pd.DataFrame({"first": first, "layer": layers.reindex(first.index),
                        "supply": supply.reindex(first.index)}).reset_index()
    return out


def _first_by_node(n: int, lo: np.ndarray, hi: np.ndarray, first: np.ndarray,
                   keep_lo: np.ndarray, keep_hi: np.ndarray) -> np.ndarray:
    """Per node, the first year of a pair it is in, counting ``lo`` where ``keep_lo`` (its
    partner qualifies) and ``hi`` where ``keep_hi``; +inf where none."""
    out = np.full(n, np.inf)
    np.minimum.at(out, lo[keep_lo], first[keep_lo])
    np.minimum.at(out, hi[keep_hi], first[keep_hi])
    return out


def _brokers(n_members: int, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Local positions (0..n_members-1) of members on a shortest path between two others,
    in the graph of ties among members."""
    import igraph as ig

    if not len(lo):
        return np.zeros(0, dtype=np.int64)
    g = ig.Graph(n=n_members, edges=np.column_stack([lo, hi]).tolist())
    return np.flatnonzero(np.asarray(g.betweenness(directed=False)) > 1e-9)


@dataclass
class _Network:
    """What the network says, computed once for all years."""

    pairs: pd.DataFrame
    foreign_first: np.ndarray  # per node: first year of a tie abroad
    supply_first: np.ndarray  # per node: first year of a supply tie
    exports: np.ndarray | None
    employees: np.ndarray | None


def _network_facts(net) -> _Network:
    pairs = _pairs(net)
    lo, hi = pairs["lo"].to_numpy(), pairs["hi"].to_numpy()
    first = pairs["first"].to_numpy(dtype=float)
    country = net.nodes["country"].astype(object)
    foreign = (country.notna() & (country != "TR")).to_numpy()
    supply = pairs["supply"].to_numpy(dtype=float)
    has_supply = ~np.isnan(supply)
    n = net.n_nodes

    def column(name):
        if name not in net.nodes:
            return None
        return pd.to_numeric(net.nodes[name], errors="coerce").to_numpy(dtype=float)

    return _Network(pairs, _first_by_node(n, lo, hi, first, foreign[hi], foreign[lo]),
                    _first_by_node(n, lo, hi, np.where(has_supply, supply, np.inf),
                                   has_supply, has_supply),
                    column("exports_usd"), column("employees"))


def _network_year(net, facts: _Network, year: int, member: np.ndarray, was: np.ndarray,
                  introduced: np.ndarray) -> dict:
    """The network's indicators in ``year`` for the member mask (``was``: the year before's),
    with what moved them."""
    p = facts.pairs
    lo, hi = p["lo"].to_numpy(), p["hi"].to_numpy()
    first = p["first"].to_numpy(dtype=float)
    present = first <= year
    both, one = member[lo] & member[hi], member[lo] ^ member[hi]
    old = (first < year) & present
    was_both, was_one = was[lo] & was[hi], was[lo] ^ was[hi]
    new = (first == year) & (both | one)
    key = lo * net.n_nodes + hi
    after = new & np.isin(key, introduced)
    k = int(member.sum())
    among = present & both
    positions = np.flatnonzero(member)
    local = np.full(net.n_nodes, -1)
    local[positions] = np.arange(k)
    brokers = positions[_brokers(k, local[lo[among]], local[hi[among]])]
    exports = facts.exports
    return {
        "values": {
            "ties_among_members": int(among.sum()), "ties_to_outside": int((present & one).sum()),
            "new_ties": int(new.sum()), "new_ties_after_introduction": int(after.sum()),
            "density": float(among.sum()) / (k * (k - 1) / 2) if k > 1 else np.nan,
            "brokers": len(brokers),
            "international_share": float((facts.foreign_first[member] <= year).mean())
            if k else np.nan,
            "value_chain_members": int((facts.supply_first[member] <= year).sum()),
            "exporters": np.nan if exports is None else int((exports[member] > 0).sum()),
            "export_value": np.nan if exports is None else float(np.nansum(exports[member])),
            "employment": np.nan if facts.employees is None else
            float(np.nansum(facts.employees[member]))},
        "new_among": p.loc[new & both, ["lo", "hi", "layer"]].assign(after=after[new & both]),
        "new_outside": p.loc[new & one, ["lo", "hi", "layer"]].assign(after=after[new & one]),
        "brokers": set(brokers.tolist()),
        # ties that were there before, counted now (or no longer) because members changed
        "came_among": int((old & both & ~was_both).sum()),
        "went_among": int((old & was_both & ~both).sum()),
        "came_outside": int((old & one & ~was_one).sum()),
        "went_outside": int((old & was_one & ~one).sum()),
        "abroad": np.flatnonzero(member & (facts.foreign_first == year)),
        "supply": np.flatnonzero(member & (facts.supply_first == year)),
    }


def _dated(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A date column's years (-1 where empty)."""
    if frame.empty or column not in frame:
        return np.zeros(len(frame), dtype=int)
    return pd.to_datetime(frame[column]).dt.year.fillna(-1).to_numpy(dtype=int)


#: The workspace's counts and the date of an introduction each is counted at.
COUNTED_AT = {"introductions": "created_at", "meetings": "reached_met_at",
              "agreements": "agreement_at", "projects": "project_at"}


def _prepared(net, intros: pd.DataFrame) -> pd.DataFrame:
    """The introductions as every year reads them, computed once: their ends, the year of
    each date (-1: not reached) and the pair's key (lo * n + hi; -1: an actor the network
    lacks)."""
    u = net.ids.get_indexer(intros["source"].astype(object))
    v = net.ids.get_indexer(intros["target"].astype(object))
    known = (u >= 0) & (v >= 0)
    key = np.where(known, np.minimum(u, v).astype(np.int64) * net.n_nodes + np.maximum(u, v),
                   -1)
    return pd.DataFrame({"source": intros["source"].to_numpy(dtype=object),
                         "target": intros["target"].to_numpy(dtype=object), "key": key,
                         **{c: _dated(intros, c) for c in COUNTED_AT.values()}})


def _workspace_year(record: dict, intros: pd.DataFrame, figures: pd.DataFrame, year: int,
                    actors: set) -> dict:
    """The workspace's indicators in ``year`` for the members ``actors`` (``intros``: as
    :func:`_prepared` gives them)."""
    touching = (intros["source"].isin(actors) | intros["target"].isin(actors)).to_numpy()
    values, details = {}, {}
    for indicator, column in COUNTED_AT.items():
        hit = touching & (intros[column].to_numpy() == year)
        values[indicator] = int(hit.sum())
        details[indicator] = list(zip(intros["source"][hit], intros["target"][hit]))
    held = [a for a in record["activities"] if a["held_on"].year == year]
    values["activities"] = len(held)
    values["activity_participants"] = len({p for a in held for p in a["participants"]})
    details["activities"] = details["activity_participants"] = [a["title"] for a in held]
    figures = figures[(figures["year"] == year) & figures["actor"].isin(actors)]
    for figure in ("turnover", "exports", "rd_staff"):
        mine = figures[figures["figure"] == figure]
        values[figure] = float(mine["value"].sum()) if len(mine) else np.nan
        details[figure] = mine["actor"].nunique()
    return {"values": values, "details": details}


def _introduced(intros: pd.DataFrame, year: int) -> np.ndarray:
    """Pair keys of the introductions made up to ``year`` (``intros``: :func:`_prepared`)."""
    key = intros["key"].to_numpy()
    return np.unique(key[(key >= 0) & (intros["created_at"].to_numpy() <= year)])


def _years(net, record: dict, intros: pd.DataFrame) -> list[int]:
    span = net.years()
    last = max([record["start_year"], *(span[1:] if span else []),
                *(a["held_on"].year for a in record["activities"]),
                *(f["year"] for f in record["figures"]),
                int(_dated(intros, "created_at").max(initial=record["start_year"]))])
    return list(range(record["start_year"] - 1, last + 1))


INTRO_COLUMNS = ["source", "target", "created_at", "reached_met_at", "agreement_at",
                 "project_at"]


def initiative_panel(net, record: dict, introductions: pd.DataFrame | None = None, *,
                     years=None, lang: str = "en", indicators: Indicators | None = None
                     ) -> pd.DataFrame:
    """The yearly panel of one initiative: one row per year and indicator.

    ``record`` is the initiative as :func:`kumenet.workspace.initiatives.get_initiative`
    gives it (members, activities, figures); ``introductions`` the workspace's introductions
    touching its members (``source``, ``target``, ``created_at``, ``reached_met_at``,
    ``agreement_at``, ``project_at``). Columns: ``year``, ``indicator``, ``name``, ``value``,
    ``criterion``, ``report`` and ``explanation`` (what moved the value since the year
    before, in ``lang``).

    >>> from datetime import date
    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> record = {'name': 'Örnek', 'start_year': 2021, 'activities': [], 'figures': [],
    ...           'members': [{'actor': a, 'in_network': True, 'joined': date(2021, 1, 1),
    ...                        'left': None} for a in ('F000001', 'F000002', 'F000006')]}
    >>> panel = initiative_panel(net, record, years=[2020, 2021])
    >>> panel[panel['indicator'] == 'members']['value'].tolist()
    [0.0, 3.0]
    >>> panel[(panel['indicator'] == 'members') & (panel['year'] == 2021)]['explanation'].iloc[0]
    'Members rose from 0 to 3: 3 joined (Yıldız Medikal San. Tic. Ltd. Şti., Havza Medikal San. ve Tic. A.Ş., Bilgin Medikal A.Ş.)'
    """
    check_lang(lang)
    indicators = indicators or load_indicators()
    intros = (pd.DataFrame(columns=INTRO_COLUMNS) if introductions is None
              else introductions)
    years = sorted({int(y) for y in years}) if years is not None else _years(net, record, intros)
    spells, inside = _members(record, years)
    intros = _prepared(net, intros)
    figures = pd.DataFrame(record["figures"], columns=["actor", "year", "figure", "value"])
    where = np.asarray(net.ids.get_indexer(spells["actor"].astype(object)), dtype=np.int64)
    where[~spells["in_network"].to_numpy(dtype=bool)] = -1
    facts = _network_facts(net)
    names = _Names(net, lang)
    rows, before, was = [], None, np.zeros(net.n_nodes, dtype=bool)
    for i, year in enumerate(years):  # a handful of years
        member = np.zeros(net.n_nodes, dtype=bool)
        member[where[inside[i] & (where >= 0)]] = True
        actors = set(spells["actor"][inside[i]])
        now = {"values": {"members": int(inside[i].sum())},
               "joined": spells["actor"][_dated(spells, "joined") == year].tolist(),
               "left": spells["actor"][_dated(spells, "left") == year].tolist()}
        now["values"]["members_joined"], now["values"]["members_left"] = (
            len(now["joined"]), len(now["left"]))
        got = _network_year(net, facts, year, member, was, _introduced(intros, year))
        desk = _workspace_year(record, intros, figures, year, actors)
        now.update({k: v for k, v in got.items() if k != "values"}, desk=desk["details"])
        now["values"].update(got["values"] | desk["values"])
        for indicator in indicators.table:
            rows.append(_row(indicator, year, now, before, indicators, names))
        before, was = now, member
    return pd.DataFrame(rows, columns=["year", "indicator", "name", "value", "criterion",
                                       "report", "explanation"])


class _Names:
    """Actors' names (a network id's name; an actor the network lacks by what was given)."""

    def __init__(self, net, lang: str):
        self.net, self.lang = net, lang
        self.by_id = dict(zip(net.ids, net.nodes["name"].astype(object).fillna("")))

    def actor(self, actor: str) -> str:
        return self.by_id.get(actor) or str(actor)

    def position(self, pos: int) -> str:
        return self.actor(self.net.ids[int(pos)])

    def listed(self, items) -> str:
        items = list(items)
        said = ", ".join(items[:NAMED])
        if len(items) > NAMED:
            said += " " + message("initiative.more", self.lang, n=len(items) - NAMED)
        return said

    def pairs(self, pairs) -> str:
        return self.listed([f"{self.actor(a)} – {self.actor(b)}" for a, b in pairs])


def _shown(indicator: str, value, lang: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return message("initiative.no_data", lang)
    if indicator == "international_share":
        return percent(value, lang)
    if indicator == "density":
        return number(value, lang, 2)
    return number(round(float(value)), lang)


def _row(indicator, year, now, before, indicators: Indicators, names: _Names) -> dict:
    lang = names.lang
    value = now["values"].get(indicator, np.nan)
    entry = indicators.table[indicator]
    name = entry[f"name_{lang}"]
    b = _shown(indicator, value, lang)
    if before is None:
        head = message("initiative.first", lang, name=name, b=b)
    else:
        old = before["values"].get(indicator, np.nan)
        a = _shown(indicator, old, lang)
        if a == b:
            key = "same"
        elif pd.isna(old) or pd.isna(value):  # figures reported in one year, not the other
            key = "first"
        else:
            key = "rose" if value > old else "fell"
        head = message(f"initiative.{key}", lang, name=name, a=a, b=b)
    causes = [c for c in _causes(indicator, now, before, names) if c]
    return {"year": year, "indicator": indicator, "name": name,
            "value": float(value) if value is not None else np.nan,
            "criterion": entry["criterion"], "report": entry["report"],
            "explanation": head + (": " + "; ".join(causes) if causes else "")}


def _layers(ties: pd.DataFrame, lang: str) -> str:
    counts = ties["layer"].value_counts()
    return ", ".join(f"{number(int(n), lang)} {term('layer', layer, lang)}"
                     for layer, n in counts.items())


def _ties_said(key: str, ties: pd.DataFrame, names: _Names) -> list[str]:
    lang = names.lang
    if ties.empty:
        return []
    said = [message(key, lang, n=len(ties), layers=_layers(ties, lang))]
    after = ties[ties["after"]]
    if len(after):
        said.append(message("initiative.after", lang, n=len(after), pairs=names.listed(
            [f"{names.position(a)} – {names.position(b)}" for a, b in zip(after["lo"],
                                                                          after["hi"])])))
    else:
        said[0] += ": " + names.listed([f"{names.position(a)} – {names.position(b)}"
                                        for a, b in zip(ties["lo"], ties["hi"])])
    return said


def _membership(now, names: _Names, keys=("joined", "left"), ties: str | None = None
                ) -> list[str]:
    lang = names.lang
    said = []
    for key in keys:
        if now[key]:
            said.append(message(f"initiative.{key}", lang, n=len(now[key]),
                                names=names.listed([names.actor(a) for a in now[key]])))
    if ties is not None:
        for key in ("came", "went"):
            if now[f"{key}_{ties}"]:
                said.append(message(f"initiative.{key}", lang, n=now[f"{key}_{ties}"]))
    return said


def _causes(indicator: str, now, before, names: _Names) -> list[str]:
    lang = names.lang
    listed = lambda positions: names.listed([names.position(p) for p in positions])  # noqa: E731
    desk = now["desk"]
    if indicator in ("members", "members_joined", "members_left"):
        return _membership(now, names, {"members_joined": ("joined",),
                                        "members_left": ("left",)}.get(indicator,
                                                                       ("joined", "left")))
    if indicator in ("ties_among_members", "density"):
        return _ties_said("initiative.new_among", now["new_among"], names) + \
            _membership(now, names, ties="among")
    if indicator == "ties_to_outside":
        return _ties_said("initiative.new_outside", now["new_outside"], names) + \
            _membership(now, names, ties="outside")
    if indicator in ("new_ties", "new_ties_after_introduction"):
        return (_ties_said("initiative.new_among", now["new_among"], names) +
                _ties_said("initiative.new_outside", now["new_outside"], names))
    if indicator == "brokers":
        old = before["brokers"] if before else set()
        gained, lost = sorted(now["brokers"] - old), sorted(old - now["brokers"])
        return [message("initiative.brokers_new", lang, names=listed(gained)) if gained else "",
                message("initiative.brokers_gone", lang, names=listed(lost)) if lost else ""]
    if indicator == "international_share":
        return ([message("initiative.abroad", lang, names=listed(now["abroad"]))]
                if len(now["abroad"]) else []) + _membership(now, names)
    if indicator == "value_chain_members":
        return ([message("initiative.supply", lang, names=listed(now["supply"]))]
                if len(now["supply"]) else []) + _membership(now, names)
    if indicator in ("exporters", "export_value", "employment"):
        moved = _membership(now, names)
        return moved + [message("initiative.static", lang)] if moved else []
    if indicator in ("introductions", "meetings", "agreements", "projects"):
        return [names.pairs(desk[indicator])] if desk[indicator] else []
    if indicator in ("activities", "activity_participants"):
        return [names.listed(desk[indicator])] if desk[indicator] else []
    if indicator in ("turnover", "exports", "rd_staff"):
        return [message("initiative.reported", lang, n=desk[indicator])] if desk[indicator] \
            else []
    return []


def kpi_rows(panel: pd.DataFrame, initiative: str) -> pd.DataFrame:
    """The panel as the Ministry's KPI table: ``initiative``, ``year``, ``indicator``,
    ``value``, ``criterion`` (indicators without data left out).

    >>> panel = pd.DataFrame({'year': [2021, 2021], 'indicator': ['members', 'turnover'],
    ...                       'value': [3.0, float('nan')], 'criterion': ['economic_impact'] * 2})
    >>> kpi_rows(panel, 'Örnek').values.tolist()
    [['Örnek', 2021, 'members', 3.0, 'economic_impact']]
    """
    out = panel[panel["value"].notna()][["year", "indicator", "value", "criterion"]]
    out.insert(0, "initiative", initiative)
    return out.reset_index(drop=True)


# -- from the workspace ------------------------------------------------------------------------

def _introductions(ws, user, actors: list[str]) -> pd.DataFrame:
    """The introductions touching ``actors`` that ``user`` may count: all for an admin (and
    the command line), otherwise every centre's but another centre's private ones."""
    import sqlalchemy as sa

    from kumenet.workspace.schema import introductions as table

    columns = [table.c[c] for c in INTRO_COLUMNS]
    found = []
    with ws.read() as conn:
        for start in range(0, len(actors), 500):  # IN lists of a bounded length
            chunk = actors[start:start + 500]
            query = sa.select(*columns).where(sa.or_(table.c.source.in_(chunk),
                                                     table.c.target.in_(chunk)))
            if user.role != "admin":
                query = query.where(sa.or_(~table.c.private, table.c.centre_id == user.centre_id))
            found.append(pd.DataFrame(conn.execute(query).all(), columns=INTRO_COLUMNS))
    out = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=INTRO_COLUMNS)
    return out.drop_duplicates().sort_values(["created_at", "source", "target"],
                                             ignore_index=True)


def read_panel(ws, net, user, name: str, *, lang: str = "en", years=None,
               indicators: Indicators | None = None) -> tuple[dict, pd.DataFrame]:
    """An initiative from the workspace and its panel on ``net``: ``(record, panel)``.

    >>> import tempfile, pathlib
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.initiatives import add_initiative
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> _ = add_initiative(ws, me, 'Örnek', start_year=2023, members=['F000001', 'F000006'])
    >>> record, panel = read_panel(ws, read_network('sample_networks/pilot'), me, 'örnek')
    >>> panel[panel['indicator'] == 'ties_among_members']['value'].tolist()
    [0.0, 1.0, 1.0]
    """
    from kumenet.workspace.initiatives import get_initiative

    record = get_initiative(ws, user, name)
    intros = _introductions(ws, user, sorted({m["actor"] for m in record["members"]}))
    return record, initiative_panel(net, record, intros, years=years, lang=lang,
                                    indicators=indicators)


def kpi_table(ws, net, user, *, years=None, indicators: Indicators | None = None
              ) -> pd.DataFrame:
    """Every initiative's panel as one KPI table (see :func:`kpi_rows`), initiatives in
    name order.

    >>> import tempfile, pathlib
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.initiatives import add_initiative
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> _ = add_initiative(ws, me, 'Örnek', start_year=2023, members=['F000001', 'F000006'])
    >>> kpis = kpi_table(ws, read_network('sample_networks/pilot'), me)
    >>> kpis.columns.tolist(), len(kpis) > 20
    (['initiative', 'year', 'indicator', 'value', 'criterion'], True)
    """
    from kumenet.text import sort_key
    from kumenet.workspace.initiatives import list_initiatives

    rows = [kpi_rows(read_panel(ws, net, user, i["name"], years=years,
                                indicators=indicators)[1], i["name"])
            for i in sorted(list_initiatives(ws, user), key=lambda i: sort_key(i["name"]))]
    if not rows:
        return pd.DataFrame(columns=["initiative", "year", "indicator", "value", "criterion"])
    return pd.concat(rows, ignore_index=True)


#: The programme's five pilot initiatives as the demo presets them: (name, the pilot
#: network's cluster, centre, coordinating institution).
PILOT_INITIATIVES = (
    ("Samsun Medikal Kümesi", "Samsun tıbbi cihazlar", "samsun", "I-SAM-TSO"),
    ("Trabzon Tekne İmalatı Kümesi", "Trabzon tekne yapımı", "trabzon", "I-TRA-TSO"),
    ("Çorum Değirmen Makineleri Kümesi", "Çorum değirmen makineleri", "corum", "I-COR-TSO"),
    ("Kahramanmaraş Tekstil Kümesi", "Kahramanmaraş tekstil", "kahramanmaras", "I-KMA-TSO"),
    ("Gaziantep Makine Halısı Kümesi", "Gaziantep makine halısı", "gaziantep", "I-GAZ-GSO"),
)
DEMO_ACTIVITIES = (("b2b_day", "İkili görüşme günü"), ("training", "Dış ticaret eğitimi"),
                   ("trade_mission", "Ticaret heyeti"), ("joint_fair", "Ortak fuar katılımı"))


def preset_initiatives(ws, net, user, *, start_year: int = 2021, seed: int = 0) -> int:
    """The five pilot initiatives (:data:`PILOT_INITIATIVES`) on ``net``'s clusters, as
    sample data: most firms join at the start, the others over the next two years, a few
    leave; two activities a year; turnover and exports reported by most members. Returns
    how many were made (a cluster the network lacks is skipped).

    >>> import tempfile, pathlib
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'yonetici', 'admin', 'uzun-bir-parola')
    >>> me = login(ws, 'yonetici', 'uzun-bir-parola').user
    >>> preset_initiatives(ws, read_network('sample_networks/pilot'), me)
    5
    """
    from kumenet.workspace import initiatives as wi

    if "cluster" not in net.nodes:
        return 0
    rng = np.random.default_rng(seed)
    made = 0
    for name, cluster, centre, coordinator in PILOT_INITIATIVES:
        firms = net.nodes[(net.nodes["cluster"] == cluster).to_numpy()]
        if firms.empty:
            continue
        ids = firms["id"].astype(str).to_numpy()
        late = rng.random(len(ids)) < 0.3
        wi.add_initiative(ws, user, name, start_year=start_year,
                          provinces=sorted(set(firms["province"].dropna().astype(str))),
                          sectors=firms["sector"].astype(str).value_counts().index[:2].tolist(),
                          coordinator=coordinator if coordinator in set(net.ids) else None,
                          members=ids[~late].tolist(), centre=centre)
        days = rng.integers(0, 730, late.sum())
        for day in np.unique(days):
            wi.add_members(ws, user, name, ids[late][days == day].tolist(),
                           date(start_year + 1, 1, 1) + pd.Timedelta(days=int(day)))
        leaving = ids[~late][rng.random((~late).sum()) < 0.06]
        if len(leaving):
            wi.end_membership(ws, user, name, leaving.tolist(), date(start_year + 2, 6, 30))
        _demo_activities(ws, user, name, ids, rng, start_year)
        _demo_figures(ws, user, name, firms, rng, start_year)
        made += 1
    return made


def _demo_activities(ws, user, name, ids, rng, start_year: int) -> None:
    from kumenet.workspace.initiatives import add_activity

    for year in range(start_year, start_year + 4):
        for k in rng.choice(len(DEMO_ACTIVITIES), 2, replace=False):
            kind, title = DEMO_ACTIVITIES[int(k)]
            taking = ids[rng.random(len(ids)) < rng.uniform(0.2, 0.5)]
            add_activity(ws, user, name, kind, f"{title} {year}",
                         date(year, int(rng.integers(2, 12)), int(rng.integers(1, 28))),
                         participants=taking.tolist(),
                         outcome=f"{len(taking)} firma katıldı (örnek veri)")


def _demo_figures(ws, user, name, firms: pd.DataFrame, rng, start_year: int) -> None:
    from kumenet.workspace.initiatives import record_figures

    employees = pd.to_numeric(firms["employees"], errors="coerce").fillna(10).to_numpy()
    exports = pd.to_numeric(firms.get("exports_usd"), errors="coerce")
    exports = np.zeros(len(firms)) if exports is None else exports.fillna(0).to_numpy()
    rows = []
    for step, year in enumerate(range(start_year, start_year + 4)):
        reporting = rng.random(len(firms)) < 0.7
        growth = (1.0 + rng.normal(0.08, 0.05, len(firms))) ** step
        for figure, values in (("turnover", employees * 1.6e6 * growth),
                               ("exports", exports * growth)):
            keep = reporting & (values > 0)
            rows += [{"actor": a, "year": year, "figure": figure, "value": round(float(v), -3)}
                     for a, v in zip(firms["id"].astype(str)[keep], values[keep])]
    record_figures(ws, user, name, rows)


#: A figures file's headers (folded) -> what they hold.
FIGURE_COLUMNS = {"firma": "actor", "firm": "actor", "actor": "actor", "id": "actor",
                  "uye": "actor", "yil": "year", "year": "year", "ciro": "turnover",
                  "turnover": "turnover", "ihracat": "exports", "exports": "exports",
                  "ihracat usd": "exports", "ar ge personeli": "rd_staff",
                  "arge personeli": "rd_staff", "r d staff": "rd_staff", "rd staff": "rd_staff"}


def read_figures(path, resolve, *, decimal: str | None = None) -> list[dict]:
    """A centre's figures file (``.xlsx``, ``.csv``, ``.parquet``; one row per member and
    year: Firma, Yıl, and any of Ciro, İhracat, Ar-Ge Personeli) as rows for
    :func:`kumenet.workspace.initiatives.record_figures`. Members are found by id or name
    (``resolve``); every problem is reported with its file, line and column, and nothing is
    returned unless all are right.

    >>> import tempfile
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / 'rakamlar.csv'
    >>> _ = path.write_text('Firma;Yıl;Ciro;Ar-Ge Personeli\\nF1;2023;1.250.000,5;3\\n',
    ...                     encoding='utf-8')
    >>> read_figures(path, str)
    [{'actor': 'F1', 'year': 2023, 'figure': 'turnover', 'value': 1250000.5}, {'actor': 'F1', 'year': 2023, 'figure': 'rd_staff', 'value': 3.0}]
    """
    from kumenet.errors import InputDataError, ProblemCollector, UnknownNodeError
    from kumenet.graph.io import read_table
    from kumenet.graph.validate import TableChecker
    from kumenet.text import fold

    raw = read_table(path, decimal=decimal)
    problems = ProblemCollector()
    check = TableChecker(raw, problems)
    found = {}
    for header in raw.frame.columns:
        role = FIGURE_COLUMNS.get(" ".join(fold(str(header)).replace("_", " ").split()))
        if role and role not in found:
            found[role] = header
    figures = [f for f in ("turnover", "exports", "rd_staff") if f in found]
    if "actor" not in found or "year" not in found or not figures:
        raise InputDataError([_problem(raw, "the figures need the columns Firma and Yıl "
                                               "and at least one of Ciro, İhracat, Ar-Ge "
                                               "Personeli (the columns are " +
                                          ", ".join(map(repr, map(str, raw.frame.columns))) +
                                          ")")])
    check.original = {role: header for role, header in found.items()}
    frame = raw.frame.rename(columns={h: r for r, h in found.items()})
    years = check.whole(frame["year"], "year", "Int32")
    check.rows(years.isna().to_numpy() & frame["year"].isna().to_numpy(), "year", "empty year")
    given = frame["actor"].astype(object).where(frame["actor"].notna(), "").astype(str).str.strip()
    check.rows((given == "").to_numpy(), "actor", "empty member")
    found_ids, unknown = {}, {}
    for name in given[given != ""].unique():  # each name once
        try:
            found_ids[name] = resolve(name)
        except UnknownNodeError as err:
            unknown[name] = str(err)
    check.rows(given.isin(list(unknown)).to_numpy(), "actor",
               lambda i: unknown[given.iloc[i]])
    actors = given.map(found_ids).tolist()  # NaN where empty or unknown
    out = []
    for figure in figures:
        values, bad = check.numbers(frame[figure], figure)
        check.rows(bad, figure, lambda i, f=figure: f"{found[f]} must be a number, not "
                                                    f"{str(frame[f].iloc[i])[:40]!r}")
        check.rows((values < 0).to_numpy(dtype=bool), figure, "cannot be negative")
        keep = values.notna().to_numpy() & years.notna().to_numpy()
        out += [{"actor": a, "year": int(y), "figure": figure, "value": float(v)}
                for a, y, v, k in zip(actors, years, values, keep) if k and isinstance(a, str)]
    twice = pd.DataFrame(out, columns=["actor", "year", "figure", "value"]).duplicated(
        ["actor", "year", "figure"])
    if twice.any():
        problems.add(raw.file, None, None, None, f"{int(twice.sum())} figures are given twice "
                     "for the same member and year; keep one row per member and year")
    problems.raise_if_any()
    return out


def _problem(raw, message: str):
    from kumenet.errors import Problem

    return Problem(raw.file, 1, None, None, message)


# -- in the portal -----------------------------------------------------------------------------

def snapshot_network(snap):
    """The network a portal's snapshot was built from (its node and tie tables), built once
    per snapshot: what the initiatives' panels are measured on.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> again = snapshot_network(snap)
    >>> (again.n_nodes, again.n_edges) == (net.n_nodes, net.n_edges), again is snapshot_network(snap)
    (True, True)
    """
    found = getattr(snap, "_network", None)
    if found is not None:
        return found
    from kumenet.graph.network import Network

    wanted = ["id", "name", "kind", "country", "province", "sector", "employees",
              "exports_usd", "cluster"]
    have = [c for c in wanted if c in set(snap.frame("SELECT * FROM nodes LIMIT 0").columns)]
    nodes = snap.frame("SELECT " + ", ".join(f'"{c}"' for c in have) + " FROM nodes")
    ties = snap.frame("SELECT source, target, layer, weight, year FROM ties")
    ids = pd.Index(nodes["id"].astype(str))
    edges = pd.DataFrame({
        "source": pd.Categorical(ties["source"].astype(str), categories=ids),
        "target": pd.Categorical(ties["target"].astype(str), categories=ids),
        "layer": pd.Categorical(ties["layer"].astype(str)),
        "weight": ties["weight"].astype(float),
        "year": pd.array(ties["year"], dtype="Int32")})
    net = Network(nodes, edges, snap.directed)
    snap._network = net
    return net


def _lines(text) -> list[str]:
    """Names or ids given one per line (or separated by semicolons)."""
    return [p.strip() for p in str(text or "").replace(";", "\n").splitlines() if p.strip()]


def _ids_in(net, names) -> list[str]:
    return [str(net.ids[net.find(n)]) for n in names]


def portal_list(ws, snap, user, lang: str) -> dict:
    """The initiatives page's data: every initiative, and what the form to add one offers.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> snap = Snapshot(ensure_snapshot(read_network('sample_networks/pilot'), 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> page = portal_list(ws, snap, me, 'tr')
    >>> page['initiatives'], page['may_write'], len(page['clusters'])
    ([], True, 14)
    """
    from kumenet.workspace.initiatives import list_initiatives

    rows = list_initiatives(ws, user)
    return {"initiatives": [{k: r[k] for k in ("name", "centre", "start_year", "members_now",
                                               "provinces", "sectors")} for r in rows],
            "may_write": user.role in ("admin", "staff"),
            "clusters": [c["cluster"] for c in snap.named["clusters"]],
            "year": date.today().year}


def portal_initiative(ws, snap, user, name: str, lang: str) -> dict:
    """An initiative's page: its record, the panel (rows) and the panel drawn (``html``).

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> snap = Snapshot(ensure_snapshot(read_network('sample_networks/pilot'), 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> _ = portal_add(ws, snap, me, name='Örnek', start_year=2022, members='F000001; F000006')
    >>> page = portal_initiative(ws, snap, me, 'örnek', 'tr')
    >>> page['name'], len(page['members']), page['html'].count('class="km-card"')
    ('Örnek', 2, 23)
    """
    from markupsafe import Markup

    from kumenet.viz.initiative import initiative_fragment

    net = snapshot_network(snap)
    record, panel = read_panel(ws, net, user, name, lang=lang)
    names = dict(zip(net.ids, net.nodes["name"].astype(object)))
    named = lambda a: names.get(a) or a  # noqa: E731
    return {"name": record["name"], "centre": record["centre"],
            "coordinator": named(record["coordinator"]) if record["coordinator"] else None,
            "start_year": record["start_year"], "provinces": record["provinces"],
            "sectors": record["sectors"],
            "members": [{"id": m["actor"], "name": named(m["actor"]),
                         "joined": m["joined"].isoformat(),
                         "left": m["left"].isoformat() if m["left"] else None}
                        for m in record["members"]],
            "panel": panel.replace({np.nan: None}).to_dict("records"),
            "may_write": user.is_admin or (user.role == "staff" and
                                           user.centre_id == record["centre_id"]),
            "html": Markup(initiative_fragment(record, panel, named, lang))}


def cluster_members(net, cluster: str) -> list[str]:
    """The ids of the firms of a declared cluster, its name matched Turkish-aware (an unknown
    one: "did you mean").

    >>> from kumenet.graph.io import read_network
    >>> len(cluster_members(read_network('sample_networks/pilot'), 'ÇORUM LEBLEBİ'))
    27
    """
    from kumenet.text import fold, fold_series

    if "cluster" not in net.nodes:
        raise KumenetError("the network has no cluster column: name the members one by one")
    labels = net.nodes["cluster"].astype(object)
    hit = (fold_series(labels) == fold(cluster)).to_numpy(dtype=bool) & labels.notna().to_numpy()
    if not hit.any():
        raise KumenetError(f"no cluster named {cluster[:80]!r}"
                           f"{suggestion(cluster, labels.dropna().unique())}")
    return [str(i) for i in net.ids[hit]]


def portal_add(ws, snap, user, *, name: str, start_year, provinces: str = "",
               sectors: str = "", cluster: str = "", members: str = "", coordinator: str = "",
               address: str | None = None) -> dict:
    """An initiative added from the portal's form: members named one per line (or by ``;``),
    or every firm of a cluster; the coordinating institution by id or name. Returns the
    record written.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> snap = Snapshot(ensure_snapshot(read_network('sample_networks/pilot'), 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> len(portal_add(ws, snap, me, name='Leblebi', start_year='2022',
    ...                cluster='Çorum leblebi')['members'])
    27
    """
    from kumenet.workspace.initiatives import add_initiative

    net = snapshot_network(snap)
    try:
        year = int(str(start_year).strip())
    except ValueError as err:
        raise KumenetError(f"start year must be a year, not {str(start_year)[:20]!r}") from err
    chosen = _ids_in(net, _lines(members))
    if str(cluster or "").strip():
        chosen += [i for i in cluster_members(net, str(cluster)) if i not in chosen]
    lead = _ids_in(net, [coordinator.strip()])[0] if str(coordinator or "").strip() else None
    return add_initiative(ws, user, name, start_year=year, coordinator=lead,
                          provinces=[p.strip() for p in str(provinces or "").split(",")
                                     if p.strip()],
                          sectors=[s.strip() for s in str(sectors or "").split(",") if s.strip()],
                          members=chosen, address=address)


def portal_members(ws, snap, user, name: str, actors: str, action: str, on,
                   address: str | None = None) -> list[dict]:
    """Members joining (``action="join"``) or leaving on ``on``, named one per line.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> snap = Snapshot(ensure_snapshot(read_network('sample_networks/pilot'), 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> _ = portal_add(ws, snap, me, name='Örnek', start_year=2022, members='F000001')
    >>> [m['actor'] for m in portal_members(ws, snap, me, 'Örnek', 'F000006', 'join',
    ...                                     '2023-05-01')]
    ['F000006']
    """
    from kumenet.workspace.initiatives import add_members, end_membership

    if action not in ("join", "leave"):
        raise KumenetError("action must be join or leave")
    ids = _ids_in(snapshot_network(snap), _lines(actors))
    if not ids:
        raise KumenetError("name at least one firm")
    change = add_members if action == "join" else end_membership
    return change(ws, user, name, ids, on, address=address)


def portal_activity(ws, snap, user, name: str, *, kind: str, title: str, held_on,
                    participants: str = "", place: str | None = None,
                    outcome: str | None = None, address: str | None = None) -> dict:
    """An activity recorded from the portal's form (participants one per line).

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.app.portal import Snapshot
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> snap = Snapshot(ensure_snapshot(read_network('sample_networks/pilot'), 'pilot',
    ...                 folder=Path(tempfile.gettempdir()) / 'kumenet-examples'))
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> _ = portal_add(ws, snap, me, name='Örnek', start_year=2022, members='F000001')
    >>> portal_activity(ws, snap, me, 'Örnek', kind='training', title='Eğitim',
    ...                 held_on='2023-05-01', participants='F000001')['participants']
    ['F000001']
    """
    from kumenet.workspace.initiatives import add_activity

    ids = _ids_in(snapshot_network(snap), _lines(participants))
    return add_activity(ws, user, name, kind, title, held_on, participants=ids,
                        place=place or None, outcome=outcome or None, address=address)
