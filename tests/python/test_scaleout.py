"""nisba.dask on a real LocalCluster with worker processes, nisba.spark on a local Spark session.

Both must give the serial answer and open a gazetteer file once per worker process."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

import nisba

SENTENCES = [
    "Mustafa al-Kadhimi met Qais al-Khazali in Erbil.",
    "وصل الكاظمي إلى بغداد، وقال مسؤولون في أربيل إن الحشد الشعبي لم يعلق.",
    "Protests in Basra 😀 and Mosul on Sunday.",
    "Work resumed at Zubair Field, the PMF said.",
    "no names here",
]
TEXTS = [SENTENCES[i % len(SENTENCES)] if i % 7 else None for i in range(60)]


@pytest.fixture(scope="module")
def gazetteer_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("gz") / "small.nisba"
    b = nisba.GazetteerBuilder()
    b.add("x:zubair", "Zubair Field", kind="LOC", aliases=["al-Zubayr field"])
    b.add("x:kadhimi", "Mustafa al-Kadhimi", kind="PER", aliases=["Kadhimi", "الكاظمي"])
    b.add("x:erbil", "Erbil", kind="LOC", aliases=["Arbil", "أربيل"])
    b.write(path)
    return str(path)


def serial(texts, path=None):
    linker = nisba.Linker(nisba.Gazetteer.open(path) if path else None)
    return [linker.link(t) if isinstance(t, str) else [] for t in texts]


# --- Dask -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dask_client():
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("dask.distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.mark.parametrize("use_file", [False, True], ids=["default", "file"])
def test_dask_link_series_equals_serial(dask_client, gazetteer_file, use_file):
    import dask.dataframe as dd
    import pandas as pd
    import nisba.dask

    path = gazetteer_file if use_file else None
    pdf = pd.DataFrame({"text": TEXTS}, index=[f"doc{i}" for i in range(len(TEXTS))])
    ddf = dd.from_pandas(pdf, npartitions=6, sort=False)
    got = nisba.dask.link_series(ddf["text"], gazetteer_path=path).compute()
    assert list(got.index) == list(pdf.index)
    assert list(got) == serial(TEXTS, path)
    # the long frame equals link_frame on the whole pandas frame
    frame = nisba.dask.link_frame(ddf, "text", gazetteer_path=path).compute().reset_index(drop=True)
    want = nisba.link_frame(pdf, linker=nisba.Linker(nisba.Gazetteer.open(path) if path else None))
    pd.testing.assert_frame_equal(frame.astype(object), want.astype(object), check_dtype=False)
    # both worker processes did work, and each opened the file at most once
    from nisba._workers import opened as opened_counts

    opened = dask_client.run(opened_counts)
    assert len(opened) == 2
    if use_file:
        assert all(counts.get(path, 0) <= 1 for counts in opened.values())
        assert sum(counts.get(path, 0) for counts in opened.values()) >= 1
    pids = dask_client.run(os.getpid)
    assert len(set(pids.values())) == 2 and os.getpid() not in pids.values()


# --- Spark ------------------------------------------------------------------------------------------

def _java_ok() -> bool:
    java = shutil.which("java")
    if java is None:
        return False
    return subprocess.run([java, "-version"], capture_output=True).returncode == 0


@pytest.fixture(scope="module")
def spark():
    if not _java_ok():
        pytest.skip("Java is not installed")
    pytest.importorskip("pyspark")
    pytest.importorskip("pyarrow")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("nisba-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.python.worker.reuse", "true")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.mark.parametrize("use_file", [False, True], ids=["default", "file"])
def test_spark_link_dataframe_equals_serial(spark, gazetteer_file, use_file):
    import nisba.spark

    path = gazetteer_file if use_file else None
    rows = [(i, t) for i, t in enumerate(TEXTS)]
    sdf = spark.createDataFrame(rows, "doc_id long, text string").repartition(3)
    out = nisba.spark.link_dataframe(sdf, "text", key="doc_id", gazetteer_path=path)
    assert out.columns == ["doc_id", "start", "end", "text", "id", "name", "kind", "score"]
    got = sorted((r.doc_id, r.start, r.end, r.text, r.id, r.kind) for r in out.collect())
    want = sorted(
        (i, m.start, m.end, m.text, m.id, m.kind) for i, ms in enumerate(serial(TEXTS, path)) for m in ms
    )
    assert got == want
    # without a key, a row id is added
    assert "row" in nisba.spark.link_dataframe(sdf.select("text"), gazetteer_path=path).columns


def test_spark_mapper_without_spark(gazetteer_file):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyspark")
    import nisba.spark

    mapper = nisba.spark.mention_mapper("text", "k", gazetteer_file)
    batches = [pd.DataFrame({"k": [1, 2], "text": TEXTS[1:3]}), pd.DataFrame({"k": [3], "text": [None]})]
    out = pd.concat(list(mapper(iter(batches))))
    want = [(k, m.text) for k, ms in zip([1, 2], serial(TEXTS[1:3], gazetteer_file)) for m in ms]
    assert list(zip(out["k"], out["text"])) == want
