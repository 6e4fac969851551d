"""Fault injection: results that cannot lie about what they hold.

Each stored table deleted, truncated or altered is found, named, refused on reading and computed
again on resume, to the tables of an uninterrupted run; a second writer is refused naming the
first, which goes on unharmed; a full disk (a real small tmpfs where this process may mount one,
and a write that fails with ENOSPC, monkeypatched, everywhere), a killed worker and Ctrl-C each
end in one line; a driver killed alone leaves no worker behind."""

import errno
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import netsim
import netsim.atomic
import netsim.cli
from netsim.lock import LOCK_FILE
from netsim.store import DamagedRun, RunStore

GRID = "netsim/SimpleGrid-v0"


def tiny(episodes: int = 3, trials: int = 2, name: str = "tiny") -> netsim.Scenario:
    variants = [
        netsim.Variant("dql", "dql", netsim.star(2, 1e6), env=GRID),
        netsim.Variant("davia", "davia", netsim.star(2, 1e6), env=GRID),
    ]
    return netsim.Scenario(name, variants, episodes=episodes, trials=trials, seed=5)


SCENARIO_FILE = """
import netsim
GRID = "netsim/SimpleGrid-v0"
SCENARIO = netsim.Scenario(
    "slow",
    [netsim.Variant("dql", "dql", netsim.star(2, 1e6), env=GRID)],
    episodes={episodes},
    trials={trials},
    seed=5,
)
"""


def scenario_file(tmp_path: Path, episodes: int, trials: int) -> Path:
    path = tmp_path / "slow.py"
    path.write_text(SCENARIO_FILE.format(episodes=episodes, trials=trials))
    return path


def quiet_run(scenario, out, **options) -> netsim.Results:
    return netsim.run(scenario, out, progress=False, plots=False, backend="serial", **options)


@pytest.fixture(scope="module")
def whole(tmp_path_factory) -> Path:
    """An uninterrupted run of :func:`tiny`."""
    out = tmp_path_factory.mktemp("whole") / "run"
    quiet_run(tiny(), out)
    return out


def tables_of(out: Path) -> dict[str, pd.DataFrame]:
    results = netsim.Results(out)
    return {name: results.table(name) for name in results.tables()}


def assert_same_tables(out: Path, expected: Path) -> None:
    got, wanted = tables_of(out), tables_of(expected)
    assert got.keys() == wanted.keys()
    for name in wanted:
        pd.testing.assert_frame_equal(got[name], wanted[name])


def damage(path: Path, how: str) -> None:
    if how == "deleted":
        path.unlink()
    elif how == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    else:  # one byte changed, the size kept: only the digest tells
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["deleted", "truncated", "altered"])
@pytest.mark.parametrize("file", ["metrics.parquet", "links.parquet", "timing.json", "record.json"])
def test_a_damaged_part_is_named_refused_and_computed_again(file, how, whole, tmp_path, capsys):
    if file == "record.json" and how == "altered":
        how = "truncated"  # an altered record no longer parses, as a truncated one
    out = tmp_path / "run"
    shutil.copytree(whole, out)
    damage(out / "parts" / "v0001-t0000" / file, how)
    store = RunStore(out)
    found = store.problems(full=True)
    assert list(found) == ["v0001-t0000"] and (file in found["v0001-t0000"] or "record" in file)
    if how != "altered":  # sizes show it without reading a byte
        assert (1, 0) not in store.finished() and not netsim.Results(out).complete
    with pytest.raises(DamagedRun, match=r"v0001-t0000"):  # every file is checked as it is read
        if file == "timing.json" and how == "altered":  # only reading it shows it
            netsim.Results(out).trial_times()
        else:
            netsim.Results(out).table("links" if file == "links.parquet" else "metrics")
    assert netsim.cli.main(["verify", str(out)]) == 1
    said = capsys.readouterr().out
    assert "parts/v0001-t0000" in said and "1 problem(s)" in said

    with pytest.warns(UserWarning, match=r"part v0001-t0000 is damaged .* moved to damaged"):
        resumed = quiet_run(tiny(), out)
    assert resumed.complete
    assert_same_tables(out, whole)
    assert (out / "damaged" / "v0001-t0000").is_dir()  # kept for a look, never read
    assert netsim.cli.main(["verify", str(out)]) == 0
    assert "whole (4 of 4 trials finished" in capsys.readouterr().out


def test_a_part_with_a_stray_file_or_anothers_record_is_damaged(whole, tmp_path):
    out = tmp_path / "run"
    shutil.copytree(whole, out)
    (out / "parts" / "v0000-t0001" / "extra.parquet").write_bytes(b"")
    shutil.copy(out / "parts" / "v0000-t0000" / "record.json", out / "parts" / "v0001-t0001")
    problems = RunStore(out).problems()
    assert "extra.parquet, which its record does not list" in problems["v0000-t0001"]
    assert "record.json is that of part 'v0000-t0000'" in problems["v0001-t0001"]


def legacy_copy(whole: Path, out: Path) -> None:
    """``whole`` as a run directory written before parts carried records (format 1)."""
    shutil.copytree(whole, out)
    manifest = json.loads((out / "manifest.json").read_text())
    (out / "manifest.json").write_text(json.dumps({**manifest, "format": 1}))
    for record in out.glob("parts/*/record.json"):
        record.unlink()


def test_a_run_stored_before_records_is_read_and_its_damage_still_found(whole, tmp_path):
    out = tmp_path / "legacy"
    legacy_copy(whole, out)
    assert RunStore(out).verify() == []
    assert_same_tables(out, whole)
    (out / "parts" / "v0000-t0001" / "links.parquet").unlink()
    damage(out / "parts" / "v0001-t0000" / "metrics.parquet", "truncated")
    problems = RunStore(out).problems()
    assert "links.parquet missing (its variant's other parts hold it)" in problems["v0000-t0001"]
    assert "metrics.parquet is not a whole Parquet file" in problems["v0001-t0000"]
    with pytest.warns(UserWarning, match="damaged"):
        quiet_run(tiny(), out)
    assert_same_tables(out, whole)
    assert (out / "parts" / "v0000-t0001" / "record.json").is_file()  # the new part has one
    assert json.loads((out / "manifest.json").read_text())["format"] == 1  # others still lack it


def test_a_legacy_part_with_other_row_counts_is_damaged(tmp_path):
    legacy = tmp_path / "legacy"
    quiet_run(tiny(episodes=4), legacy)
    legacy_copy(legacy, tmp_path / "short")
    short = tmp_path / "short" / "parts" / "v0000-t0000" / "metrics.parquet"
    pd.read_parquet(short).iloc[:-1].to_parquet(short, index=False)  # whole file, a row fewer
    problem = RunStore(tmp_path / "short").problems()["v0000-t0000"]
    assert problem == "metrics.parquet has 7 rows, not episodes x agents = 8"


@pytest.mark.parametrize("name", ["fig4_6_ant", "fig4_9_ant_m", "fig4_11_ant_k"])
def test_the_stored_ant_runs_are_whole(name):
    store = RunStore(Path(__file__).parents[1] / "results" / name)
    assert store.manifest["format"] == 1 and store.verify() == []
    assert store.finished() == store.units()


def test_reuse_copies_only_what_matches_its_record(whole, tmp_path):
    source = tmp_path / "source"
    shutil.copytree(whole, source)
    damage(source / "parts" / "v0000-t0000" / "metrics.parquet", "altered")
    with pytest.warns(UserWarning, match=r"not reused: .*v0000-t0000.*differ"):
        quiet_run(tiny(), tmp_path / "new", reuse=[source])
    assert_same_tables(tmp_path / "new", whole)
    assert RunStore(tmp_path / "new").verify() == []


def test_a_stray_part_and_a_manifest_without_request_are_named_not_crashed_on(
    whole, tmp_path, capsys
):
    out = tmp_path / "run"
    shutil.copytree(whole, out)
    shutil.copytree(out / "parts" / "v0001-t0001", out / "parts" / "v0009-t0000")
    assert netsim.cli.main(["status", str(out)]) == 0
    assert "4 of 4 trials finished" in capsys.readouterr().out
    assert netsim.cli.main(["verify", str(out)]) == 1
    assert "v0009-t0000: not a trial of this run" in capsys.readouterr().out
    (out / "manifest.json").write_text("{}")
    assert netsim.cli.main(["status", str(out)]) == 2
    assert "manifest.json records no request" in capsys.readouterr().err


def children_of(pid: int) -> set[int]:
    """The process ids whose parent is ``pid`` (from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def start_run(path: Path, out: Path, *options: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "netsim.cli", "run", str(path), "--out", str(out), *options]
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for(condition, job: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert job.poll() is None, job.communicate()
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_second_writer_is_refused_naming_the_first_which_goes_on(tmp_path, capsys):
    path = scenario_file(tmp_path, episodes=300, trials=3)
    out = tmp_path / "out"
    first = start_run(path, out, "--backend", "serial")
    wait_for(lambda: (out / "manifest.json").is_file(), first)
    assert netsim.cli.main(["run", str(path), "--out", str(out), "--backend", "serial"]) == 1
    said = capsys.readouterr().err
    host = os.uname().nodename
    assert f"is being written by process {first.pid} on host {host}" in said
    assert said.count("\n") == 1 and "Traceback" not in said
    _, errors = first.communicate(timeout=120)
    assert first.returncode == 0, errors
    results = netsim.Results(out)
    assert results.complete and RunStore(out).verify() == []
    assert not (out / LOCK_FILE).exists()  # released on the way out
    sessions = json.loads((out / "manifest.json").read_text())["sessions"]
    assert len(sessions) == 1  # the refused run recorded nothing


def test_a_lock_left_by_a_dead_process_is_taken_over_and_said(tmp_path, capsys):
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    pid = int(gone.stdout)
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_FILE).write_text(json.dumps({"host": "elsewhere", "pid": pid}))
    path = scenario_file(tmp_path, episodes=2, trials=1)
    assert netsim.cli.main(["run", str(path), "--out", str(out), "--backend", "serial"]) == 0
    said = capsys.readouterr().err
    assert f"took over the lock of process {pid} on host elsewhere, which ended" in said


def test_a_partial_part_of_a_live_run_is_left_alone(whole, tmp_path):
    out = tmp_path / "run"
    shutil.copytree(whole, out)
    partial = out / "parts" / ".partial-v0000-t0000-live"
    partial.mkdir()
    with RunStore.open(out, RunStore(out).request, {}):
        with pytest.raises(netsim.lock.RunLocked):
            RunStore.open(out, RunStore(out).request, {})
        partial.mkdir()  # the first open removed it, under its lock; the refused one touched nothing
    assert partial.is_dir()


def no_space(path) -> OSError:
    return OSError(errno.ENOSPC, "No space left on device", str(path))


def test_a_full_disk_at_start_ends_in_a_sentence_and_blocks_nothing(tmp_path, capsys, monkeypatch):
    """Simulated: the manifest's write fails with ENOSPC (a monkeypatched ``open``)."""
    real_open = open

    class Full:
        def __init__(self, path, mode):
            self.file, self.path = real_open(path, mode), path

        def __enter__(self):
            return self

        def __exit__(self, *_):
            self.file.close()

        def write(self, _data):
            raise no_space(self.path)

    monkeypatch.setattr(netsim.atomic, "open", Full, raising=False)
    path = scenario_file(tmp_path, episodes=2, trials=2)
    command = ["run", str(path), "--out", str(tmp_path / "out"), "--backend", "serial"]
    assert netsim.cli.main(command) == 1
    said = capsys.readouterr().err
    assert said.startswith("netsim: error: no space left on the device (or quota) writing ")
    assert ".partial-manifest.json" in said and said.count("\n") == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []
    monkeypatch.undo()
    assert netsim.cli.main(command) == 0


def test_a_full_disk_mid_run_keeps_the_parts_stored_and_the_same_command_finishes(
    whole, tmp_path, capsys, monkeypatch
):
    """Simulated: the third part's first file write fails with ENOSPC (a monkeypatched
    ``Path.write_bytes``)."""
    real_write = pathlib.Path.write_bytes
    writes = []

    def write_bytes(self, data):
        writes.append(self)
        if len(writes) == 7:  # three files a part: parts 1 and 2 whole, 3 cut short
            raise no_space(self)
        return real_write(self, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", write_bytes)
    out = tmp_path / "out"
    with pytest.raises(OSError, match="No space left"):
        quiet_run(tiny(), out)
    monkeypatch.undo()
    assert len(RunStore(out).finished()) == 2
    assert not list((out / "parts").glob(".partial-*")) and not (out / LOCK_FILE).exists()
    quiet_run(tiny(), out)
    assert_same_tables(out, whole)


def test_a_real_full_disk_on_a_small_tmpfs(tmp_path, capsys):
    disk = tmp_path / "small"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.decode().strip()})")
    try:
        (disk / "ballast").write_bytes(b"\0" * 4_150_000)
        path = scenario_file(tmp_path, episodes=30, trials=3)
        command = ["run", str(path), "--out", str(disk / "out"), "--backend", "serial"]
        assert netsim.cli.main(command) == 1
        said = capsys.readouterr().err
        assert "netsim: error: no space left on the device" in said and "Traceback" not in said
        (disk / "ballast").unlink()
        assert netsim.cli.main(command) == 0
        assert netsim.Results(disk / "out").complete and RunStore(disk / "out").verify() == []
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_out_naming_a_file_or_an_unwritable_directory_is_one_sentence(
    tmp_path, capsys, monkeypatch
):
    path = scenario_file(tmp_path, episodes=2, trials=1)
    afile = tmp_path / "afile"
    afile.write_text("mine")
    for out, expected in [
        (afile, f"{afile} is a file, not a directory"),
        (afile / "below", f"{afile / 'below'}: part of this path is a file"),
    ]:
        assert netsim.cli.main(["run", str(path), "--out", str(out)]) == 2 - (out != afile)
        said = capsys.readouterr().err
        assert expected in said and said.count("\n") == 1
    assert afile.read_text() == "mine"

    def refused(self, *args, **kwargs):  # as a read-only directory refuses (root would not)
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(pathlib.Path, "mkdir", refused)
    assert netsim.cli.main(["run", str(path), "--out", str(tmp_path / "ro" / "x")]) == 1
    said = capsys.readouterr().err
    assert f"permission denied: {tmp_path / 'ro' / 'x'}" in said and said.count("\n") == 1


def test_ctrl_c_is_one_line_and_exit_130(tmp_path):
    path = scenario_file(tmp_path, episodes=3000, trials=4)
    out = tmp_path / "out"
    job = start_run(path, out, "--workers", "2")
    wait_for(lambda: len(children_of(job.pid)) >= 2, job)
    time.sleep(0.3)  # the workers are computing
    os.killpg(job.pid, signal.SIGINT)  # as a terminal sends it: to the whole group
    _, errors = job.communicate(timeout=60)
    assert job.returncode == 130
    interrupted, resume = errors.strip().splitlines()[-2:]
    assert re.fullmatch(rf"netsim: interrupted; \d of 4 trials are stored in {out}", interrupted)
    assert resume.startswith(f"netsim: to go on, run: netsim run {path} --out {out}")
    assert "Traceback" not in errors and "KeyboardInterrupt" not in errors
    assert not (out / LOCK_FILE).exists()


def test_a_killed_worker_is_named_and_the_same_command_resumes(tmp_path):
    path = scenario_file(tmp_path, episodes=3000, trials=3)
    out = tmp_path / "out"
    job = start_run(path, out, "--workers", "2")
    wait_for(lambda: len(children_of(job.pid)) >= 2, job)
    time.sleep(0.3)
    os.kill(min(children_of(job.pid)), signal.SIGKILL)  # as the kernel's OOM killer would
    _, errors = job.communicate(timeout=60)
    assert job.returncode == 1, errors
    assert "netsim: error: a worker process ended (killed by the system" in errors
    assert "v0000-t000" in errors and "run the same command again" in errors
    assert "Traceback" not in errors


def test_workers_end_when_their_driver_is_killed_alone(tmp_path):
    path = scenario_file(tmp_path, episodes=20000, trials=4)
    job = start_run(path, tmp_path / "out", "--workers", "2")
    wait_for(lambda: len(children_of(job.pid)) >= 2, job)
    workers = children_of(job.pid)
    os.kill(job.pid, signal.SIGKILL)  # the driver only, not its group
    job.wait()
    deadline = time.monotonic() + 5
    while any(alive(worker) for worker in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [worker for worker in workers if alive(worker)]


def test_a_local_ray_instance_is_given_the_loopback_address():
    """What ``ray.init`` takes as a local instance's address while the executor starts one: Ray
    then binds its servers to it alone (checked with ``ss -ltnp``: 127.0.0.1 only)."""
    from ray._private import services

    from netsim.executors import _loopback_only

    with _loopback_only():
        assert services.get_node_ip_address() == "127.0.0.1"
    assert "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER" not in os.environ  # restored


def test_a_local_scenario_shadowing_a_shipped_one_is_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").mkdir()
    local = tmp_path / "scenarios" / "quickstart.py"
    local.write_text(SCENARIO_FILE.format(episodes=2, trials=1))
    with pytest.warns(UserWarning, match=r"scenarios/quickstart.py .* shadows the shipped"):
        found = netsim.catalog.find_scenario("quickstart")
    assert found == local
