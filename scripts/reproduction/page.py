"""The reproduction page: its fixed prose and the order of its sections."""

from __future__ import annotations

import pandas as pd

from reproduction import ant, ant_v4, cartpole, deviations, fitness, grids, sensitivity
from reproduction.common import ANT, RESULTS, SCRIPTED, SIMULATED, table


def header() -> str:
    from algorithms.davia import DAVIAConfig

    davia = DAVIAConfig()
    first = davia.threshold / davia.threshold_growth ** (davia.horizon - 1)
    return f"""# Reproducing the report

<!-- Written by scripts/reproduction_page.py from the stored results in results/; do not edit by
hand. -->

Our runs of the report's experiments (E. Gunn, "Communication Efficient Distributed Reinforcement
Learning", fourth-year project report, May 2023; see docs/design.md), beside what the report found.
Every figure here is drawn from a full-scale run stored in `results/`, and every number is computed
from the same stored results by `scripts/reproduction_page.py`, which writes this page;
`tests/test_reproduction_page.py` fails if a number here differs from what the stored results give.
The verdicts on the report's findings were written against these results. The shaded bands are the
10th-90th percentiles across trials, as in the report.

How the algorithms are set up (every choice is also in the algorithm's docstring and config
dataclass, `algorithms/`):

- **DQL** and **EBCDQL** send packed samples (s, a, r, s'): one byte per state and per action, r as
  float32, {grids.SAMPLE_BYTES} bytes a sample on a 5x5 grid. The learner sends Q as float32
  (25 x 5 x 4 = {25 * 5 * 4} bytes on Simple Grid).
- **DAVIA** has one-hot features (so V is a table), picks actions by a one-step lookahead through
  the world's model, and sends its semi-gradient (25 float32, {25 * 4} bytes) only when the step it
  asks for lowers its local squared TD error by at least lambda / rho^(N-1-k), with lambda =
  {davia.threshold:g}, rho = {davia.threshold_growth:g}, N = {davia.horizon}: a threshold that rises from
  {first:.3f} to 1 over the run.
- All three explore epsilon-greedily with epsilon = 0.2 * 0.97^k in the agent's episode k, ties
  broken at random, each agent from its own random stream. EBCDQL's trigger: rho = 1, beta = 0.1,
  eps = 0.2.
- **ES** on the grids: an MLP with two hidden layers of 4 and SGD with momentum 0.9 (report 4.6),
  sigma = 0.1, step 0.01, no L2.
- Grid worlds stop an episode after 100 steps (the report gives no limit). Frozen Lake 5x5 is our
  fixed map (the report's is not given) with Gymnasium's slippery ice; see `netsim/envs/`.
- The network is a star of 1 Mbit/s, 10 ms access links, with 1 ms of compute per environment step,
  so every run is also plotted against simulated time. Under barrier rounds the network does not
  change what is learnt per episode, only when.

Each run's time below is what `/usr/bin/time` measured for it on a 2-core machine shared with other
jobs (`results/run_times.csv`), so it says more about the machine's load than about the run."""


STUDY = """## The ES / ESPC study (report chapter 4)

How the study is set up (the shared settings are in `scenarios/_es_study.py`, the algorithms'
choices in `algorithms/es.py`, `espc.py`, `policies.py`):

- **Policies**: MLPs with tanh hidden layers over a flat parameter vector; 4, 4 with SGD momentum
  0.9 on the grids (report 4.6; sigma 0.1, step 0.01, no L2, ours), 8, 8 on Cart Pole and 64, 64
  on Ant with Adam and L2 0.05 (report 4.7). A discrete action is the argmax of the outputs, a
  continuous one tanh of the outputs scaled to the action box. Returns enter the ES estimate raw
  (the report's equation 2.1, no fitness shaping).
- **ESPC** sends F with probability p_comm = P(M >= n - m), M ~ Binomial(n - 1, Phi(z)), z the
  agent's utility F ||eps|| standardised by its last k utilities (population statistics; variance
  taken as 1 on the first episode). The learner divides by the number of reports it got.
- The network is the same star of 1 Mbit/s, 10 ms access links as in chapter 3. An ES report is
  12 bytes (agent id, episode, float32 F).
- On the grids ESPC has m = 15 of n = 30 and k = 5: the report gives neither for section 4.6, so we
  take 4.7's m = n / 2 and k.
- The tables per window of episodes and the paired comparisons below are `analysis.compare`'s, as
  `netsim compare` prints them for a run directory, e.g. `netsim compare runs/fig4_5_cartpole
  --windows 0-0,10-49,50-99,100-149,150-199 --baseline "ES n=25" --from-episode 50` after `netsim
  run fig4_5_cartpole`: per variant and window the mean over trials of each trial's window mean
  with its 10th-90th percentiles, and per variant the trials in which it beats the baseline, the
  median paired difference, the two-sided Wilcoxon signed-rank p-value and, for contrast, the
  unpaired Mann-Whitney p-value.
- Trial t of every variant has the same seed, and a trial is a function of its variant, episode
  count and seed alone, so figures that share a variant share its trials: ES n = 50 over 200
  episodes is in figures 4.5, 4.8 and 4.10 on Cart Pole and 4.6 and 4.9 on Ant. `netsim run
  fig4_8_cartpole_m --reuse runs/fig4_5_cartpole` copies fig4_5's ES n = 50 trials instead of
  running them; the tables are the ones a fresh run writes."""


REPRODUCIBILITY = """## What is the same to the bit, and what is not

**On one machine, with the same installed libraries, a run's tables are the same to the bit** however
it is run:

- by any executor, one process, worker processes or Ray
  (`tests/test_sweeps.py::test_serial_worker_processes_and_ray_give_identical_tables`), with or
  without a rollout pool spreading one trial's episodes
  (`tests/test_es_study.py::test_a_pooled_rollout_gives_the_serial_rollouts_results_exactly`,
  `tests/test_ant.py::test_ant_episodes_over_worker_processes_equal_the_serial_ones`);
- interrupted and resumed by the same command, from the finished trials
  (`tests/test_sweeps.py::test_a_sweep_killed_mid_run_resumes_to_the_uninterrupted_table`) or from
  a trial's rollout journal
  (`tests/test_journal.py::test_a_trial_run_again_on_its_journal_gives_the_uninterrupted_tables`,
  `tests/test_ant.py::test_an_ant_trial_resumed_from_its_journal_equals_the_uninterrupted_one`);
- with trials copied from another run by `--reuse`
  (`tests/test_sweeps.py::test_reuse_copies_only_the_same_computation_and_gives_a_fresh_run_s_tables`).

**Across machines it is not promised.** Floating-point results can differ in their last bits with
the processor and the builds of the numerical libraries (NumPy, PyTorch, MuJoCo), and a journal
kept with other library versions is discarded rather than replayed
(`tests/test_journal.py::test_a_journal_kept_with_other_library_versions_is_discarded_with_a_warning`). For Ant this matters: its
dynamics are chaotic, so a last-bit difference grows into a different trajectory, and the stored Ant
runs rerun elsewhere give trials of the same distribution, not the same numbers. For the tabular
grid figures, `tests/test_reproduction_page.py` recomputes one stored trial of figure 3.4 and checks
that it is the stored one to the bit, wherever the tests run."""


def megabytes(size: int) -> str:
    return f"{size / 1e6:.2f} MB" if size >= 1e5 else f"{size / 1e3:.0f} kB"


def stored() -> str:
    """What ``results/`` holds for the page, and its size."""
    rows = []
    for name in [*SIMULATED, *ANT, *SCRIPTED, *sensitivity.STUDIES]:
        files = [
            path
            for path in (RESULTS / name).rglob("*")
            if path.is_file() and not {"plots", "journal", ".lock"} & set(path.parts)
        ]  # what git keeps: plots, journals and locks are ignored (.gitignore)
        kind = (
            "run directory"
            if name in ANT
            else "tables"
            if name in SCRIPTED
            else "per-round summary"
        )
        rows.append([f"`results/{name}`", kind, megabytes(sum(p.stat().st_size for p in files))])
    times = pd.read_csv(RESULTS / "run_times.csv")
    return "\n".join(
        [
            "## What is stored",
            "",
            "What this page is computed from (`git ls-files results`); the per-round summaries are "
            "`analysis.per_trial` of each run's metrics table, one row per variant, trial and "
            "episode, which every analysis and plot here takes in place of the full table:",
            "",
            table(["results", "form", "size"], rows),
            "",
            f"The {len(times)} runs measured in `results/run_times.csv` took "
            f"{times['wall_s'].sum() / 60:.0f} min of wall time in all. To redo them and this page: "
            "`netsim run NAME --out runs/NAME` for each of the non-Ant names above, under "
            "`/usr/bin/time -v -o times/NAME.time`, then `python scripts/reproduction_page.py --runs "
            "runs --times times --figures`.",
        ]
    )


def sections() -> list[str]:
    return [
        header(),
        grids.fig3_4(),
        grids.fig3_5(),
        STUDY,
        *cartpole.sections(),
        grids.fig4_2(),
        grids.fig4_3(),
        *ant.sections(),
        *ant_v4.sections(),
        *sensitivity.sections(),
        *fitness.sections(),
        deviations.section(),
        REPRODUCIBILITY,
        stored(),
    ]
