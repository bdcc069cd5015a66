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

__all__ = ["CRITERIA", "Indicators", "load_indicators", "initiative_panel", "kpi_rows"]

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


def _workspace_year(record: dict, intros: pd.DataFrame, year: int, actors: set) -> dict:
    """The workspace's indicators in ``year`` for the members ``actors``."""
    touching = (intros["source"].isin(actors) | intros["target"].isin(actors)).to_numpy()
    values, details = {}, {}
    for indicator, column in (("introductions", "created_at"), ("meetings", "reached_met_at"),
                              ("agreements", "agreement_at"), ("projects", "project_at")):
        hit = touching & (_dated(intros, column) == year)
        values[indicator] = int(hit.sum())
        details[indicator] = list(zip(intros["source"][hit], intros["target"][hit]))
    held = [a for a in record["activities"] if a["held_on"].year == year]
    values["activities"] = len(held)
    values["activity_participants"] = len({p for a in held for p in a["participants"]})
    details["activities"] = details["activity_participants"] = [a["title"] for a in held]
    figures = pd.DataFrame(record["figures"], columns=["actor", "year", "figure", "value"])
    figures = figures[(figures["year"] == year) & figures["actor"].isin(actors)]
    for figure in ("turnover", "exports", "rd_staff"):
        mine = figures[figures["figure"] == figure]
        values[figure] = float(mine["value"].sum()) if len(mine) else np.nan
        details[figure] = mine["actor"].nunique()
    return {"values": values, "details": details}


def _introduced(net, intros: pd.DataFrame, year: int) -> np.ndarray:
    """Pair keys (lo * n + hi) of the introductions made up to ``year``."""
    if intros.empty:
        return np.zeros(0, dtype=np.int64)
    made = intros[_dated(intros, "created_at") <= year]
    u = net.ids.get_indexer(made["source"].astype(object))
    v = net.ids.get_indexer(made["target"].astype(object))
    ok = (u >= 0) & (v >= 0)
    lo, hi = np.minimum(u[ok], v[ok]), np.maximum(u[ok], v[ok])
    return np.unique(lo.astype(np.int64) * net.n_nodes + hi)


def _years(net, record: dict, intros: pd.DataFrame) -> list[int]:
    span = net.years()
    last = max([record["start_year"], *(span[1:] if span else []),
                *(a["held_on"].year for a in record["activities"]),
                *(f["year"] for f in record["figures"]),
                *(_dated(intros, "created_at").tolist())])
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
        got = _network_year(net, facts, year, member, was, _introduced(net, intros, year))
        desk = _workspace_year(record, intros, year, actors)
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
        elif pd.isna(old) or pd.isna(value):
            key = "rose" if pd.isna(old) else "fell"
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
