"""A bounded on-disk cache of trained scorers, keyed by what they learned from.

A scorer is trained once per network state and parameters: the key is a content hash of the
ties (ends, layer, weight, year), the node attributes candidates read, the cut year, the
layers, the training parameters and the versions of kumenet and scikit-learn. The cache lives
in the user's cache directory (``platformdirs``; ``KUMENET_CACHE_DIR`` overrides it) and
keeps at most :data:`MAX_BYTES` (``KUMENET_CACHE_MAX_MB``), dropping the least recently used
scorers first.

Scorer files hold plain arrays (``numpy.savez``, read with ``allow_pickle=False``), so a
file in the cache cannot run code; a damaged or foreign file means retraining, with a
warning, never a crash.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from pathlib import Path

import numpy as np

from kumenet.graph.network import Network

__all__ = ["cache_dir", "max_bytes", "content_key", "load", "store", "prune"]


MAX_BYTES = 256 << 20
#: Node columns the candidates and features read.
NODE_COLUMNS_READ = ("id", "kind", "subtype", "country", "province", "region", "sector")


def cache_dir() -> Path:
    """Where trained scorers are kept (``KUMENET_CACHE_DIR``, else the user's cache folder).

    >>> import os
    >>> before = os.environ.get('KUMENET_CACHE_DIR')
    >>> os.environ['KUMENET_CACHE_DIR'] = '/tmp/kumenet-cache'
    >>> str(cache_dir())
    '/tmp/kumenet-cache'
    >>> _ = os.environ.pop('KUMENET_CACHE_DIR')
    >>> os.environ.update({} if before is None else {'KUMENET_CACHE_DIR': before})
    """
    given = os.environ.get("KUMENET_CACHE_DIR")
    if given:
        return Path(given)
    import platformdirs

    return Path(platformdirs.user_cache_dir("kumenet")) / "scorers"


def max_bytes() -> int:
    """How large the cache may grow (``KUMENET_CACHE_MAX_MB``, else :data:`MAX_BYTES`).

    >>> import os
    >>> before = os.environ.get('KUMENET_CACHE_MAX_MB')
    >>> os.environ['KUMENET_CACHE_MAX_MB'] = '50'
    >>> max_bytes() == 50 * 2**20
    True
    >>> _ = os.environ.pop('KUMENET_CACHE_MAX_MB')
    >>> os.environ.update({} if before is None else {'KUMENET_CACHE_MAX_MB': before})
    """
    given = os.environ.get("KUMENET_CACHE_MAX_MB")
    try:
        return int(float(given) * 2**20) if given else MAX_BYTES
    except ValueError:
        return MAX_BYTES


def _update(h, arr) -> None:
    arr = np.ascontiguousarray(arr)
    h.update(str(arr.dtype).encode() + str(arr.shape).encode())
    h.update(memoryview(arr).cast("B"))


def content_key(net: Network, params: dict) -> str:
    """A hash of the network's ties and node attributes, and of ``params`` (JSON-able).

    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> a, b = content_key(net, {'seed': 0}), content_key(net, {'seed': 1})
    >>> len(a), a == content_key(net, {'seed': 0}), a == b
    (40, True, False)
    """
    from importlib.metadata import version

    import kumenet

    h = hashlib.blake2b(digest_size=20)
    h.update(json.dumps({"kumenet": kumenet.__version__, "sklearn": version("scikit-learn"),
                         **params}, sort_keys=True, default=str).encode())
    e = net.edges
    _update(h, e["source"].cat.codes.to_numpy())
    _update(h, e["target"].cat.codes.to_numpy())
    _update(h, e["layer"].cat.codes.to_numpy())
    h.update("\x1f".join(map(str, e["layer"].cat.categories)).encode())
    _update(h, e["weight"].to_numpy(dtype=np.float64))
    _update(h, e["year"].astype("float64").to_numpy())
    h.update(",".join(sorted(net.directed_layers)).encode())
    import pandas as pd

    for column in NODE_COLUMNS_READ:  # 64-bit hashes of the cells, computed in whole columns
        values = net.nodes[column].astype(object).where(net.nodes[column].notna(), "\x00")
        h.update(column.encode())
        _update(h, pd.util.hash_pandas_object(values.astype(str), index=False).to_numpy())
    return h.hexdigest()


def load(key: str):
    """The cached scorer for ``key``, or None (a damaged or foreign file is removed, warned).

    >>> import os, tempfile
    >>> before = os.environ.get('KUMENET_CACHE_DIR')
    >>> os.environ['KUMENET_CACHE_DIR'] = tempfile.mkdtemp()
    >>> load('nothing-stored') is None
    True
    >>> _ = os.environ.pop('KUMENET_CACHE_DIR')
    >>> os.environ.update({} if before is None else {'KUMENET_CACHE_DIR': before})
    """
    from kumenet.errors import KumenetError
    from kumenet.matching.scorers import TrainedScorer

    path = cache_dir() / f"{key}.npz"
    if not path.is_file():
        return None
    try:
        scorer = TrainedScorer.load(path)
        ok = scorer.params.get("cache_key") == key
    except KumenetError:
        ok = False
    if not ok:
        warnings.warn(f"the cached scorer {path} is damaged or not kumenet's; training "
                      "again", stacklevel=3)
        try:
            path.unlink()
        except OSError:
            pass
        return None
    try:
        os.utime(path)  # recently used: kept longest
    except OSError:
        pass
    return scorer


def store(key: str, scorer) -> Path | None:
    """Save ``scorer`` under ``key`` and keep the cache within its size; None if not writable.

    >>> import os, tempfile
    >>> before = os.environ.get('KUMENET_CACHE_DIR')
    >>> os.environ['KUMENET_CACHE_DIR'] = tempfile.mkdtemp()
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.matching.model import train_scorer
    >>> scorer = train_scorer(read_network('sample_networks/pilot'), cut=2022)
    >>> store('k1', scorer).name.startswith('k1'), type(load('k1')).__name__, load('other')
    (True, 'TrainedScorer', None)
    >>> _ = os.environ.pop('KUMENET_CACHE_DIR')
    >>> os.environ.update({} if before is None else {'KUMENET_CACHE_DIR': before})
    """
    from kumenet.errors import KumenetError
    from kumenet.files import atomic_path

    folder = cache_dir()
    path = folder / f"{key}.npz"
    scorer.params["cache_key"] = key
    try:
        with atomic_path(path) as tmp:
            scorer.save(tmp)
    except (KumenetError, OSError) as err:
        warnings.warn(f"could not keep the trained scorer in {folder} ({err}); it will be "
                      "trained again next time", stacklevel=3)
        return None
    prune(keep=path)
    return path


def prune(keep: Path | None = None) -> None:
    """Drop the least recently used scorers until the cache fits :func:`max_bytes`.

    >>> import os, tempfile
    >>> before = {k: os.environ.get(k) for k in ('KUMENET_CACHE_DIR', 'KUMENET_CACHE_MAX_MB')}
    >>> os.environ['KUMENET_CACHE_DIR'] = tempfile.mkdtemp()
    >>> os.environ['KUMENET_CACHE_MAX_MB'] = '0'
    >>> _ = (cache_dir() / 'old.npz').write_bytes(b'x' * 100)
    >>> prune()
    >>> list(cache_dir().iterdir())
    []
    >>> for k, v in before.items():
    ...     _ = os.environ.pop(k)
    ...     os.environ.update({} if v is None else {k: v})
    """
    folder = cache_dir()
    try:
        files = [(p.stat().st_mtime, p.stat().st_size, p) for p in folder.glob("*.npz")]
    except OSError:
        return
    total = sum(size for _, size, _ in files)
    for _, size, path in sorted(files, key=lambda item: item[0]):
        if total <= max_bytes():
            break
        if path == keep:
            continue
        try:
            path.unlink()
            total -= size
        except OSError:
            pass
