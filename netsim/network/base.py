"""The one small interface every bandwidth model fills in (DESIGN.md, SimPy's resource pattern).

A model is told that ``wire_bytes`` start along a route of links now, and returns the event that
fires when the last byte reaches the route's end. How capacity is shared is the model's business; the
rest of the simulator never knows which model runs.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

import simpy

from netsim.topology import Link


class BandwidthModel(ABC):
    """Times transfers along routes of links in a SimPy environment."""

    name: ClassVar[str]
    """The name a run chooses this model by."""

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env

    @abstractmethod
    def transfer(self, route: tuple[Link, ...], wire_bytes: int, value: Any = None) -> simpy.Event:
        """Start sending ``wire_bytes`` along ``route`` now; the event fires with ``value`` when
        they have all arrived at the route's last node."""
