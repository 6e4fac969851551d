"""Where units of work run: in this process, in local worker processes, or on Ray.

One interface, :meth:`Executor.map_unordered`: apply a picklable function to every item and yield
``(item, result)`` pairs as they complete, in no particular order. Results must therefore not
depend on the order of completion; the runner makes sure of that by seeding each unit from its own
identity and storing each unit under its own name.

Items are drawn from their iterable only when a worker is free to take one (at most one in flight
per worker), so an iterable that stops yielding (the runner's ``stop_starting_after``) stops new
work without cutting any that has started.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from itertools import islice
from typing import Any, TypeVar

from algorithms.registry import Registry

Item = TypeVar("Item")
Result = TypeVar("Result")


class Executor(ABC):
    """Runs a function over items."""

    @abstractmethod
    def map_unordered(
        self, function: Callable[[Item], Result], items: Iterable[Item]
    ) -> Iterator[tuple[Item, Result]]:
        """``(item, function(item))`` for every item, as each completes; an exception raised by
        ``function`` is raised here, after the results that completed before it. An item is
        taken from ``items`` when a worker is free for it."""


class Serial(Executor):
    """Every item in this process, in order."""

    def map_unordered(
        self, function: Callable[[Item], Result], items: Iterable[Item]
    ) -> Iterator[tuple[Item, Result]]:
        for item in items:
            yield item, function(item)


class Processes(Executor):
    """Local worker processes (``concurrent.futures.ProcessPoolExecutor``)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def map_unordered(
        self, function: Callable[[Item], Result], items: Iterable[Item]
    ) -> Iterator[tuple[Item, Result]]:
        queue = iter(items)
        with ProcessPoolExecutor(self.workers) as pool:
            running: dict[Future[Result], Item] = {
                pool.submit(function, item): item for item in islice(queue, self.workers)
            }
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    item, result = running.pop(future), future.result()
                    for following in islice(queue, 1):  # the freed worker's next item, first
                        running[pool.submit(function, following)] = following
                    yield item, result


class Ray(Executor):
    """Ray tasks of one CPU each (``pip install "netsim[ray]"``).

    If this process is already connected to Ray (``ray.init`` was called), that instance is used
    as it is. Otherwise Ray is started for the duration of the map: a local instance with
    ``workers`` CPUs (default all), or a connection to the cluster at ``address`` (``"auto"``, or
    ``"ray://host:10001"``), whose nodes must have netsim installed.
    """

    def __init__(self, workers: int | None = None, address: str | None = None) -> None:
        self.workers = workers
        self.address = address

    def map_unordered(
        self, function: Callable[[Item], Result], items: Iterable[Item]
    ) -> Iterator[tuple[Item, Result]]:
        try:
            import ray
        except ImportError:
            raise ValueError('the ray backend needs Ray: pip install "netsim[ray]"') from None
        started = not ray.is_initialized()
        if started:
            ray.init(
                address=self.address,
                num_cpus=self.workers if self.address is None else None,
                include_dashboard=False,
            )
        try:
            task = ray.remote(num_cpus=1)(_call)
            shared = ray.put(function)
            slots = self.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
            queue = iter(items)
            running = {task.remote(shared, item): item for item in islice(queue, slots)}
            while running:
                (ready,), _ = ray.wait(list(running), num_returns=1)
                item, result = running.pop(ready), ray.get(ready)
                for following in islice(queue, 1):
                    running[task.remote(shared, following)] = following
                yield item, result
        finally:
            if started:
                ray.shutdown()


def make_executor(
    backend: str = "processes", workers: int | None = None, address: str | None = None
) -> Executor:
    """The executor called ``backend`` (one of :data:`EXECUTORS`).

    ``processes`` starts ``workers`` processes (default: one per core); with one worker it runs in
    this process, as ``serial`` does, rather than start a pool. ``address`` is Ray's only."""
    make = EXECUTORS[backend]
    if workers is not None and workers < 1:
        raise ValueError(f"workers = {workers} must be at least 1")
    if address is not None and backend != "ray":
        raise ValueError(f"address {address!r} is for the ray backend, not {backend!r}")
    return make(workers, address)


def _processes(workers: int | None, _address: str | None) -> Executor:
    workers = workers or os.cpu_count() or 1
    return Processes(workers) if workers > 1 else Serial()


EXECUTORS: Registry[Callable[[int | None, str | None], Executor]] = Registry("backend")
"""Executors by name, as ``netsim run --backend`` takes them: ``factory(workers, address)``."""
EXECUTORS.register("serial", lambda _workers, _address: Serial())
EXECUTORS.register("processes", _processes)
EXECUTORS.register("ray", Ray)


def _call(function: Callable[[Any], Any], item: Any) -> Any:
    return function(item)
