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

Under the ``spawn`` and ``forkserver`` start methods (macOS's and Windows' default, and Linux's
from Python 3.14) worker processes first import the script that started them (``forkserver``: its
server process does). A script that calls :func:`netsim.run` outside an
``if __name__ == "__main__":`` block would run again there: :func:`refuse_while_importing_main`
ends such a process at once, leaving a note where the driver said (the environment variable
:data:`UNGUARDED_NOTE`), and the driver raises :class:`MainNotGuarded`, saying what to add, instead
of :class:`WorkerLost`.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from pathlib import Path
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


class MainNotGuarded(RuntimeError):
    """Worker processes could not start: each imported the driver's script, which starts a run
    again outside an ``if __name__ == "__main__":`` block."""


UNGUARDED_NOTE = "NETSIM_UNGUARDED_NOTE"
"""The environment variable by which a driver tells its worker processes where to leave the note
that they imported an unguarded script (see :func:`refuse_while_importing_main`)."""


def unguarded_message() -> str:
    """One line: why worker processes that import this process's main script cannot start, and
    what to add."""
    script = getattr(sys.modules.get("__main__"), "__file__", None) or "the script"
    return (
        f"worker processes could not start: under the {multiprocessing.get_start_method()!r} "
        f"start method each imports {script}, which runs netsim again as it is imported; put "
        'the code that runs it under if __name__ == "__main__":'
    )


def refuse_while_importing_main() -> None:
    """End this process (exit status 1) if it is a worker process importing its driver's main
    script, which a function that starts workers must then not go on to do; return otherwise.
    The process leaves a note at the path in :data:`UNGUARDED_NOTE` if that is set (a netsim
    driver is waiting), else says why on stderr.

    ``multiprocessing`` marks a process that is taking over its parent's state, the main module
    among it, with ``_inheriting``; its own check, ``spawn._check_not_importing_main``, reads the
    same mark."""
    if not getattr(multiprocessing.current_process(), "_inheriting", False):
        return
    note = os.environ.get(UNGUARDED_NOTE)
    if note:
        Path(note).touch()
    else:
        print(f"netsim: error: {unguarded_message()}", file=sys.stderr)
    raise SystemExit(1)


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
        flight if a worker process ends while computing, or :class:`MainNotGuarded` if the
        workers ended because they imported an unguarded script (see the module's
        documentation)."""
        with tempfile.TemporaryDirectory(prefix="netsim-") as scratch:
            note = Path(scratch) / "unguarded"
            with _environment(UNGUARDED_NOTE, str(note)):
                yield from self._map(function, items, note)

    def _map(
        self, function: Callable[[Item], Result], items: Iterable[Item], note: Path
    ) -> Iterator[tuple[Item, Result]]:
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
                        if note.exists():
                            raise MainNotGuarded(unguarded_message()) from None
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


@contextlib.contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    """Environment variable ``name`` set to ``value`` for the duration (worker processes started
    meanwhile inherit it), then restored."""
    saved = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = saved


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
