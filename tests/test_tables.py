"""Tables and figures written atomically honour the umask (readable on a shared cluster)."""
import os
import stat

import pandas as pd
import pytest

from glasstools.io import atomic_path, read_table, write_table


@pytest.fixture
def umask022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_table_and_atomic_file_modes_follow_umask(tmp_path, umask022):
    write_table(pd.DataFrame({"x": [1.0, 2.0]}), tmp_path / "t.parquet", {"a": 1})
    with atomic_path(tmp_path / "fig.png") as tmp, open(tmp, "wb") as fh:
        fh.write(b"png")
    with open(tmp_path / "plain.txt", "w") as fh:   # what open() gives: the reference
        fh.write("x")
    for name in ("t.parquet", "fig.png", "plain.txt"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name
    df, meta = read_table(tmp_path / "t.parquet")
    assert df["x"].tolist() == [1.0, 2.0] and meta["a"] == 1
    os.umask(0o077)
    write_table(pd.DataFrame({"x": [1.0]}), tmp_path / "private.parquet")
    assert stat.S_IMODE((tmp_path / "private.parquet").stat().st_mode) == 0o600
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".part")]
