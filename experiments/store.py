"""An experiment's results on disk: a Parquet dataset of chunks, a manifest, and resuming.

Every kind of many-run job (a sweep, a paired comparison, a region) is stored the same way,
and every kind of experiment (a calibration too) starts its manifest with :func:`manifest`.
Layout of an experiment directory::

    DIR/manifest.json       the kind, the question (its definition) and its hash, the code
                            version, and one entry per session that wrote to it
    DIR/design.parquet      the design points (factor values, and unit coordinates; for a
                            comparison, the scenarios)
    DIR/runs/part-*.parquet one row per run: identity, seed, status, error, timings, outcomes
    DIR/weekly/part-*.parquet  weekly rows of the runs in the chunk of the same name (optional)
    DIR/NAME/part-*.parquet    other per-run tables of the same chunk (a comparison's
                            ``contrasts`` and ``by_type``), each row with its ``run_id``

Every chunk of a table has the same columns and types, whatever its runs' status
(:func:`runs_schema`, :func:`weekly_schema`; a comparison declares its other tables), so
``DIR/runs`` (or ``DIR/weekly``, ...) reads as one dataset in pandas, pyarrow, polars or
DuckDB: ``error`` is always a string column, and an outcome a run did not produce (it
failed, or its scenario has no programme) is a null float. :func:`results_table` gives the
whole experiment as one table (``netmob results DIR --out FILE``).

Every file is written atomically (a temporary file, then a rename), and a chunk's other
tables are written before its runs file, so a runs chunk on disk is complete: a job killed
at any moment leaves whole files, and its next session redoes only the runs not yet in
``runs/``. One session writes at a time (a lock on ``DIR/.lock``).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import importlib.metadata
import json
import os
import platform
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from netmob.experiments.design import UNIT
from netmob.experiments.outcomes import OUTCOMES, WEEKLY_COLUMNS
from netmob.experiments.records import OK, RunOutput
from netmob.experiments.spec import SweepSpec
from netmob.experiments.specfile import digest_of
from netmob.sim.errors import InputError
from netmob.sim.io import atomic_write, write_json, write_parquet

FORMAT = 1
MANIFEST, DESIGN, RUNS, WEEKLY, LOCK = "manifest.json", "design.parquet", "runs", "weekly", ".lock"
# What every manifest holds (a sweep's and a comparison's); without one it is damaged.
MANIFEST_KEYS = ("name", "design", "points", "replicates", "runs", "code_version")
ID_COLUMNS = ["run_id", "point", "replicate", "seed"]
ROOT = Path(__file__).resolve().parent.parent
STRING = pa.large_string()  # what pandas writes for text
# The columns every run record has, outcomes aside (``traceback``: failed runs only).
RUN_FIELDS = (
    *(pa.field(c, pa.int64()) for c in ID_COLUMNS),
    pa.field("status", STRING),
    pa.field("error", STRING),
    pa.field("traceback", STRING),
    pa.field("model_seconds", pa.float64()),
    pa.field("run_seconds", pa.float64()),
)


def runs_schema(outcomes: Sequence[str], extra: Sequence[pa.Field] = ()) -> pa.Schema:
    """The columns and types of every runs chunk: identity, status, ``error`` and
    ``traceback`` (text, null for a run that finished), timings, then each outcome as a
    float (null where a run did not produce it), then ``extra`` fields.

    Examples:
        >>> runs_schema(["swemwbs_mean"]).field("error").type
        DataType(large_string)
    """
    return pa.schema([*RUN_FIELDS, *(pa.field(o, pa.float64()) for o in outcomes), *extra])


def weekly_schema(columns: Sequence[str]) -> pa.Schema:
    """The columns and types of every weekly chunk: ``run_id``, ``week``, then each weekly
    column as a float."""
    return pa.schema(
        [
            pa.field("run_id", pa.int64()),
            pa.field("week", pa.int64()),
            *(pa.field(c, pa.float64()) for c in columns),
        ]
    )


def sweep_schemas(spec: SweepSpec) -> dict[str, pa.Schema]:
    """The schema of each table a sweep of ``spec`` writes."""
    outcomes = spec.outcomes if spec.outcomes is not None else OUTCOMES
    weekly = spec.weekly if spec.weekly is not None else WEEKLY_COLUMNS
    return {RUNS: runs_schema(outcomes), WEEKLY: weekly_schema(weekly)}


def conform(frame: pd.DataFrame, schema: pa.Schema, table: str) -> pa.Table:
    """``frame`` with exactly the columns and types of ``schema`` (a missing column is
    all null).

    Raises:
        ValueError: if ``frame`` has a column the schema does not declare (a programming
            error: every chunk of a table must have the same columns).
    """
    extra = [c for c in frame.columns if c not in schema.names]
    if extra:
        raise ValueError(f"rows of table {table!r} have undeclared columns: {extra}")
    frame = frame.reindex(columns=schema.names)
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False).replace_schema_metadata(
        None
    )


def code_version() -> str:
    """``git describe`` of the project (``-dirty`` with uncommitted changes), else the
    package version."""
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty", "--tags"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if out.returncode == 0 and out.stdout.strip():
            return f"git {out.stdout.strip()}"
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        return f"netmob {importlib.metadata.version('netmob')}"
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def manifest(
    kind: str,
    name: str,
    definition: Mapping[str, Any],
    *,
    design: str | None = None,
    points: int | None = None,
    replicates: int | None = None,
    **details: Any,
) -> dict[str, Any]:
    """A new experiment's manifest, for every kind (a sweep, a comparison, a region, a
    calibration): the format, the kind, its name, its definition (what decides its
    results) and that definition's hash, the code version, when it was created and the
    sessions that worked on it (none yet); for an experiment in a store, its design,
    points, replicates and runs (:data:`MANIFEST_KEYS`); then the kind's own ``details``.

    Examples:
        >>> m = manifest("sweep", "s", {"seed": 1}, design="grid", points=3, replicates=2)
        >>> m["runs"], m["spec_hash"] == digest_of({"seed": 1}), m["sessions"]
        (6, True, [])
    """
    runs = (
        {"design": design, "points": points, "replicates": replicates, "runs": points * replicates}
        if points is not None and replicates is not None
        else {}
    )
    return {
        "format": FORMAT,
        "kind": kind,
        "name": name,
        "spec_hash": digest_of(definition),
        "definition": json.loads(json.dumps(definition, default=str)),
        **runs,
        "code_version": code_version(),
        "created": now(),
        "sessions": [],
        **details,
    }


def new_manifest(spec: SweepSpec, points: pd.DataFrame) -> dict[str, Any]:
    """The manifest of a new sweep of ``spec``."""
    return manifest(
        "sweep",
        spec.name,
        spec.definition(),
        design=spec.design.kind,
        points=len(points),
        replicates=spec.replicates,
        description=spec.description,
        spec_file=spec.file,
        spec_text=Path(spec.file).read_text() if spec.file else None,
        base=spec.base,
        base_params=spec.base_params.flat(),
        factors=[f.name for f in spec.factors],
        outcomes=list(spec.outcomes) if spec.outcomes is not None else "all",
        weekly=list(spec.weekly) if spec.weekly is not None else "all",
    )


class SweepStore:
    """The writer of one sweep directory (hold it with ``with``; it keeps the lock)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._lock_fd: int | None = None
        self._seq = 0
        self.started_with: str | None = None  # code version of the session that began it
        self.schemas: dict[str, pa.Schema] = {}  # each table's columns and types

    def open(self, spec: SweepSpec, points: pd.DataFrame, session: dict[str, Any]) -> SweepStore:
        """Lock the directory, clear temporary files, and start or resume the sweep.

        Raises:
            InputError: if another session holds the directory, or it holds a sweep of a
                different spec.
        """
        return self.open_manifest(
            new_manifest(spec, points), points, session, spec.file, schemas=sweep_schemas(spec)
        )

    def open_manifest(
        self,
        manifest: dict[str, Any],
        points: pd.DataFrame,
        session: dict[str, Any],
        file,
        *,
        schemas: dict[str, pa.Schema],
    ) -> SweepStore:
        """Lock the directory, clear temporary files, and start or resume the experiment
        whose new manifest is ``manifest`` (``file``: where its question came from).
        ``schemas``: the columns and types of each table it writes (``runs`` at least).

        Raises:
            InputError: if another session holds the directory, or it holds a different
                question.
        """
        self.schemas = dict(schemas)
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock()
        try:
            self._start(manifest, points, session, file)
        except BaseException:
            self.close()  # a refused question leaves the directory free
            raise
        return self

    def _start(
        self, manifest: dict[str, Any], points: pd.DataFrame, session: dict[str, Any], file
    ) -> None:
        self._clean()
        if (self.root / MANIFEST).exists():
            old = read_manifest(self.root)
            check_same_spec(old, manifest, file)
            manifest = old
        else:
            write_parquet(points, self.root / DESIGN)
        self.started_with = manifest["code_version"]
        manifest["sessions"].append({"started": now(), "code_version": code_version(), **session})
        write_json(manifest, self.root / MANIFEST)
        self._seq = max((_seq(p) for p in (self.root / RUNS).glob("part-*.parquet")), default=0)

    def finished(self, retry_failed: bool = False) -> set[int]:
        """Run ids already done (ok, and failed unless ``retry_failed``)."""
        runs = read_runs(self.root, columns=["run_id", "status"])
        if retry_failed:
            runs = runs[runs["status"] == OK]
        return set(runs["run_id"].tolist())

    def write(self, outputs: list[RunOutput]) -> Path | None:
        """Write one chunk: its weekly rows and other tables first, then its runs (the
        commit), each with its table's schema.

        Raises:
            ValueError: for a table without a schema, or rows with undeclared columns.
        """
        if not outputs:
            return None
        self._seq += 1
        name = f"part-{self._seq:06d}.parquet"
        tables = chunk_tables(outputs)
        for table, frame in tables.items():
            if table != RUNS:
                self._write(frame, table, name)
        return self._write(tables[RUNS], RUNS, name)

    def _write(self, frame: pd.DataFrame, table: str, name: str) -> Path:
        if table not in self.schemas:
            raise ValueError(f"no schema declared for table {table!r}")
        rows = conform(frame, self.schemas[table], table)
        return atomic_write(self.root / table / name, lambda tmp: pq.write_table(rows, tmp))

    def close(self) -> None:
        """Release the lock."""
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> SweepStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _lock(self) -> None:
        fd = os.open(self.root / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise InputError(
                "another session is writing to this directory",
                field="--out",
                value=str(self.root),
                allowed="wait for it to finish, or another directory",
            ) from None
        self._lock_fd = fd

    def _clean(self) -> None:
        """Remove temporary files of a killed session, and chunks of other tables whose
        runs chunk was never written."""
        tables = [d for d in self.root.iterdir() if d.is_dir() and d.name != RUNS]
        for d in (self.root, self.root / RUNS, *tables):
            for tmp in d.glob(".*.tmp"):
                tmp.unlink(missing_ok=True)
        for d in tables:
            for orphan in d.glob("part-*.parquet"):
                if not (self.root / RUNS / orphan.name).exists():
                    orphan.unlink()


def chunk_tables(outputs: list[RunOutput]) -> dict[str, pd.DataFrame]:
    """The rows a chunk of runs adds to each table: weekly rows and other tables first (by
    name), the runs' records last."""
    tables = {}
    weekly = [o.weekly for o in outputs if o.weekly is not None]
    if weekly:
        tables[WEEKLY] = pd.concat(weekly, ignore_index=True)
    for table in sorted({t for o in outputs for t in o.tables}):
        rows = [o.tables[table] for o in outputs if table in o.tables]
        tables[table] = pd.concat(rows, ignore_index=True)
    tables[RUNS] = pd.DataFrame([o.record for o in outputs])
    return tables


class MemoryStore:
    """What a :class:`SweepStore` would write, kept in memory (an experiment run without
    a folder): each chunk's tables conformed to their schemas as the store writes them, so
    that they read back with the same columns and types.

    Examples:
        >>> from netmob.experiments.records import RunOutput
        >>> store = MemoryStore({RUNS: runs_schema(["swemwbs_mean"])})
        >>> store.write([RunOutput({"run_id": 0, "point": 0, "replicate": 0, "seed": 1,
        ...                         "status": "ok", "swemwbs_mean": 22.5})])
        >>> store.table(RUNS)[["run_id", "swemwbs_mean", "chunk"]].to_dict("records")
        [{'run_id': 0, 'swemwbs_mean': 22.5, 'chunk': 1}]
    """

    root = None  # no folder
    started_with = None  # no earlier session

    def __init__(self, schemas: dict[str, pa.Schema]) -> None:
        self.schemas = dict(schemas)
        self._chunks: dict[str, list[pd.DataFrame]] = {}
        self._seq = 0

    def write(self, outputs: list[RunOutput]) -> None:
        """Keep one chunk (runs tagged with their ``chunk`` number, as :func:`read_runs`
        tags them).

        Raises:
            ValueError: for a table without a schema, or rows with undeclared columns.
        """
        if not outputs:
            return
        self._seq += 1
        for table, frame in chunk_tables(outputs).items():
            if table not in self.schemas:
                raise ValueError(f"no schema declared for table {table!r}")
            rows = conform(frame, self.schemas[table], table).to_pandas()
            if table == RUNS:
                rows = rows.assign(chunk=self._seq)
            self._chunks.setdefault(table, []).append(rows)

    def table(self, name: str) -> pd.DataFrame:
        """Every row kept of table ``name`` (empty, with a ``run_id`` column, if none)."""
        frames = self._chunks.get(name, [])
        if not frames:
            return pd.DataFrame(columns=["run_id"])
        return pd.concat(frames, ignore_index=True)


def check_same_spec(old: dict[str, Any], new: dict[str, Any], file: str | None) -> None:
    """Refuse to mix the runs of two different specs in one directory.

    Raises:
        InputError: naming the option or part of the spec that changed
            (:func:`netmob.experiments.changes.what_changed`), before and now.
    """
    from netmob.experiments.changes import what_changed

    if old.get("spec_hash") == new["spec_hash"]:
        return
    option, before, after = what_changed(
        old.get("definition", {}), new["definition"], new.get("kind", "sweep")
    )
    raise InputError(
        f"the question has changed since this experiment started ({option} was "
        f"{json.dumps(before, default=str)}), so their results would be mixed",
        file=file,
        field=option,
        value=after,
        allowed=f"the same {option} as before, --fresh to discard it (compare, region), "
        "or a new --out directory",
    )


def read_manifest(root: str | Path) -> dict[str, Any]:
    """The manifest of a sweep directory.

    Raises:
        InputError: if ``root`` is not a sweep directory.
    """
    path = Path(root) / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        raise InputError(
            "not a sweep directory (no manifest.json)",
            value=str(root),
            allowed="a directory written by netmob sweep",
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"cannot read the manifest: {err}", file=str(path)) from None
    if not isinstance(manifest, dict):
        raise InputError(
            "not a netmob manifest: a JSON object is expected",
            file=str(path),
            value=type(manifest).__name__,
            allowed="the manifest.json netmob sweep or netmob compare writes",
        )
    missing = [k for k in MANIFEST_KEYS if k not in manifest]
    if missing:
        raise InputError(
            "not a netmob manifest, or a damaged one: a key is missing",
            file=str(path),
            field=missing[0],
            allowed="the manifest.json netmob sweep or netmob compare writes",
        )
    return manifest


def read_design(root: str | Path) -> pd.DataFrame:
    """The design table of a sweep directory (``design.parquet``).

    Raises:
        InputError: if it is missing or cannot be read.
    """
    path = Path(root) / DESIGN
    if not path.is_file():
        raise InputError(
            "the sweep directory has no design table, so it is damaged or not a sweep's",
            file=str(path),
            allowed="a directory written by netmob sweep (run the sweep again to rebuild it)",
        )
    try:
        return pd.read_parquet(path)
    except Exception as err:  # pyarrow raises several types for a damaged file
        raise InputError(
            f"cannot read the design table ({type(err).__name__}: {err})",
            file=str(path),
            allowed="delete it and run the same netmob sweep again to rebuild it",
        ) from None


def read_runs(root: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """Every run record on disk, with the ``chunk`` it is in (duplicates not removed)."""
    frames = [
        _read(p, columns).assign(chunk=_seq(p))
        for p in sorted((Path(root) / RUNS).glob("part-*.parquet"))
    ]
    if not frames:
        return pd.DataFrame({c: [] for c in [*(columns or [*ID_COLUMNS, "status"]), "chunk"]})
    return pd.concat(frames, ignore_index=True)


def load_results(root: str | Path) -> pd.DataFrame:
    """A sweep as one table: one row per run (each run once), its design point's factor
    values beside its outcomes, ordered by ``run_id``.

    Columns: ``run_id, point, replicate, seed``, the factors, ``status`` (``ok`` or
    ``failed``), ``error``, ``model_seconds``, ``run_seconds``, the outcomes, ``chunk``.
    """
    root = Path(root)
    read_manifest(root)
    return with_design(latest(read_runs(root)), read_design(root))


def with_design(runs: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """Run records beside their design point's factor values, identity and factors first
    (as :func:`load_results` gives them)."""
    factors = [c for c in points.columns if c != "point" and not c.startswith(UNIT)]
    table = runs.merge(points[["point", *factors]], on="point", how="left")
    first = [*ID_COLUMNS, *factors]
    return table[first + [c for c in table.columns if c not in first]]


def results_table(root: str | Path, table: pd.DataFrame | None = None) -> pa.Table:
    """:func:`load_results` (or ``table``, some of its rows and columns) as an Arrow table
    whose types come from the stored chunks (``error`` and ``traceback`` text even when
    no run failed), to write as one file.

    Chunks written before every chunk had one schema (an ``error`` column of nulls, no
    outcome columns in a chunk of failures) are read too: their types are widened to
    agree (integers to floats where they differ).
    """
    root = Path(root)
    table = (load_results(root) if table is None else table).copy()
    for f in RUN_FIELDS:
        if f.name not in table:
            table[f.name] = None
    stored = [_read_schema(p) for p in sorted((root / RUNS).glob("part-*.parquet"))]
    read_design(root)
    stored.append(_read_schema(root / DESIGN))
    try:
        known = pa.unify_schemas(stored, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # chunks that disagree past widening
        known = pa.schema([])
    inferred = pa.Schema.from_pandas(table, preserve_index=False)
    fields = []
    for col in table.columns:
        if col in ("error", "traceback", "status"):
            fields.append(pa.field(col, STRING))
        elif col == "chunk":
            fields.append(pa.field(col, pa.int64()))
        elif col in known.names and not pa.types.is_null(known.field(col).type):
            fields.append(pa.field(col, known.field(col).type))
        elif not pa.types.is_null(inferred.field(col).type):
            fields.append(inferred.field(col))
        else:  # a column of nulls in an old store: an outcome no run produced
            fields.append(pa.field(col, pa.float64()))
    return pa.Table.from_pandas(
        table, schema=pa.schema(fields), preserve_index=False
    ).replace_schema_metadata(None)


def results_format(path: str | Path) -> str:
    """``parquet`` or ``csv``, from the suffix of ``path``.

    Raises:
        InputError: for another suffix.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in (".parquet", ".csv"):
        raise InputError(
            "cannot tell the format from the file name",
            field="--out",
            value=str(path),
            allowed="a file ending .parquet or .csv",
        )
    return suffix[1:]


def write_results(
    root: str | Path, path: str | Path, table: pd.DataFrame | None = None
) -> tuple[Path, int, int]:
    """Write :func:`results_table` of ``root`` (and ``table``) to ``path`` atomically, as
    Parquet (``.parquet``) or CSV (``.csv``); the path, rows and columns written.

    Raises:
        InputError: for another suffix, or if ``root`` is not an experiment directory.
    """
    path = Path(path)
    kind = results_format(path)
    arrow = results_table(root, table)
    if kind == "parquet":
        atomic_write(path, lambda tmp: pq.write_table(arrow, tmp))
    else:
        atomic_write(path, lambda tmp: arrow.to_pandas().to_csv(tmp, index=False))
    return path, arrow.num_rows, arrow.num_columns


def load_weekly(root: str | Path) -> pd.DataFrame:
    """The weekly rows of every run kept by :func:`load_results` (empty if none kept)."""
    rows = load_table(root, WEEKLY)
    if rows.empty:
        return pd.DataFrame(columns=["run_id", "week"])
    return rows.sort_values(["run_id", "week"], ignore_index=True)


def load_table(root: str | Path, name: str) -> pd.DataFrame:
    """The rows of table ``name`` (``weekly``, ``contrasts``, ...) that belong to the runs
    :func:`load_results` keeps: each run's rows from the chunk its kept record is in, so a
    run done twice counts once. Empty (with a ``run_id`` column) if none."""
    root = Path(root)
    runs = latest(read_runs(root, columns=["run_id", "status"]))
    frames = []
    for chunk, ids in runs.groupby("chunk")["run_id"]:
        path = root / name / f"part-{chunk:06d}.parquet"
        if path.exists():
            rows = _read(path, None)
            frames.append(rows[rows["run_id"].isin(ids)])
    if not frames:
        return pd.DataFrame(columns=["run_id"])
    return pd.concat(frames, ignore_index=True)


def latest(runs: pd.DataFrame) -> pd.DataFrame:
    """One record per run: an ``ok`` one if any, else the latest."""
    order = runs.assign(_ok=runs["status"] != OK).sort_values(
        ["run_id", "_ok", "chunk"], ascending=[True, True, False]
    )
    return order.drop_duplicates("run_id").drop(columns="_ok").reset_index(drop=True)


def status(root: str | Path) -> dict[str, Any]:
    """Counts of a sweep: runs in the design, done, failed, missing; and its failures."""
    manifest = read_manifest(root)
    runs = latest(read_runs(root))
    ok = int((runs["status"] == OK).sum())
    failed = runs[runs["status"] != OK]
    errors = failed["error"].value_counts() if len(failed) else pd.Series(dtype="int64")
    return {
        "kind": manifest.get("kind", "sweep"),
        "name": manifest["name"],
        "design": manifest["design"],
        "points": manifest["points"],
        "replicates": manifest["replicates"],
        "runs": manifest["runs"],
        "done": ok,
        "failed": len(failed),
        "missing": manifest["runs"] - ok - len(failed),
        "errors": {str(k): int(v) for k, v in errors.items()},
        "code_version": manifest["code_version"],
    }


def _read(path: Path, columns: list[str] | None) -> pd.DataFrame:
    return _chunk(path, lambda p: pd.read_parquet(p, columns=columns))


def _read_schema(path: Path) -> pa.Schema:
    return _chunk(path, lambda p: pq.read_schema(p).remove_metadata())


def _chunk(path: Path, read):
    """``read(path)``; a damaged chunk is an InputError that says how to redo it."""
    try:
        return read(path)
    except Exception as err:  # pyarrow raises several types for a damaged file
        raise InputError(
            f"cannot read a results chunk ({type(err).__name__}: {err})",
            file=str(path),
            allowed="delete it and run the sweep again to redo its runs",
        ) from None


def _seq(path: Path) -> int:
    return int(path.stem.split("-")[1])


def now() -> str:
    """The time now, in UTC, to the second (ISO 8601), as manifests record it."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def session_info(backend: str, workers: int | None) -> dict[str, Any]:
    """What a session records about itself in the manifest."""
    return {"backend": backend, "workers": workers, "host": platform.node()}
