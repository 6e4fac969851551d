"""Before a run starts: will it fit in this machine's memory?

A run too large for the machine used to grow until the system killed it, before it had written
anything (10^6 agents reached 5 GB; 10^9 episodes 4 GB in 29 s). :func:`check_fits` refuses it
first, from an estimate that costs a sum over the variants. The model::

    estimate = rows x ROW_HELD_BYTES
             + concurrent x max over variants of (n x AGENT_BYTES + episodes x n x ROW_TRIAL_BYTES)

* ``rows``, the sum over variants of trials x episodes x n (n: the variant's agents), is the
  ``metrics`` table, one row per (variant, trial, episode, agent), which a run reads back whole
  to draw its plots;
* ``concurrent`` trials (the executor's workers, at most the trials left to run; none on a Ray
  cluster given by ``address``, whose trials run elsewhere) each hold their working memory: per
  agent, the topology with its routes, the algorithm's state and the events in flight, and per
  (episode, agent) the trial's own metrics table, preallocated, and its copies as it is stored.

The constants are measured by ``scripts/memory_calibration.py`` (peak resident memory of fresh
processes, less what each held once netsim was imported) and rounded up. Not counted: each
process's interpreter and imports (about 370 MB with torch), the other tables (``links``, two rows
per link; ``messages``, one row per message, only when traced; ``link_load``) and the plots
themselves; so the estimate is a floor for what the run needs, kept simple on purpose: it is there
to stop a run that cannot fit, not to predict one that can.
"""

from __future__ import annotations

import os
from pathlib import Path

from netsim.executors import Executor, Processes, Ray, Serial
from netsim.scenario import Scenario

AGENT_BYTES = 16_000
"""A trial's working memory per agent. Measured (one episode over a star, the graph and variant
built inside; peak over imports): between 2,000 and 20,000 agents, 9.2 kB per extra agent for ES
on Cart Pole and 14.3 kB for DQL on Simple Grid; at 100,000 agents, 10.3 kB and 14.0 kB per
agent in all."""

ROW_TRIAL_BYTES = 600
"""A trial's memory per metrics row while it runs and is stored. Measured: 5,000 DQL agents run
and stored for 1 and for 21 episodes, 351 and 523 bytes per extra row in two calibrations."""

ROW_HELD_BYTES = 500
"""Memory per metrics row when a run reads its whole table back and plots it. Measured: the two
runs above read and plotted, 426 bytes per extra row."""

MEMINFO = Path("/proc/meminfo")


class TooLarge(ValueError):
    """A run whose estimated memory exceeds what the machine has available."""


def estimate_bytes(scenario: Scenario, concurrent: int) -> int:
    """The estimated peak memory of running ``scenario`` with ``concurrent`` trials at a time
    (see the module's documentation)."""
    rows = sum(scenario.trials * scenario.episodes * v.n_agents for v in scenario.variants)
    trial = max(
        v.n_agents * AGENT_BYTES + scenario.episodes * v.n_agents * ROW_TRIAL_BYTES
        for v in scenario.variants
    )
    return rows * ROW_HELD_BYTES + concurrent * trial


def concurrent_trials(executor: Executor, trials: int) -> int:
    """How many trials ``executor`` runs at once on this machine, at most ``trials``: none for a
    Ray cluster given by its address (its trials run on its nodes)."""
    if isinstance(executor, Ray):
        if executor.address is not None:
            return 0
        workers = executor.workers or os.cpu_count() or 1
    elif isinstance(executor, Processes):
        workers = executor.workers
    elif isinstance(executor, Serial):
        workers = 1
    else:  # a user's own: assume one per core
        workers = os.cpu_count() or 1
    return min(workers, trials)


def available_bytes() -> int | None:
    """The memory this machine has available now: ``MemAvailable`` of /proc/meminfo (what can
    be had without swapping, page cache included), else its physical memory; None if neither
    can be read."""
    try:
        for line in MEMINFO.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return None


def check_fits(scenario: Scenario, executor: Executor) -> None:
    """Raise :class:`TooLarge`, in one line with the estimate and the memory available, if
    running ``scenario`` on ``executor`` would need more memory than this machine has available
    (see the module's documentation); do nothing where that memory cannot be read."""
    available = available_bytes()
    if available is None:
        return
    concurrent = concurrent_trials(executor, len(scenario.variants) * scenario.trials)
    needed = estimate_bytes(scenario, concurrent)
    if needed <= available:
        return
    agents = max(variant.n_agents for variant in scenario.variants)
    rows = sum(scenario.trials * scenario.episodes * v.n_agents for v in scenario.variants)
    raise TooLarge(
        f"scenario {scenario.name!r} would need about {_size(needed)} of memory "
        f"({rows:,} metrics rows: {len(scenario.variants)} variant(s) x {scenario.trials} "
        f"trial(s) x {scenario.episodes:,} episode(s) x up to {agents:,} agents; {concurrent} "
        f"trial(s) at a time), more than the {_size(available)} this machine has available: "
        "run fewer trials, episodes or agents, or insist with --force (force=True)"
    )


def _size(count: int) -> str:
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count / 1e3:.0f} kB"
