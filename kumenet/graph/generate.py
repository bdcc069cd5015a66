"""A generator of realistic cluster-programme networks at any size.

``generate(firms, seed)`` builds a network shaped like the pilot programme's: SMEs in the
five pilot provinces grouped into planted clusters whose sectors follow what each province
is known for, a few suppliers and buyers in other provinces, foreign buyers and suppliers in
the countries these provinces trade with, and the real institutions around them. Ties come
in four layers (supply along the value chain, collaboration, membership, information) over
2015-2024, with hubs (skewed activity), brokers (firms whose ties cross clusters and
provinces), and missing or variously spelt attributes, as in real programme data.

Everything is drawn with numpy in whole arrays: a million firms take seconds. The pilot
sample in ``sample_networks/pilot`` is ``generate(720, seed=2024)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd

__all__ = ["generate"]


YEARS = np.arange(2015, 2025)
LAYERS = ("supply", "collaboration", "membership", "information")
DIRECTED = ("supply", "membership")

# (province, label, {sector: share}, export markets): what each pilot province is known for.
CLUSTER_TEMPLATES = [
    ("Samsun", "Samsun tıbbi cihazlar", {"32.50": 6, "22.29": 3, "25.62": 1}, "IQ DE AZ"),
    ("Samsun", "Samsun tarım makineleri", {"28.30": 6, "25.62": 3, "24.10": 1}, "IQ RU GE"),
    ("Trabzon", "Trabzon fındık ve çay", {"10.39": 4, "10.83": 3, "01.25": 2, "01.27": 2,
                                             "17.21": 1}, "DE IT FR"),
    ("Trabzon", "Trabzon kuyumculuk", {"32.12": 6, "24.41": 1}, "AE IQ DE"),
    ("Trabzon", "Trabzon tekne yapımı", {"30.12": 5, "16.10": 2, "25.62": 1}, "GE RU NL"),
    ("Çorum", "Çorum değirmen makineleri", {"28.93": 6, "25.62": 3, "24.10": 1}, "RU UZ IQ"),
    ("Çorum", "Çorum tuğla ve kiremit", {"23.32": 6, "08.12": 2, "41.20": 1}, "IQ GE"),
    ("Çorum", "Çorum leblebi", {"10.39": 6, "01.11": 2, "17.21": 1, "10.61": 1}, "DE NL"),
    ("Kahramanmaraş", "Kahramanmaraş tekstil", {"13.10": 6, "13.20": 3, "14.13": 2,
                                                 "01.16": 1}, "IT GB ES"),
    ("Kahramanmaraş", "Kahramanmaraş metal mutfak eşyası", {"25.99": 6, "24.42": 2}, "IQ SA DE"),
    ("Kahramanmaraş", "Kahramanmaraş dondurma", {"10.52": 6, "01.41": 2, "22.22": 1}, "DE AE"),
    ("Gaziantep", "Gaziantep makine halısı", {"13.93": 6, "13.10": 3, "20.60": 1}, "US SA IQ"),
    ("Gaziantep", "Gaziantep plastik", {"22.22": 5, "22.29": 2, "20.16": 1}, "IQ SY DE"),
    ("Gaziantep", "Gaziantep fıstık ve baklava", {"10.39": 4, "10.71": 4, "01.25": 2,
                                                      "17.21": 1}, "DE GB AE US"),
]
# Suppliers and buyers outside the pilot provinces: (province, sectors).
OTHER_PROVINCES = [
    ("İstanbul", ["46.00", "14.13", "22.29"]), ("Kocaeli", ["20.16", "24.10"]),
    ("Bursa", ["13.20", "28.30"]), ("Konya", ["28.30", "25.62"]), ("Ankara", ["32.50", "28.93"]),
    ("İzmir", ["10.39", "22.22"]), ("Denizli", ["13.10"]), ("Adana", ["13.10", "01.16"]),
    ("Hatay", ["24.10"]), ("Şanlıurfa", ["01.16"]), ("Ordu", ["01.25"]), ("Rize", ["01.27"]),
    ("Karabük", ["24.10"]), ("Kayseri", ["24.42", "25.99"]),
]
# Foreign suppliers: (country, sectors they sell).
FOREIGN_SUPPLIERS = [("CN", ["20.16", "20.60", "25.62"]), ("DE", ["28.93", "25.62"]),
                     ("IT", ["28.93", "24.41"]), ("UZ", ["01.16"]), ("US", ["01.16"]),
                     ("TM", ["01.16"]), ("IR", ["20.16"])]
BUYER_COUNTRIES = ["DE", "IQ", "GB", "US", "IT", "RU", "NL", "FR", "SA", "AE", "GE", "AZ",
                   "ES", "UZ", "SY"]
TEMPLATE_SIZE = {
    "Samsun tıbbi cihazlar": 1.1, "Samsun tarım makineleri": 1.2,
    "Trabzon fındık ve çay": 1.5, "Trabzon kuyumculuk": 0.8, "Trabzon tekne yapımı": 0.5,
    "Çorum değirmen makineleri": 1.1, "Çorum tuğla ve kiremit": 0.7, "Çorum leblebi": 0.6,
    "Kahramanmaraş tekstil": 1.6, "Kahramanmaraş metal mutfak eşyası": 0.9,
    "Kahramanmaraş dondurma": 0.6, "Gaziantep makine halısı": 1.6,
    "Gaziantep plastik": 1.1, "Gaziantep fıstık ve baklava": 1.3}
SHARE_PILOT, SHARE_OTHER = 0.88, 0.04  # the rest are foreign

_SURNAMES = ("Yıldız Kaya Demir Şahin Çelik Aydın Öztürk Arslan Doğan Kılıç Aslan Çetin Kara "
             "Koç Kurt Özdemir Şimşek Polat Özkan Güneş Erdoğan Yalçın Akın Korkmaz Bulut "
             "Karadeniz Tuna Ilgaz Ergün Uçar Işık İnce Özer Toprak Bayram Sarı Aksoy Ünal "
             "Güler Turan Eren Acar Yavuz Keskin Ateş Bozkurt Tekin Karaca Uysal Gök Bilgin "
             "Altun Canan Duman Sevim Oral Yurt Zengin Başak").split()
_PLACES = {"Samsun": "Samsun Atakum Bafra Çarşamba Terme Havza Tekkeköy".split(),
           "Trabzon": "Trabzon Akçaabat Of Arsin Sürmene Yomra Vakfıkebir".split(),
           "Çorum": "Çorum Sungurlu Osmancık İskilip Alaca Hitit".split(),
           "Kahramanmaraş": "Maraş Elbistan Afşin Göksun Pazarcık Türkoğlu Dulkadir".split(),
           "Gaziantep": "Antep Nizip İslahiye Şahinbey Şehitkamil Başpınar Yavuzeli".split()}
_LEGAL = np.array(["A.Ş.", "Ltd. Şti.", "San. ve Tic. A.Ş.", "San. Tic. Ltd. Şti."])
_FOREIGN_LEGAL = {"DE": "GmbH", "GB": "Ltd", "US": "Inc.", "IT": "S.r.l.", "FR": "SARL",
                  "NL": "B.V.", "ES": "S.L.", "RU": "OOO", "CN": "Co. Ltd", "UZ": "MChJ",
                  "IQ": "Co.", "SA": "Co.", "AE": "LLC", "GE": "LLC", "AZ": "MMC", "TM": "HJ",
                  "IR": "Co.", "SY": "Co."}
_SECTOR_WORD = {"01": "Tarım", "08": "Maden", "10": "Gıda", "13": "Tekstil", "14": "Konfeksiyon",
                "16": "Orman Ürünleri", "17": "Ambalaj", "20": "Kimya", "22": "Plastik",
                "23": "Yapı", "24": "Metal", "25": "Makina", "28": "Makina", "30": "Tersanecilik",
                "32": "Kuyumculuk", "41": "İnşaat", "46": "Dış Ticaret"}
_SECTOR_WORD_CLASS = {"32.50": "Medikal", "10.83": "Çay", "10.52": "Dondurma",
                      "10.71": "Baklava", "13.93": "Halı", "25.99": "Mutfak Eşyaları",
                      "23.32": "Tuğla", "28.30": "Tarım Makinaları", "01.25": "Fındık"}


def _data(name: str) -> pd.DataFrame:
    with resources.files("kumenet.data").joinpath(name).open("rb") as fh:
        return pd.read_csv(fh, dtype=str, encoding="utf-8")


@dataclass
class _Pool:
    """Weighted sampling of members within groups, vectorised over many draws."""

    keys: np.ndarray      # group key of each member, sorted
    members: np.ndarray   # member (node index), in the same order
    cum: np.ndarray       # cumulative weight in that order

    @classmethod
    def of(cls, keys, members, weights) -> "_Pool":
        order = np.argsort(keys, kind="stable")
        return cls(np.asarray(keys)[order], np.asarray(members)[order],
                   np.cumsum(np.asarray(weights, dtype=np.float64)[order]))

    def draw(self, want, rng) -> np.ndarray:
        """One member of group ``want[i]`` for every i, by weight; -1 where the group is empty."""
        want = np.asarray(want)
        lo = np.searchsorted(self.keys, want, "left")
        hi = np.searchsorted(self.keys, want, "right")
        empty = lo == hi
        base = np.where(lo > 0, self.cum[np.maximum(lo - 1, 0)], 0.0)
        top = self.cum[np.maximum(hi - 1, 0)]
        r = base + rng.random(len(want)) * (top - base)
        pos = np.clip(np.searchsorted(self.cum, r, "right"), lo, np.maximum(hi - 1, lo))
        out = self.members[np.minimum(pos, len(self.members) - 1)] if len(self.members) else \
            np.full(len(want), -1)
        return np.where(empty, -1, out)


def _pick(members: np.ndarray, weights: np.ndarray, m: int, rng) -> np.ndarray:
    """``m`` members drawn with replacement, by weight."""
    return rng.choice(members, size=m, p=weights / weights.sum())


def _years(n: int, rng, start: int = 2015) -> np.ndarray:
    # The programme grows: later years see more new ties.
    years = YEARS[YEARS >= start]
    p = 1.0 + 0.15 * (years - 2015)
    return rng.choice(years, size=n, p=p / p.sum())


def generate(firms: int = 720, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Node and edge tables of a synthetic programme network with ``firms`` firms.

    Parameters
    ----------
    firms : int
        Number of firms (pilot-province SMEs, firms elsewhere in Turkey and foreign buyers
        and suppliers); the real institutions are added to them.
    seed : int
        Seed of the random generator: the same seed gives the same tables.

    Returns
    -------
    (nodes, edges) : tuple of DataFrame
        In the input contract (text as a user's file would hold it, with some province names
        spelt the way people type them and some cells empty); ``nodes`` has a ``cluster``
        column with the planted cluster of each pilot firm.

    Examples
    --------
    >>> nodes, edges = generate(200, seed=1)
    >>> sorted(edges["layer"].unique())
    ['collaboration', 'information', 'membership', 'supply']
    """
    if firms < 50:
        raise ValueError("generate needs at least 50 firms")
    rng = np.random.default_rng(seed)
    firm_nodes, n_pilot = _firms(firms, rng)
    inst = _data("institutions.csv")
    nodes = _node_table(firm_nodes, inst, rng)
    edges = _edges(firm_nodes, n_pilot, inst, rng)
    return nodes, edges


def _firms(n: int, rng) -> tuple[pd.DataFrame, int]:
    n_pilot = int(round(n * SHARE_PILOT))
    n_other = max(int(round(n * SHARE_OTHER)), len(OTHER_PROVINCES) // 2)
    n_foreign = n - n_pilot - n_other
    t = len(CLUSTER_TEMPLATES)
    # Clusters of about 45 firms each; a big network has many clusters of each template.
    n_clusters = max(t, int(round(n_pilot / 45)))
    template = np.arange(n_clusters) % t
    # Relative sizes follow each province's economy (Gaziantep's carpets, Kahramanmaraş's
    # textiles and Trabzon's hazelnuts lead), with some noise.
    weight = np.array([TEMPLATE_SIZE[c[1]] for c in CLUSTER_TEMPLATES])
    size = rng.gamma(25.0, 1.0, n_clusters) * weight[template]
    cluster = np.repeat(np.arange(n_clusters),
                        _apportion(size / size.sum(), n_pilot))
    tmpl = template[cluster]
    sectors = np.empty(n_pilot, dtype=object)
    for k, (_, _, mix, _) in enumerate(CLUSTER_TEMPLATES):
        sel = np.flatnonzero(tmpl == k)
        codes = list(mix)
        p = np.array([mix[c] for c in codes], dtype=float)
        sectors[sel] = rng.choice(codes, size=len(sel), p=p / p.sum())
    label = np.array([c[1] for c in CLUSTER_TEMPLATES], dtype=object)[tmpl]
    rep = cluster // t
    label = np.where(rep > 0, label + " " + (rep + 1).astype(str), label)
    pilot = pd.DataFrame({
        "province": np.array([c[0] for c in CLUSTER_TEMPLATES], dtype=object)[tmpl],
        "country": "TR", "sector": sectors, "cluster": label, "cluster_no": cluster,
        "template": tmpl, "subtype": "company"})
    oth = rng.integers(0, len(OTHER_PROVINCES), n_other)
    other = pd.DataFrame({
        "province": np.array([p for p, _ in OTHER_PROVINCES], dtype=object)[oth],
        "country": "TR",
        "sector": _pick_listed([sec for _, sec in OTHER_PROVINCES], oth, rng.integers(0, 6, n_other)),
        "cluster": None, "cluster_no": -1, "template": -1, "subtype": "company"})
    n_sup = n_foreign * 3 // 10
    sup = rng.integers(0, len(FOREIGN_SUPPLIERS), n_sup)
    suppliers = pd.DataFrame({
        "province": None, "country": np.array([c for c, _ in FOREIGN_SUPPLIERS])[sup],
        "sector": _pick_listed([sec for _, sec in FOREIGN_SUPPLIERS], sup, rng.integers(0, 6, n_sup)),
        "cluster": None, "cluster_no": -1, "template": -1, "subtype": "supplier"})
    buyers = pd.DataFrame({
        "province": None, "country": rng.choice(BUYER_COUNTRIES, n_foreign - n_sup),
        "sector": "46.00", "cluster": None, "cluster_no": -1, "template": -1,
        "subtype": "buyer"})
    table = pd.concat([pilot, other, suppliers, buyers], ignore_index=True)
    table["activity"] = rng.lognormal(0.0, 0.9, len(table))
    # Brokers: a few firms whose ties reach across clusters and provinces.
    table["broker"] = rng.random(len(table)) < 0.05
    table["activity"] = table["activity"].mask(table["broker"], table["activity"] * 2.5)
    return table, n_pilot


def _pick_listed(lists: list[list[str]], which: np.ndarray, draw: np.ndarray) -> np.ndarray:
    """Element ``draw[i] % len(lists[which[i]])`` of list ``which[i]``, for every i at once."""
    lengths = np.array([len(x) for x in lists])
    offsets = np.r_[0, np.cumsum(lengths)[:-1]]
    flat = np.array([item for x in lists for item in x], dtype=object)
    return flat[offsets[which] + draw % lengths[which]]


def _apportion(shares: np.ndarray, total: int) -> np.ndarray:
    """Integer counts proportional to ``shares`` summing to ``total`` (largest remainder)."""
    raw = shares * total
    counts = np.floor(raw).astype(np.int64)
    short = total - counts.sum()
    counts[np.argsort(-(raw - counts), kind="stable")[:short]] += 1
    return counts


def _names(firms: pd.DataFrame, rng) -> np.ndarray:
    n = len(firms)
    surname = np.array(_SURNAMES, dtype=object)[rng.integers(0, len(_SURNAMES), n)]
    division = firms["sector"].str[:2]
    word = firms["sector"].map(_SECTOR_WORD_CLASS).fillna(division.map(_SECTOR_WORD)).fillna("Sanayi")
    place = np.empty(n, dtype=object)
    for prov, options in _PLACES.items():
        sel = (firms["province"] == prov).to_numpy()
        place[sel] = np.array(options, dtype=object)[rng.integers(0, len(options), sel.sum())]
    use_place = (rng.random(n) < 0.35) & pd.notna(place)
    stem = np.where(use_place, place, surname)
    legal = _LEGAL[rng.integers(0, len(_LEGAL), n)]
    names = pd.Series(stem + " " + word.to_numpy(dtype=object) + " " + legal)
    foreign = (firms["country"] != "TR").to_numpy()
    f_names = (pd.Series(np.array(_SURNAMES, dtype=object)[rng.integers(0, len(_SURNAMES), n)])
               .str.translate(str.maketrans("ÇĞİÖŞÜçğıöşü", "CGIOSUcgiosu"))
               + np.where(firms["subtype"] == "buyer", " Trading ", " Industries ")
               + firms["country"].map(_FOREIGN_LEGAL).fillna("Ltd").to_numpy(dtype=object))
    names = names.where(~foreign, f_names)
    # Same names happen in real registers too, but a sample is easier to use without them.
    dup = names.groupby(names).cumcount().to_numpy()
    return np.where(dup > 0, names + " (" + (dup + 1).astype(str) + ")", names)


def _node_table(firms: pd.DataFrame, inst: pd.DataFrame, rng) -> pd.DataFrame:
    n = len(firms)
    width = max(6, len(str(n)))
    ids = "F" + pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(width)
    # Turkish firms are SMEs (under 250 employees); foreign buyers can be larger.
    cap = np.where(firms["country"] == "TR", 249, 2500)
    employees = np.clip(rng.lognormal(3.2, 0.9, n), 1, cap).round()
    export_share = rng.random(n) < np.where(firms["country"] == "TR", 0.45, 0.0)
    exports = np.where(export_share, (rng.lognormal(13.0, 1.3, n) / 1000).round() * 1000, np.nan)
    founded = rng.integers(1965, 2023, n).astype(float)
    nodes = pd.DataFrame({
        "id": ids, "name": _names(firms, rng), "kind": "firm", "subtype": firms["subtype"],
        "country": firms["country"], "province": firms["province"], "sector": firms["sector"],
        "employees": employees, "exports_usd": exports, "founded": founded,
        "cluster": firms["cluster"]})
    # Real registers are incomplete and typed by hand.
    missing = rng.random((n, 3)) < np.array([0.07, 0.10, 0.02])
    nodes["employees"] = nodes["employees"].mask(missing[:, 0])
    nodes["founded"] = nodes["founded"].mask(missing[:, 1])
    nodes["sector"] = nodes["sector"].mask(missing[:, 2] & (firms["cluster_no"] >= 0).to_numpy(),
                                           None)
    variants = {"Kahramanmaraş": ["K.Maraş", "KAHRAMANMARAŞ", "Kahramanmaras"],
                "Gaziantep": ["Antep", "GAZİANTEP", "gaziantep"],
                "Çorum": ["ÇORUM", "Corum"], "Samsun": ["SAMSUN"], "Trabzon": ["TRABZON"]}
    retype = rng.random(n) < 0.04
    province = nodes["province"].to_numpy(dtype=object, copy=True)
    for prov, spellings in variants.items():
        sel = retype & (nodes["province"] == prov).to_numpy()
        province[sel] = np.array(spellings, dtype=object)[rng.integers(0, len(spellings),
                                                                        sel.sum())]
    nodes["province"] = province
    blank_country = rng.random(n) < 0.05
    nodes["country"] = nodes["country"].mask(blank_country & (nodes["country"] == "TR").to_numpy(),
                                             None)
    institutions = pd.DataFrame({
        "id": inst["id"], "name": inst["name"], "kind": "institution",
        "subtype": inst["subtype"], "country": "TR", "province": inst["province"]})
    table = pd.concat([nodes, institutions], ignore_index=True)
    for col in ("employees", "founded"):
        table[col] = table[col].astype("Int64")
    return table


def _edges(firms: pd.DataFrame, n_pilot: int, inst: pd.DataFrame, rng) -> pd.DataFrame:
    """Every layer's ties, drawn in a fixed order (the seed gives one network)."""
    from types import SimpleNamespace

    n = len(firms)
    ids = ("F" + pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(max(6, len(str(n))))
           ).to_numpy(dtype=object)
    all_ids = np.concatenate([ids, inst["id"].to_numpy(dtype=object)])
    prov_code, prov_names = pd.factorize(firms["province"])
    sector_code, sector_names = pd.factorize(firms["sector"])
    serves = inst.assign(serves=inst["serves"].fillna("").str.split(";")).explode("serves")
    c = SimpleNamespace(
        firms=firms, n=n, n_pilot=n_pilot, inst=inst, serves=serves,
        turkish=np.flatnonzero((firms["country"] == "TR").to_numpy()),
        foreign=np.flatnonzero((firms["country"] != "TR").to_numpy()),
        act=firms["activity"].to_numpy(), broker=firms["broker"].to_numpy(),
        prov_code=prov_code, prov_names=prov_names, sector_code=sector_code,
        sector_names=sector_names, cluster_no=firms["cluster_no"].to_numpy(),
        pilot=np.arange(n_pilot), pprov=firms["province"].to_numpy()[:n_pilot],
        inst_index={i: n + k for k, i in enumerate(inst["id"])})
    c.in_province = _Pool.of(prov_code[c.turkish], c.turkish, c.act[c.turkish])
    parts = [_collaboration(c, rng), _supply(c, rng)]
    parts += _exports(c, rng)
    parts += [_memberships(c, rng), *_information(c, rng), _institution_links(c, rng),
              _outsiders(c, rng)]
    edges = _merge(pd.concat(parts, ignore_index=True), n + len(inst))
    edges = _lonely_join_chambers(c, edges, rng)
    return pd.DataFrame({"source": all_ids[edges["u"].to_numpy()],
                         "target": all_ids[edges["v"].to_numpy()],
                         "layer": np.array(LAYERS, dtype=object)[edges["layer"].to_numpy()],
                         "weight": edges["weight"].to_numpy(dtype=float),
                         "year": edges["year"].to_numpy(dtype=np.int64)})


def _collaboration(c, rng) -> pd.DataFrame:
    """Collaboration (undirected): mostly inside the cluster; brokers reach further."""
    turkish, foreign, act = c.turkish, c.foreign, c.act
    m = int(3.2 * len(turkish))
    u = _pick(turkish, act[turkish], m, rng)
    p_mode = np.where(c.broker[u][:, None], [[0.40, 0.30, 0.20, 0.10]],
                      [[0.78, 0.12, 0.07, 0.03]])
    mode = (rng.random(m)[:, None] > np.cumsum(p_mode, axis=1)).sum(axis=1)
    in_cluster = _Pool.of(c.cluster_no[turkish], turkish, act[turkish])
    anywhere = _Pool.of(np.zeros(len(turkish)), turkish, act[turkish])
    abroad = _Pool.of(np.zeros(len(foreign)), foreign, act[foreign])
    v = np.full(m, -1)
    for k, (pool, key) in enumerate(((in_cluster, c.cluster_no[u]),
                                     (c.in_province, c.prov_code[u]),
                                     (anywhere, np.zeros(m)), (abroad, np.zeros(m)))):
        sel = mode == k
        v[sel] = pool.draw(key[sel], rng)
    v = np.where(v < 0, anywhere.draw(np.zeros(m), rng), v)
    return _ties(u, v, "collaboration", 1 + rng.poisson(0.4, m), rng, repeat=0.25)


def _supply(c, rng) -> pd.DataFrame:
    """Supply (directed, supplier -> buyer) along the value chain between sectors: a buyer
    firm, then a supplying sector for its sector, then a supplier firm, nearest first."""
    turkish, foreign, act = c.turkish, c.foreign, c.act
    sector_code, cluster_no, prov_code = c.sector_code, c.cluster_no, c.prov_code
    chain = _data("value_chain.csv")
    chain["weight"] = chain["weight"].astype(float)
    code_of = {s: i for i, s in enumerate(c.sector_names)}
    chain = chain[chain["supplier"].isin(code_of) & chain["buyer"].isin(code_of)]
    sup_code = chain["supplier"].map(code_of).to_numpy()
    buy_code = chain["buyer"].map(code_of).to_numpy()
    is_buyer_sector = np.isin(sector_code, buy_code) & (sector_code >= 0)
    buyers = np.flatnonzero(is_buyer_sector)
    m = int(2.5 * len(turkish))
    b = _pick(buyers, act[buyers], m, rng)
    row_pool = _Pool.of(buy_code, np.arange(len(chain)), chain["weight"].to_numpy())
    row = row_pool.draw(sector_code[b], rng)
    s_sector = sup_code[row]
    n_sec = len(c.sector_names) + 1
    key_cluster = np.where(cluster_no >= 0, cluster_no * n_sec + sector_code, -1)
    key_prov = prov_code * n_sec + sector_code
    dom = turkish
    by_cluster = _Pool.of(key_cluster[dom], dom, act[dom])
    by_prov = _Pool.of(key_prov[dom], dom, act[dom])
    by_sector = _Pool.of(sector_code[dom], dom, act[dom])
    by_sector_abroad = _Pool.of(sector_code[foreign], foreign, act[foreign])
    level = (rng.random(m)[:, None] > np.cumsum([[0.55, 0.22, 0.15, 0.08]], axis=1)).sum(axis=1)
    s = np.full(m, -1)
    wanted = [(by_cluster, np.where(cluster_no[b] >= 0, cluster_no[b] * n_sec + s_sector, -2)),
              (by_prov, prov_code[b] * n_sec + s_sector), (by_sector, s_sector),
              (by_sector_abroad, s_sector)]
    for k, (pool, key) in enumerate(wanted):
        sel = level == k
        s[sel] = pool.draw(key[sel], rng)
    for pool, key in wanted[1:3]:  # fall back to wider circles when a circle has no supplier
        miss = s < 0
        s[miss] = pool.draw(key[miss], rng)
    ok = s >= 0
    volume = (rng.lognormal(4.5, 1.2, ok.sum())).round(1)  # thousand USD a year
    return _ties(s[ok], b[ok], "supply", volume, rng, repeat=0.4)


def _exports(c, rng) -> list[pd.DataFrame]:
    """Exports: pilot firms sell to foreign buyers in their cluster's markets."""
    firms, turkish, act = c.firms, c.turkish, c.act
    buyers_abroad = np.flatnonzero((firms["subtype"] == "buyer").to_numpy())
    if not len(buyers_abroad):
        return []
    exporters = turkish[rng.random(len(turkish)) < 0.35]
    markets = np.array([t[3].split() for t in CLUSTER_TEMPLATES], dtype=object)
    tmpl = firms["template"].to_numpy()[exporters]
    first_market = np.array([mk[0] for mk in markets])[np.maximum(tmpl, 0)]
    country = np.where((tmpl >= 0) & (rng.random(len(exporters)) < 0.7), first_market,
                       rng.choice(BUYER_COUNTRIES, len(exporters)))
    bcountry, bnames = pd.factorize(firms["country"].to_numpy()[buyers_abroad])
    want = pd.Index(bnames).get_indexer(country)
    pool = _Pool.of(bcountry, buyers_abroad, act[buyers_abroad])
    buyer = np.where(want >= 0, pool.draw(want, rng), -1)
    any_buyer = _Pool.of(np.zeros(len(buyers_abroad)), buyers_abroad, act[buyers_abroad])
    buyer = np.where(buyer < 0, any_buyer.draw(np.zeros(len(exporters)), rng), buyer)
    return [_ties(exporters, buyer, "supply", rng.lognormal(5.5, 1.0, len(exporters)).round(1),
                  rng, repeat=0.5)]


def _memberships(c, rng) -> pd.DataFrame:
    """Membership (firm -> institution): chamber, exporters' union, zone, cluster centre."""
    member_u, member_v = [], []
    for subtype, share in (("chamber", 0.9), ("exporters_union", 0.35),
                           ("industrial_zone", 0.4), ("cluster_centre", 0.35)):
        options = c.serves[c.serves["subtype"] == subtype]
        first = options.drop_duplicates("serves").set_index("serves")["id"]
        target = pd.Series(c.pprov).map(first).to_numpy()
        join = (rng.random(c.n_pilot) < share) & pd.notna(target)
        member_u.append(c.pilot[join])
        member_v.append(np.array([c.inst_index[t] for t in target[join]], dtype=np.int64)
                        if join.any() else np.array([], dtype=np.int64))
    mu, mv = np.concatenate(member_u), np.concatenate(member_v)
    return _ties(mu, mv, "membership", np.ones(len(mu)), rng, repeat=0.0)


def _information(c, rng) -> list[pd.DataFrame]:
    """Information (undirected): firms with universities, agencies and centres of their
    province; firms of different clusters in one province."""
    pilot, act = c.pilot, c.act
    m = int(0.45 * c.n_pilot)
    iu = _pick(pilot, act[pilot], m, rng)
    info_inst = c.serves[c.serves["subtype"].isin(["university", "development_agency",
                                                   "cluster_centre"])]
    inst_pool = _Pool.of(pd.Index(c.prov_names).get_indexer(info_inst["serves"]),
                         info_inst["id"].map(c.inst_index).to_numpy(), np.ones(len(info_inst)))
    iv = inst_pool.draw(c.prov_code[iu], rng)
    ok = iv >= 0
    parts = [_ties(iu[ok], iv[ok], "information", 1 + rng.poisson(0.5, ok.sum()), rng,
                   repeat=0.2)]
    m = int(0.35 * c.n_pilot)
    fu = _pick(pilot, act[pilot] * np.where(c.broker[pilot], 4, 1), m, rng)
    fv = c.in_province.draw(c.prov_code[fu], rng)
    parts.append(_ties(fu, fv, "information", 1 + rng.poisson(0.3, m), rng, repeat=0.1))
    return parts


def _institution_links(c, rng) -> pd.DataFrame:
    """Institutions serving the same province know each other; the cluster centres form one
    programme network; national bodies know a few regional ones."""
    inst, n = c.inst, c.n
    a, bb = np.triu_indices(len(inst), 1)
    area = c.serves.assign(pos=c.serves.index).reset_index(drop=True)
    area["serves"] = area["serves"].where(area["serves"] != "", area["province"])
    shared = area.merge(area, on="serves")[["pos_x", "pos_y"]].to_numpy()
    near = np.zeros((len(inst), len(inst)), dtype=bool)
    near[shared[:, 0], shared[:, 1]] = True
    subtype = inst["subtype"].to_numpy()
    national = inst["serves"].isna().to_numpy()
    centres = (subtype[a] == "cluster_centre") & (subtype[bb] == "cluster_centre")
    link = near[a, bb] | centres | (national[a] ^ national[bb]) & (rng.random(len(a)) < 0.3)
    return _ties(n + a[link], n + bb[link], "information", np.ones(link.sum()), rng,
                 repeat=0.3, start=2019)


def _outsiders(c, rng) -> pd.DataFrame:
    """Every firm outside the pilot provinces trades with at least one pilot firm."""
    outsiders = np.arange(c.n_pilot, c.n)
    partner = _pick(c.pilot, c.act[c.pilot], len(outsiders), rng)
    sells = c.firms["subtype"].to_numpy()[outsiders] != "buyer"
    return _ties(np.where(sells, outsiders, partner), np.where(sells, partner, outsiders),
                 "supply", rng.lognormal(4.5, 1.2, len(outsiders)).round(1), rng, repeat=0.3)


def _lonely_join_chambers(c, edges: pd.DataFrame, rng) -> pd.DataFrame:
    """Pilot firms left without ties join their province's chamber."""
    size = c.n + len(c.inst)
    deg = np.bincount(edges["u"], minlength=size) + np.bincount(edges["v"], minlength=size)
    lonely = c.pilot[deg[c.pilot] == 0]
    if not len(lonely):
        return edges
    chamber = c.serves[c.serves["subtype"] == "chamber"].drop_duplicates("serves") \
        .set_index("serves")["id"]
    target = pd.Series(c.pprov[lonely]).map(chamber).map(c.inst_index).to_numpy(dtype=np.int64)
    return pd.concat([edges, _ties(lonely, target, "membership", np.ones(len(lonely)), rng,
                                   repeat=0.0)], ignore_index=True)


def _merge(edges: pd.DataFrame, n: int) -> pd.DataFrame:
    """One row per pair, layer and year, weights summed, without self-loops."""
    edges = edges[edges["u"] != edges["v"]]
    u, v = edges["u"].to_numpy(), edges["v"].to_numpy()
    layer = edges["layer"].to_numpy()
    undirected = ~np.isin(layer, [LAYERS.index(la) for la in DIRECTED])
    a, b = np.where(undirected, np.minimum(u, v), u), np.where(undirected, np.maximum(u, v), v)
    key = ((a * n + b) * len(LAYERS) + layer) * len(YEARS) + (edges["year"].to_numpy() - YEARS[0])
    uniq, inverse = np.unique(key, return_inverse=True)
    weight = np.bincount(inverse, weights=edges["weight"].to_numpy())
    year, rest = uniq % len(YEARS) + YEARS[0], uniq // len(YEARS)
    layer, pair = rest % len(LAYERS), rest // len(LAYERS)
    return pd.DataFrame({"u": pair // n, "v": pair % n, "layer": layer, "weight": weight,
                         "year": year})


def _ties(u, v, layer: str, weight, rng, repeat: float, start: int = 2015) -> pd.DataFrame:
    """Ties first seen in a random year; a share ``repeat`` is observed again later."""
    u, v = np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64)
    year = _years(len(u), rng, start)
    frame = pd.DataFrame({"u": u, "v": v, "layer": LAYERS.index(layer),
                          "weight": np.asarray(weight, float),
                          "year": year})
    again = rng.random(len(u)) < repeat
    later = frame[again].copy()
    later["year"] = np.minimum(later["year"] + rng.integers(1, 4, len(later)), YEARS[-1])
    return pd.concat([frame, later], ignore_index=True)
