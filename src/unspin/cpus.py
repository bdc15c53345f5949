"""How many CPUs this process may run on, for the defaults of worker pools.

``os.cpu_count()`` counts the machine's CPUs, not those the process is allowed: under
``taskset``, a Slurm job or a container's cpuset, a pool sized by it started as many
processes as the machine has cores (64 on a node where the job was given 4), each loading
its own models, and they shared the few CPUs there were.
"""

from __future__ import annotations

import os


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask where the system has one), 1 or
    more.

    >>> usable_cpus() >= 1
    True
    """
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1
