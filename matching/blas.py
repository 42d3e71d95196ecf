"""One BLAS thread for small dense products.

A matrix-vector product (a query's cosines) or a forward pass over a few texts is too small to
share between threads, and OpenBLAS's threads spinning against a busy machine's other work made
them 20-50 times slower (measured: 93 ms instead of 1 ms for 3,000 cosines). The controller is
made once: `threadpoolctl.threadpool_limits` looks up every loaded library on each call (36 ms),
a kept controller does not (0.2 ms).
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext

from threadpoolctl import ThreadpoolController

_controller: list[ThreadpoolController] = []
_lock = threading.Lock()


def one_thread(when: bool = True) -> AbstractContextManager:
    """A context in which BLAS uses one thread (a no-op when `when` is False)."""
    if not when:
        return nullcontext()
    with _lock:
        if not _controller:
            _controller.append(ThreadpoolController())
    return _controller[0].limit(limits=1, user_api="blas")
