"""Weighted max-min values of a closed component in numpy: the vectorised progressive filling of
the ``fair-vectorised`` model (:mod:`netsim.network.maxmin` describes the values and the exact
filling every other model uses).

The exact filling fixes one saturation or bound at a time, in order of level. Here every event
that is *locally first* is taken in the same round:

    a link l whose level  lambda_l = c_l / sum_{f on l, not fixed} (w_fl / p_f)  is at most the
        level of every other event of its unfixed flows (their other links' levels, their bound
        levels b_f * p_f) fixes each of them at  lambda_l / p_f;
    a flow whose bound level  b_f * p_f  is at most the levels of all its links is fixed at  b_f;

then every link's capacity left and usage are summed afresh from the values fixed so far, and the
next round starts. Fixing flows at a locally first event can only raise the level of the other
events they touch (a fixed flow's share of a link is at most that link's fair level), so a
locally first event stays where the exact filling would take it: in exact arithmetic the values
are the same. In floats they are not bit for bit: the exact filling subtracts each fixed flow from
its links one at a time, in order of level, and takes tied events one after the other; here sums
are taken per round and ties together. The values agree to rounding (``tests/test_fair_filling.py``
bounds the difference). Rounds are as many as the longest chain of events that wait on one
another: the globally first event is always locally first, so every round fixes one flow or more.
"""

from __future__ import annotations

import numpy as np


def max_min_values(
    capacity_bps: np.ndarray,
    load_link: np.ndarray,
    load_flow: np.ndarray,
    load_weight: np.ndarray,
    penalty: np.ndarray,
    bound_bps: np.ndarray,
) -> np.ndarray:
    """The value of each flow of a closed component.

    ``capacity_bps[l]``: link l's capacity (0 in an outage); entry e of the ``load_*`` arrays says
    flow ``load_flow[e]`` loads link ``load_link[e]`` with weight ``load_weight[e]``;
    ``penalty[f]`` > 0 and ``bound_bps[f]`` (``inf``: none) are flow f's. Every flow loads at
    least one link."""
    n_links, n_flows = len(capacity_bps), len(penalty)
    term = load_weight / penalty[load_flow]
    bound_level = bound_bps * penalty
    values = np.zeros(n_flows)
    unfixed = np.ones(n_flows, dtype=bool)
    while unfixed.any():
        live = unfixed[load_flow]
        links, flows = load_link[live], load_flow[live]
        usage = np.bincount(links, weights=term[live], minlength=n_links)
        fixed_load = np.bincount(
            load_link, weights=load_weight * values[load_flow], minlength=n_links
        )
        left = np.maximum(capacity_bps - fixed_load, 0.0)
        level = np.full(n_links, np.inf)
        np.divide(left, usage, out=level, where=usage > 0)
        first = bound_level.copy()  # each flow's first event: its bound or its lowest link
        np.minimum.at(first, flows, level[links])
        around = np.full(n_links, np.inf)  # each link's lowest first event among its flows
        np.minimum.at(around, links, first[flows])
        saturated = (usage > 0) & (level <= around)
        fix = np.full(n_flows, np.inf)
        on_saturated = saturated[links]
        np.minimum.at(
            fix, flows[on_saturated], level[links[on_saturated]] / penalty[flows[on_saturated]]
        )
        at_bound = unfixed & (bound_level <= first)
        fix[at_bound] = np.minimum(fix[at_bound], bound_bps[at_bound])
        fixing = unfixed & np.isfinite(fix)
        values[fixing] = fix[fixing]
        unfixed &= ~fixing
    return values
