"""Where units of work run: in this process, in local worker processes, or on Ray.

One interface, :meth:`Executor.map_unordered`: apply a picklable function to every item and yield
``(item, result)`` pairs as they complete, in no particular order. Results must therefore not
depend on the order of completion; the runner makes sure of that by seeding each unit from its own
identity and storing each unit under its own name.

Items are drawn from their iterable only when a worker is free to take one (at most one in flight
per worker), so an iterable that stops yielding (the runner's ``stop_starting_after``) stops new
work without cutting any that has started.

Local worker processes end with their driver, however it ends: each asks the kernel for SIGKILL
when its parent dies (Linux's ``PR_SET_PDEATHSIG``; elsewhere a thread watches its parent's
process id), and ignores Ctrl-C (SIGINT), which is the driver's to handle: a driver that stops
early (Ctrl-C, an error) kills its workers rather than wait for their items.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any, TypeVar

from algorithms.checks import integer
from algorithms.registry import Registry

Item = TypeVar("Item")
Result = TypeVar("Result")


class WorkerLost(RuntimeError):
    """A worker process ended (killed by the system, say) while computing ``items``; ``message``
    says so in the caller's terms."""

    def __init__(self, items: list[Any], message: str | None = None) -> None:
        super().__init__(message or f"a worker process ended while computing {items}")
        self.items = items


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
        """As :meth:`Executor.map_unordered`; raises :class:`WorkerLost` naming the items in
        flight if a worker process ends while computing."""
        queue = iter(items)
        pool = ProcessPoolExecutor(
            self.workers, initializer=_end_with_driver, initargs=(os.getpid(),)
        )
        try:
            running: dict[Future[Result], Item] = {
                pool.submit(function, item): item for item in islice(queue, self.workers)
            }
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    item = running.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        raise WorkerLost([item, *running.values()]) from None
                    for following in islice(queue, 1):  # the freed worker's next item, first
                        running[pool.submit(function, following)] = following
                    yield item, result
        except BaseException:  # Ctrl-C, an error here or in the consumer, the consumer gone
            for process in list(getattr(pool, "_processes", None) or {}):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process, signal.SIGKILL)
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)


class Ray(Executor):
    """Ray tasks of one CPU each (``pip install "netsim[ray]"``).

    If this process is already connected to Ray (``ray.init`` was called), that instance is used
    as it is. Otherwise Ray is started for the duration of the map: a local instance with
    ``workers`` CPUs (default all), bound to the loopback interface (127.0.0.1) so that no other
    machine can reach it, or a connection to the cluster at ``address`` (``"auto"``, or
    ``"ray://host:10001"``), whose nodes must have netsim installed. A cluster runs what it is
    sent: pickled code, this process's, to be trusted by the cluster as the cluster is by it.
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
            with _loopback_only() if self.address is None else contextlib.nullcontext():
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


_RAY_CLUSTERS = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"


@contextlib.contextmanager
def _loopback_only() -> Iterator[None]:
    """While a local Ray instance starts, have it bind every server to 127.0.0.1. Ray does so where
    it takes clusters to be off (its constant ``ENABLE_RAY_CLUSTER``, read from the environment
    variable :data:`_RAY_CLUSTERS` when Ray is imported, and by the processes it starts): both are
    set for the duration, then restored."""
    from ray._private import ray_constants

    saved_variable, saved_constant = os.environ.get(_RAY_CLUSTERS), ray_constants.ENABLE_RAY_CLUSTER
    os.environ[_RAY_CLUSTERS] = "0"
    ray_constants.ENABLE_RAY_CLUSTER = False
    try:
        yield
    finally:
        ray_constants.ENABLE_RAY_CLUSTER = saved_constant
        if saved_variable is None:
            del os.environ[_RAY_CLUSTERS]
        else:
            os.environ[_RAY_CLUSTERS] = saved_variable


def make_executor(
    backend: str = "processes", workers: int | None = None, address: str | None = None
) -> Executor:
    """The executor called ``backend`` (one of :data:`EXECUTORS`).

    ``processes`` starts ``workers`` processes (default: one per core); with one worker it runs in
    this process, as ``serial`` does, rather than start a pool. ``address`` is Ray's only."""
    make = EXECUTORS[backend]
    if workers is not None:
        workers = integer(workers, "workers", minimum=1)
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


def _end_with_driver(driver: int) -> None:
    """Make this worker process end when ``driver``, its parent, does (see the module
    docstring), and leave Ctrl-C to the driver."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        set_parent_death_signal = 1  # PR_SET_PDEATHSIG, <linux/prctl.h>
        ctypes.CDLL(None, use_errno=True).prctl(set_parent_death_signal, signal.SIGKILL)
    else:
        threading.Thread(target=_watch_parent, args=(driver,), daemon=True).start()
    if os.getppid() != driver:  # the driver ended before the kernel was asked
        os._exit(1)


def _watch_parent(driver: int) -> None:
    while os.getppid() == driver:
        threading.Event().wait(1.0)
    os._exit(1)


def _call(function: Callable[[Any], Any], item: Any) -> Any:
    return function(item)
