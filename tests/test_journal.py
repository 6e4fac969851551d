"""The rollout journal: a trial cut short and run again replays its kept batches to the same result."""

import json
import shutil

import numpy as np
import pandas as pd
import pytest
from test_simulation import small_scenario

import netsim
import netsim.cli
import netsim.journal
from algorithms.es import ESLearner
from algorithms.rollout import Rollout
from netsim.journal import RolloutJournal
from netsim.runner import trial_seed
from netsim.simulation import simulate
from netsim.store import RunStore

PARAMS = np.arange(6, dtype=np.float32).reshape(2, 3)


def counted(calls: list[float], value: float):
    """A batch's computation that notes it ran and returns ``value`` as the first agent's return."""

    def compute() -> Rollout:
        calls.append(value)
        return Rollout(np.array([value, 2.0]), np.array([3, 4]))

    return compute


def test_a_kept_batch_is_replayed_and_any_other_input_is_computed(tmp_path):
    calls: list[float] = []
    inputs = ("CartPole-v1", (8, 8), 1.0, 7, PARAMS)
    RolloutJournal(tmp_path, keep_after_s=0).rollout(inputs, counted(calls, 1.0))

    again = RolloutJournal(tmp_path, keep_after_s=0)  # the trial, run again
    assert len(again) == 1
    replayed = again.rollout(("CartPole-v1", (8, 8), 1.0, 7, PARAMS.copy()), counted(calls, 9.0))
    assert calls == [1.0] and again.replayed == 1 and again.replayed_wall_s >= 0
    assert replayed.discounted_returns.tolist() == [1.0, 2.0] and replayed.steps.tolist() == [3, 4]

    nudged = PARAMS.copy()
    nudged[1, 2] = np.nextafter(nudged[1, 2], np.float32(np.inf))
    for other in [
        ("CartPole-v1", (8, 8), 1.0, 7, nudged),  # one parameter, one ulp away
        ("CartPole-v1", (8, 8), 1.0, 8, PARAMS),  # another reset seed
        ("CartPole-v1", (4, 4), 1.0, 7, PARAMS),  # another architecture
        ("CartPole-v1", (8, 8), 1.0, 7, PARAMS.astype(np.float64)),  # the same values, as float64
        ("Ant-v5", (8, 8), 1.0, 7, PARAMS),
    ]:
        again.rollout(other, counted(calls, 5.0))
    assert calls == [1.0] + [5.0] * 5 and again.replayed == 1
    assert len(list(tmp_path.glob("*.npz"))) == 6 and not list(tmp_path.glob(".*"))


def test_a_quick_batch_is_not_kept_and_an_unreadable_one_is_computed_again(tmp_path):
    calls: list[float] = []
    quick = RolloutJournal(tmp_path / "quick", keep_after_s=60)
    quick.rollout(("a", PARAMS), counted(calls, 1.0))
    assert len(quick) == 0 and not (tmp_path / "quick").exists()

    RolloutJournal(tmp_path / "torn", keep_after_s=0).rollout(("a", PARAMS), counted(calls, 2.0))
    (entry,) = (tmp_path / "torn").glob("*.npz")
    entry.write_bytes(b"not a zip file")
    torn = RolloutJournal(tmp_path / "torn", keep_after_s=0)
    with pytest.warns(UserWarning, match=f"{entry.name} is unreadable"):
        result = torn.rollout(("a", PARAMS), counted(calls, 3.0))
    assert calls == [1.0, 2.0, 3.0] and result.discounted_returns[0] == 3.0 and torn.replayed == 0
    rewritten = RolloutJournal(tmp_path / "torn").rollout(("a", PARAMS), counted(calls, 4.0))
    assert calls == [1.0, 2.0, 3.0] and rewritten.discounted_returns[0] == 3.0


def test_a_journal_kept_with_other_library_versions_is_discarded_with_a_warning(
    tmp_path, monkeypatch
):
    calls: list[float] = []
    kept = RolloutJournal(tmp_path, keep_after_s=0)
    kept.rollout(("a", PARAMS), counted(calls, 1.0))
    assert json.loads((tmp_path / "versions.json").read_text()) == kept.versions
    assert set(kept.versions) == {"numpy", "gymnasium", "mujoco"}
    assert kept.versions["numpy"] == np.__version__
    upgraded = {**kept.versions, "mujoco": "99.0"}
    monkeypatch.setattr(netsim.journal, "library_versions", lambda: upgraded)
    with pytest.warns(UserWarning, match=r"kept with .*'mujoco': '.*'.*computing its 1 batches"):
        later = RolloutJournal(tmp_path, keep_after_s=0)
    assert len(later) == 0 and not list(tmp_path.glob("*.npz"))
    later.rollout(("a", PARAMS), counted(calls, 2.0))
    assert calls == [1.0, 2.0]
    assert json.loads((tmp_path / "versions.json").read_text()) == upgraded
    assert len(RolloutJournal(tmp_path)) == 1  # kept under the new versions, and replayable


@pytest.mark.parametrize("name", ["espc", "espc deadline stragglers"])
def test_a_trial_run_again_on_its_journal_gives_the_uninterrupted_tables(tmp_path, name):
    (variant,) = [variant for variant in small_scenario().variants if variant.name == name]
    seed = trial_seed(11, 0)
    # the first 3 rounds of a run cut short are the first 3 rounds of the whole run
    cut_short = RolloutJournal(tmp_path, keep_after_s=0)
    simulate(variant, 3, seed, cut_short)
    resumed = RolloutJournal(tmp_path, keep_after_s=0)
    replayed = simulate(variant, 8, seed, resumed)
    assert resumed.replayed == len(cut_short) >= 3 and len(resumed) > len(cut_short)
    uninterrupted = simulate(variant, 8, seed)
    assert replayed.keys() == uninterrupted.keys()
    for table in uninterrupted:
        pd.testing.assert_frame_equal(replayed[table], uninterrupted[table])


class Interrupted(Exception):
    """Stands for the end of a session, part-way through a trial."""


def run_interrupted(scenario, out, monkeypatch, *, in_trial: int) -> None:
    """Run ``scenario`` serially into ``out`` until its learner's fourth update (rounds 0 to 3
    computed) in the trial that runs after ``in_trial`` trials have been stored."""
    stored, updates = [], []
    original_write, original_update = RunStore.write, ESLearner.update

    def write_and_note(store, unit, *args, **kwargs):
        stored.append(unit)
        return original_write(store, unit, *args, **kwargs)

    def update_then_stop(learner, reports):
        if len(stored) == in_trial:
            updates.append(len(reports))
            if len(updates) == 4:
                raise Interrupted
        original_update(learner, reports)

    with monkeypatch.context() as patch:
        patch.setattr(RunStore, "write", write_and_note)
        patch.setattr(ESLearner, "update", update_then_stop)
        with pytest.raises(Interrupted):
            netsim.run(scenario, out, backend="serial", progress=False, plots=False)


def test_a_run_interrupted_mid_trial_replays_its_journal_when_run_again(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(netsim.journal, "KEEP_AFTER_S", 0.0)  # keep Cart Pole's batches too
    scenario = small_scenario(variants=small_scenario().variants[1:2], trials=1, episodes=6)
    out = tmp_path / "out"
    run_interrupted(scenario, out, monkeypatch, in_trial=0)
    journal = out / "journal" / "v0000-t0000"
    assert len(list(journal.glob("*.npz"))) == 4  # rounds 0 to 3 were computed
    assert netsim.cli.main(["status", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[-3].startswith("under way") and printed[-1].split()[:3] == ["espc", "0", "4"]
    under_way = netsim.Results(out).under_way()
    assert under_way[["variant", "trial", "batches_kept"]].values.tolist() == [["espc", 0, 4]]

    # run again from elsewhere, as a fresh clone that holds the committed journal would: no entry
    # depends on where the run directory lies
    shutil.move(out, tmp_path / "clone")
    out, journal = tmp_path / "clone", tmp_path / "clone" / "journal" / "v0000-t0000"
    resumed = netsim.run(scenario, out, backend="serial", progress=False, plots=False)
    timing = json.loads((out / "parts" / "v0000-t0000" / "timing.json").read_text())
    assert timing["replayed_batches"] == 4 and timing["wall_s"] > 0
    assert not journal.exists()  # stored, so no longer needed
    whole = netsim.run(scenario, tmp_path / "whole", backend="serial", progress=False, plots=False)
    pd.testing.assert_frame_equal(resumed.to_pandas(), whole.to_pandas())
    whole_timing = tmp_path / "whole" / "parts" / "v0000-t0000" / "timing.json"
    assert json.loads(whole_timing.read_text())["replayed_batches"] == 0

    journal.mkdir(parents=True)  # a journal left beside its finished part (killed in between)
    (journal / "leftover.npz").write_bytes(b"")
    netsim.run(scenario, out, backend="serial", progress=False, plots=False)
    assert not journal.exists()


def test_status_counts_what_a_trial_under_way_has_kept_as_done(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(netsim.journal, "KEEP_AFTER_S", 0.0)
    scenario = small_scenario(variants=small_scenario().variants[1:2], trials=2, episodes=6)
    out = tmp_path / "out"
    run_interrupted(scenario, out, monkeypatch, in_trial=1)
    results = netsim.Results(out)
    under_way = results.under_way()
    assert under_way[["variant", "trial", "batches_kept"]].values.tolist() == [["espc", 1, 4]]
    kept_s = under_way.wall_s_kept.item()
    progress = results.progress()
    per_trial = progress.wall_s_per_trial.item()  # trial 0's, which computed 6 rounds to its 4
    assert 0 < kept_s < per_trial
    assert progress.remaining_wall_s.item() == pytest.approx(per_trial - kept_s)
    nothing_kept = results.progress(under_way.iloc[:0])  # the table given is the one counted
    assert nothing_kept.remaining_wall_s.item() == pytest.approx(per_trial)
    assert netsim.cli.main(["status", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[-2].split() == ["variant", "trial", "batches_kept", "computed"]
    assert printed[-1].split()[:3] == ["espc", "1", "4"]

    entry = next((out / "journal" / "v0000-t0001").glob("*.npz"))
    with np.load(entry) as fields:
        slow = {**fields, "wall_s": np.float64(10 * per_trial)}  # a round that took long
    np.savez(entry, **slow)
    assert results.under_way().wall_s_kept.item() > per_trial
    assert results.progress().remaining_wall_s.item() == 0  # never below nothing left
    (out / "journal" / "v0000-t0001" / "damaged.npz").write_bytes(b"not a zip")
    assert results.under_way().batches_kept.item() == 4  # an unreadable entry counts for nothing
