"""Round policies on hand-built timelines: what a deadline drops or carries, async staleness,
stragglers under a barrier, and that every algorithm runs under every policy."""

import struct

import numpy as np
import pandas as pd
import pytest

import netsim
import netsim.config
from algorithms.base import AgentPool, EpisodeBatch, Learner
from analysis.aggregate import per_trial
from netsim import CentralSettings, ComputeSettings, Variant, star
from netsim.patterns.central import ROUND_POLICIES
from netsim.patterns.central.settings import POLICIES
from netsim.simulation import simulate_from

FAST = 1e12
"""A bandwidth at which transfers take nanoseconds: the timeline is the compute's."""


class VersionedLearner(Learner):
    """Sends its version; remembers which reports each update used."""

    def __init__(self) -> None:
        self.version = 0
        self.updates: list[list[bytes]] = []

    def policy_payload(self) -> bytes:
        return struct.pack("<I", self.version) + bytes(96)

    def update(self, reports):
        self.updates.append(list(reports))
        self.version += 1


class FixedAgents(AgentPool):
    """Agent i plays ``steps[i]`` steps and reports its id (4 bytes) unless it is ``silent``."""

    def __init__(self, steps, silent=()) -> None:
        self.steps = np.asarray(steps)
        self.silent = set(silent)
        self.batches: list[tuple[int, list[int]]] = []
        """(version played, agents) of every run_episodes call, in order."""

    def run_episodes(self, payload, agents):
        self.batches.append((struct.unpack_from("<I", payload)[0], agents.tolist()))
        reports = [None if a in self.silent else struct.pack("<I", a) for a in agents.tolist()]
        return EpisodeBatch(agents, np.ones(len(agents)), self.steps[agents], reports)


def timeline(steps, step_time_s, rounds, episodes, silent=(), update_time_s=0.0, **network):
    """The metrics, learner and agents of a run of the fake algorithm on a star of n agents."""
    variant = Variant(
        "fake",
        "es",
        star(len(steps), network.get("bandwidth_bps", FAST), network.get("latency_s", 0.0)),
        compute=ComputeSettings(step_time_s=step_time_s, update_time_s=update_time_s),
        pattern=rounds,
    )
    learner, agents = VersionedLearner(), FixedAgents(steps, silent)
    tables = simulate_from(variant, episodes, np.random.SeedSequence(0), (learner, agents))
    return tables["metrics"].set_index(["episode", "agent"]), learner, agents


def reporters(update: list[bytes]) -> list[int]:
    return [struct.unpack("<I", report)[0] for report in update]


@pytest.mark.parametrize("late_reports", ["drop", "carry"])
def test_a_deadline_drops_or_carries_exactly_the_late_reports(late_reports):
    # agents 0 and 1 take 1 s and 2 s; agent 2 takes 8 s, past the 3 s deadline. Rounds start at
    # 0, 3.5 and 7 (deadline 3 s + update 0.5 s). Agent 2 plays version 0 until t = 8, skips
    # version 1, and plays version 2 (received at 7) from 8 to 16, after the last deadline.
    rounds = CentralSettings("deadline", deadline_s=3.0, late_reports=late_reports)
    metrics, learner, agents = timeline([1, 2, 8], 1.0, rounds, 3, update_time_s=0.5)

    assert agents.batches == [(0, [0, 1, 2]), (1, [0, 1]), (2, [0, 1]), (2, [2])]
    carried = [2] if late_reports == "carry" else []
    assert [reporters(update) for update in learner.updates] == [[0, 1], [0, 1], [*carried, 0, 1]]
    assert metrics["late"].unstack().to_numpy().tolist() == [[0, 0, 1], [0, 0, 0], [0, 0, 1]]
    assert metrics.loc[(0, 2), "sim_time_s"] == pytest.approx(8.0)
    assert metrics.loc[(2, 2), "sim_time_s"] == pytest.approx(16.0)
    assert metrics.loc[(2, 1), "sim_time_s"] == pytest.approx(7.0 + 2.0)
    # agent 2: version 0 late (carried into the aggregation of version 2, or dropped), version 1
    # skipped, version 2 after the last aggregation
    carried_staleness = 2 if late_reports == "carry" else np.nan
    np.testing.assert_array_equal(
        metrics["staleness"].unstack().to_numpy(),
        [[0, 0, carried_staleness], [0, 0, np.nan], [0, 0, np.nan]],
    )
    skipped = metrics.loc[(1, 2)]
    assert np.isnan(skipped.reward) and skipped.sent == 0 and skipped.downlink_wire_bytes > 0
    # the learner's clock: a round ends with its last on-time report; agent 2 played 2 of 3
    rounds = per_trial(metrics.reset_index().assign(variant="v", trial=0), by="policy_version")
    assert rounds["round_end_s"].to_numpy() == pytest.approx([2.0, 5.5, 9.0])
    assert rounds["played"].tolist() == [3, 2, 3]


def test_under_a_deadline_silent_agents_send_nothing_and_rounds_last_the_deadline():
    rounds = CentralSettings("deadline", deadline_s=0.5)
    metrics, learner, _ = timeline([10, 10], 1e-3, rounds, 3, silent={1}, update_time_s=0.25)
    assert (metrics["control_wire_bytes"] == 0).all()
    assert metrics.xs(1, level="agent")["sent"].tolist() == [0, 0, 0]
    # agent 0's report arrives 10 ms after each broadcast, at 0, 0.75, 1.5
    assert metrics.xs(0, level="agent")["sim_time_s"].to_numpy() == pytest.approx(
        [0.01, 0.76, 1.51]
    )
    assert [reporters(update) for update in learner.updates] == [[0], [0], [0]]
    silent = metrics.xs(1, level="agent")  # played, finished, and sent nothing
    assert silent["episode_end_s"].to_numpy() == pytest.approx([0.01, 0.76, 1.51])
    assert silent["sim_time_s"].isna().all()


def test_async_records_how_stale_each_report_was():
    # k = 1, one step each at 1.0, 1.7 and 2.9 s: arrivals at 1.0 (a0), 1.7 (a1), 2.0 (a0),
    # 2.9 (a2), 3.0 (a0), 3.4 (a1), 5.1 (a1), 5.8 (a2), 8.7 (a2); each makes a new version and
    # sends it back to its agent alone.
    rounds = CentralSettings("async", updates_every=1)
    metrics, learner, agents = timeline([1, 1, 1], [1.0, 1.7, 2.9], rounds, 3)

    versions = metrics["policy_version"].unstack("agent").to_numpy()
    assert versions.T.tolist() == [[0, 1, 3], [0, 2, 6], [0, 4, 8]]
    staleness = metrics["staleness"].unstack("agent").to_numpy()
    assert staleness.T.tolist() == [[0, 1, 1], [1, 3, 0], [3, 3, 0]]
    assert [reporters(update) for update in learner.updates] == [
        [0],
        [1],
        [0],
        [2],
        [0],
        [1],
        [1],
        [2],
        [2],
    ]
    assert agents.batches[0] == (0, [0, 1, 2]) and len(agents.batches) == 7
    assert metrics.loc[(2, 2), "sim_time_s"] == pytest.approx(8.7)


def test_async_updates_after_every_k_arrivals_and_flushes_at_the_end():
    # k = 2 of 3 agents with one-step episodes of 1.0, 2.1 and 3.3 s; agent 1 sends notices, which
    # count as arrivals. Arrivals: a0 1.0, a1 2.1 -> update, v1 to a0 and a1; a0 3.1, a2 3.3 ->
    # update, v2 to a2 (a0 is done); a1 4.2 (done), a2 6.6 -> update.
    rounds = CentralSettings("async", updates_every=2)
    metrics, learner, agents = timeline([1, 1, 1], [1.0, 2.1, 3.3], rounds, 2, silent={1})
    assert [reporters(update) for update in learner.updates] == [[0], [2, 0], [2]]
    assert agents.batches == [(0, [0, 1, 2]), (1, [0, 1]), (2, [2])]
    assert metrics["control_wire_bytes"].xs(1, level="agent").gt(0).all()
    assert metrics.xs(2, level="agent")["staleness"].tolist() == [1, 0]
    # one episode each: after a0 and a1, only a2 can still arrive, so it is aggregated alone
    _, learner, _ = timeline([1, 1, 1], [1.0, 2.1, 3.3], rounds, 1)
    assert [reporters(update) for update in learner.updates] == [[0, 1], [2]]


def test_a_straggler_delays_a_barrier_round_by_its_extra_compute_and_no_more():
    network = {"bandwidth_bps": 1e6, "latency_s": 0.01}
    barrier = CentralSettings()
    even, *_ = timeline([10, 10, 10], 1e-3, barrier, 3, update_time_s=0.1, **network)
    slow, *_ = timeline([10, 10, 10], [1e-3, 1e-3, 4e-3], barrier, 3, update_time_s=0.1, **network)
    round_ends = [
        metrics.groupby(level="episode")["sim_time_s"].max().to_numpy() for metrics in (even, slow)
    ]
    extra = 10 * (4e-3 - 1e-3)
    assert round_ends[1] - round_ends[0] == pytest.approx(extra * np.arange(1, 4))
    assert (even["staleness"] == 0).all() and (even["late"] == 0).all()


def test_async_with_k_equal_to_n_is_the_barrier():
    def variant(rounds):
        return Variant("v", "espc", star(4, 1e6, 0.01), config={"m": 2, "k": 3}, pattern=rounds)

    seed = np.random.SeedSequence(5)
    barrier = netsim.simulate(variant(CentralSettings()), 6, seed)["metrics"]
    together = netsim.simulate(variant(CentralSettings("async", updates_every=4)), 6, seed)[
        "metrics"
    ]
    pd.testing.assert_frame_equal(barrier, together)
    assert barrier["sent"].mean() < 1  # ESPC's silence exercises the notices


def test_a_generous_deadline_learns_what_the_barrier_learns_without_notices():
    def variant(rounds):
        return Variant("v", "espc", star(4, 1e6, 0.01), config={"m": 2, "k": 3}, pattern=rounds)

    seed = np.random.SeedSequence(5)
    barrier = netsim.simulate(variant(CentralSettings()), 6, seed)["metrics"]
    deadline = netsim.simulate(variant(CentralSettings("deadline", deadline_s=60.0)), 6, seed)[
        "metrics"
    ]
    pd.testing.assert_series_equal(barrier["reward"], deadline["reward"])
    assert (deadline["control_wire_bytes"] == 0).all() and (barrier["control_wire_bytes"] > 0).any()
    broadcast = deadline["episode"] * (60.0 + 1e-3)
    arrived = deadline[deadline["sent"] == 1]
    assert ((arrived["sim_time_s"] - broadcast[arrived.index]).between(0, 60.0)).all()


ALGORITHMS_AND_ENVS = [
    ("dql", "netsim/SimpleGrid-v0", {}),
    ("ebcdql", "netsim/WindyGrid-v0", {}),
    ("davia", "netsim/SimpleGrid-v0", {}),
    ("es", "CartPole-v1", {"hidden": (4,)}),
    ("espc", "CartPole-v1", {"hidden": (4,), "m": 2, "k": 2}),
]
EVERY_POLICY = [
    CentralSettings(),
    CentralSettings("deadline", deadline_s=0.05, late_reports="carry"),
    CentralSettings("async", updates_every=2),
]


@pytest.mark.parametrize("rounds", EVERY_POLICY, ids=lambda rounds: rounds.policy)
@pytest.mark.parametrize("algorithm, env, config", ALGORITHMS_AND_ENVS, ids=lambda x: str(x))
def test_every_algorithm_learns_under_every_round_policy(algorithm, env, config, rounds):
    variant = Variant("v", algorithm, star(3, 1e6, 0.01), env=env, config=config, pattern=rounds)
    metrics = netsim.simulate(variant, 4, np.random.SeedSequence(1))["metrics"]
    assert metrics["reward"].notna().any()
    assert (metrics["staleness"].dropna() >= 0).all() and metrics["staleness"].notna().any()


def test_round_and_compute_settings_name_what_is_wrong():
    assert set(ROUND_POLICIES) == set(POLICIES)  # every policy a setting accepts has a process
    with pytest.raises(ValueError, match="deadline round policy needs deadline_s > 0"):
        CentralSettings("deadline")
    with pytest.raises(ValueError, match="deadline_s is set but the round policy is 'barrier'"):
        CentralSettings(deadline_s=1.0)
    with pytest.raises(ValueError, match="unknown central round policy 'gossip'"):
        CentralSettings("gossip")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="variant 'v'.*updates_every = 5 exceeds the 3 agents"):
        Variant("v", "es", star(3, 1e6), pattern=CentralSettings("async", updates_every=5))
    with pytest.raises(ValueError, match="variant 'v'.*step_time_s has 2 values for 3 agents"):
        Variant("v", "es", star(3, 1e6), compute=ComputeSettings(step_time_s=[1e-3, 1e-3]))
    with pytest.raises(ValueError, match="step_time_s of agent 1 is -0.5"):
        Variant("v", "es", star(3, 1e6), compute=ComputeSettings(step_time_s=[1e-3, -0.5, 0]))


def test_step_times_drawn_from_a_distribution_are_the_same_for_the_same_seed():
    spread = {"distribution": "lognorm", "s": 1.0, "scale": 1e-3}
    first = ComputeSettings(step_time_s=spread, seed=4).step_times(50)
    assert np.array_equal(first, ComputeSettings(step_time_s=spread, seed=4).step_times(50))
    assert not np.array_equal(first, ComputeSettings(step_time_s=spread, seed=5).step_times(50))
    assert (first > 0).all() and first.std() > 0


def test_a_config_file_chooses_the_pattern_by_name_with_its_settings_and_per_agent_compute():
    scenario = netsim.config.scenario_from_dict(
        {
            "name": "stragglers",
            "variants": [
                {
                    "name": "async",
                    "algorithm": "es",
                    "topology": {"builder": "star", "n_agents": 3, "bandwidth_bps": 1e6},
                    "pattern": {"name": "central", "policy": "async", "updates_every": 2},
                    "compute": {"step_time_s": [1e-3, 1e-3, 5e-3]},
                }
            ],
        }
    )
    variant = scenario.variants[0]
    assert variant.pattern == CentralSettings("async", updates_every=2)
    assert variant.compute.step_times(3).tolist() == [1e-3, 1e-3, 5e-3]
    assert variant.to_dict()["pattern"] == {
        "name": "central",
        "policy": "async",
        "deadline_s": None,
        "late_reports": "drop",
        "updates_every": 2,
        "downlink": "full",
        "codec": "none",
        "codec_options": {},
        "report_codec": "none",
        "report_codec_options": {},
    }


def test_a_barrier_round_ends_where_floats_cannot_add_up_to_its_last_arrival_exactly(tmp_path):
    """DQL with 30 agents on the lake with stay: a round's last quiet arrival is at
    0.19284000000000004 s while the learner waits from 0.0626 s, from where no float delay adds up
    to it (0.0626 + d rounds to the even neighbour); the round ends at the next float instead of
    stopping the run."""
    variant = Variant("dql", "dql", star(30, 1e6, 0.01), env="netsim/FrozenLake5x5Stay-v0")
    scenario = netsim.Scenario("floats", [variant], episodes=2, trials=1, seed=0)
    results = netsim.run(scenario, tmp_path / "run", backend="serial", progress=False, plots=False)
    rounds = per_trial(results.to_pandas())
    assert rounds["round_end_s"].is_monotonic_increasing and len(rounds) == 2
