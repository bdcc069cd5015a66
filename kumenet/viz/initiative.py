"""An initiative's panel drawn: one self-contained HTML page (small charts per indicator,
grouped by the national evaluation's criteria, each with what moved it), and the same as an
Excel workbook. The panel itself is computed in :mod:`kumenet.app.initiatives`."""

from __future__ import annotations

import numpy as np
import pandas as pd
from markupsafe import Markup

from kumenet.messages import number, percent, term, text
from kumenet.text import tr_upper

__all__ = ["initiative_html", "initiative_fragment", "initiative_tables"]

CRITERIA = ("economic_impact", "demand", "networking", "factor_conditions")
WORDS = ("years", "year", "value", "why_head", "members", "member", "joined_on", "left_on",
         "activities", "date", "activity", "participants", "outcome")


def _value(indicator: str, value: float, lang: str) -> str:
    if value != value:
        return text("initiative.no_data", lang)
    if indicator == "international_share":
        return percent(value, lang)
    if indicator == "density":
        return number(value, lang, 2)
    return number(round(value), lang)


def _cards(panel: pd.DataFrame, lang: str) -> list[dict]:
    from kumenet.viz.charts import line_chart

    groups = []
    for criterion in CRITERIA:
        mine = panel[panel["criterion"] == criterion]
        cards = []
        for indicator, rows in mine.groupby("indicator", sort=False):
            values = rows["value"].to_numpy(dtype=float)
            shown = [_value(indicator, v, lang) for v in values]
            last = rows.iloc[-1]
            cards.append({
                "indicator": indicator,
                "chart": Markup(line_chart(rows["year"], values, last["name"], lang, shown)),
                "latest": f"{last['year']}: {shown[-1]}", "report": last["report"],
                "why": last["explanation"],
                "rows": [{"year": y, "value": s, "why": w} for y, s, w in
                         zip(rows["year"], shown, rows["explanation"])][::-1]})
        if cards:
            title = text(f"criterion.{criterion}", lang)
            groups.append({"criterion": criterion, "title": tr_upper(title[:1]) + title[1:],
                           "cards": cards})
    return groups


def _members(record: dict, names) -> list[dict]:
    return [{"name": names(m["actor"]), "joined": m["joined"].isoformat(),
             "left": m["left"].isoformat() if m["left"] else ""} for m in record["members"]]


def _activities(record: dict, lang: str) -> list[dict]:
    return [{"held_on": a["held_on"].isoformat(), "title": a["title"],
             "kind": term("activity_kind", a["kind"], lang),
             "participants": len(a["participants"]), "outcome": a["outcome"] or ""}
            for a in record["activities"]]


def initiative_html(record: dict, panel: pd.DataFrame, names, lang: str, *,
                    network: str, mapping: str) -> str:
    """The panel as one page: no script, no request (works offline, prints as is).
    ``names`` gives an actor's name from its id.

    >>> from datetime import date
    >>> from kumenet.app.initiatives import initiative_panel
    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> record = {'name': 'Örnek <girişim>', 'start_year': 2021, 'activities': [],
    ...           'figures': [], 'centre': 'samsun', 'provinces': ['Samsun'], 'sectors': [],
    ...           'members': [{'actor': a, 'in_network': True, 'joined': date(2021, 1, 1),
    ...                        'left': None} for a in ('F000001', 'F000002', 'F000006')]}
    >>> page = initiative_html(record, initiative_panel(net, record, lang='tr'), str, 'tr',
    ...                        network='pilot', mapping='varsayılan')
    >>> '&lt;girişim&gt;' in page, '<script' in page, page.count('class="km-card"')
    (True, False, 23)
    """
    from kumenet.viz.brief import BRIEF_CSS_ASSET
    from kumenet.viz.html import asset, render_page

    members_now = sum(1 for m in record["members"] if m["left"] is None)
    return render_page(
        "initiative.html", [], lang=lang,
        title=text("initiative.title", lang, name=record["name"]),
        subtitle=text("initiative.subtitle", lang, centre=record.get("centre") or "-",
                      year=str(record["start_year"]),
                      provinces=", ".join(record.get("provinces") or []) or "-",
                      sectors=", ".join(record.get("sectors") or []) or "-"),
        members_now=text("initiative.members_now", lang, n=members_now),
        made=text("initiative.made", lang, network=network, mapping=mapping),
        groups=_cards(panel, lang), members=_members(record, names),
        activities=_activities(record, lang),
        words={w: text(f"initiative.{w}", lang) for w in WORDS},
        css=Markup(asset("kumenet.css") + asset(BRIEF_CSS_ASSET)))


def initiative_fragment(record: dict, panel: pd.DataFrame, names, lang: str) -> Markup:
    """The panel's sections, to be placed in another page (the portal's initiative page);
    every value escaped.

    >>> from datetime import date
    >>> panel = pd.DataFrame({'year': [2021, 2022], 'indicator': 'members',
    ...     'name': 'Üye sayısı', 'value': [3.0, 4.0], 'criterion': 'economic_impact',
    ...     'report': 'Üye <sayısı>', 'explanation': ['Üye sayısı: 3', 'arttı (3 → 4)']})
    >>> part = initiative_fragment({'members': [], 'activities': []}, panel, str, 'tr')
    >>> part.lstrip().startswith('<section'), 'Üye &lt;sayısı&gt;' in part
    (True, True)
    """
    from kumenet.viz.html import render_page

    return Markup(render_page("initiative_parts.html", [], lang=lang, groups=_cards(panel, lang),
                              members=_members(record, names),
                              activities=_activities(record, lang),
                              words={w: text(f"initiative.{w}", lang) for w in WORDS}))


def initiative_tables(record: dict, panel: pd.DataFrame, names, lang: str) -> dict:
    """The panel as tables for a workbook: the values (indicator x year), what moved them
    (one row per year and indicator), the members and the activities.

    >>> panel = pd.DataFrame({'year': [2021, 2022], 'indicator': 'members',
    ...     'name': 'Üye sayısı', 'value': [3.0, 4.0], 'criterion': 'economic_impact',
    ...     'report': 'Üye', 'explanation': ['Üye sayısı: 3', 'Üye sayısı arttı (3 → 4)']})
    >>> record = {'members': [], 'activities': []}
    >>> initiative_tables(record, panel, str, 'tr')['panel'].columns.tolist()
    ['indicator', 'name', 'criterion', 'report', 2021, 2022]
    """
    keys = ["indicator", "name", "criterion", "report"]
    wide = panel.pivot(index=keys, columns="year", values="value")
    wide = wide.reindex(pd.MultiIndex.from_frame(panel[keys].drop_duplicates())).reset_index()
    wide.columns = [c if isinstance(c, str) else int(c) for c in wide.columns]
    wide["criterion"] = [text(f"criterion.{c}", lang) for c in wide["criterion"]]
    members = pd.DataFrame(_members(record, names), columns=["name", "joined", "left"])
    activities = pd.DataFrame(_activities(record, lang),
                              columns=["held_on", "title", "kind", "participants", "outcome"])
    why = panel[["year", "name", "value", "explanation"]].copy()
    why["value"] = np.where(why["value"].isna(), None, why["value"])
    return {"panel": wide, "explanations": why, "members": members, "activities": activities}
