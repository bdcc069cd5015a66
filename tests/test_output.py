"""Result tables written to files."""

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from kumenet import output


def test_parquet_row_groups_carry_only_the_names_they_use(tmp_path, monkeypatch):
    """A categorical of many names written in chunks: each row group's dictionary holds only
    its rows' names (the Parquet writer hashed the whole dictionary again for every row
    group: 10 million suggestions took 21.8 s to write), and the file reads back as
    written."""
    import pyarrow as pa

    monkeypatch.setattr(output, "WRITE_CHUNK", 1000)
    rng = np.random.default_rng(0)
    names = pd.Index([f"Firma {i} {rng.integers(10**12)} A.Ş." for i in range(50_000)])
    codes = np.sort(rng.integers(0, len(names), 5000))
    codes[::97] = -1  # missing
    table = pd.DataFrame({"target": pd.Categorical.from_codes(codes, categories=names),
                          "score": rng.random(5000)})
    out = tmp_path / "s.parquet"
    output.write_tables(table, out, None)
    assert pq.ParquetFile(out).metadata.num_row_groups == 5
    chunk = output._used_values(pa.Table.from_pandas(table.iloc[:1000], preserve_index=False))
    assert len(chunk.column("target").chunk(0).dictionary) <= 1000
    back = pd.read_parquet(out)
    assert back["target"].astype(object).equals(table["target"].astype(object))
    assert back["target"].isna().sum() == (codes < 0).sum() > 0


def test_parquet_dictionaries_only_where_the_table_has_categories(tmp_path):
    """Free text (reasons) and numbers are written plain, without min/max of the text:
    Parquet's own dictionaries were tried on mostly distinct reasons and scores and cost
    time and bytes."""
    rng = np.random.default_rng(1)
    table = pd.DataFrame({"scope": pd.Categorical(rng.choice(["a", "b"], 3000)),
                          "score": rng.random(3000),
                          "reason": [f"ortak ortak {i}: {rng.integers(10**9)}" for i in range(3000)]})
    out = tmp_path / "s.parquet"
    output.write_tables(table, out, None)
    meta = pq.ParquetFile(out).metadata.row_group(0)
    columns = {meta.column(i).path_in_schema: meta.column(i) for i in range(meta.num_columns)}
    assert "PLAIN_DICTIONARY" in columns["scope"].encodings or \
        "RLE_DICTIONARY" in columns["scope"].encodings
    assert not {"PLAIN_DICTIONARY", "RLE_DICTIONARY"} & set(columns["score"].encodings)
    assert not {"PLAIN_DICTIONARY", "RLE_DICTIONARY"} & set(columns["reason"].encodings)
    assert columns["reason"].statistics is None and columns["score"].statistics is not None
    pd.testing.assert_frame_equal(pd.read_parquet(out), table)
