"""Read an iterator one item ahead in a background thread.

The job downloads the next BOAMP page while it imports the current one, so the
network wait (hundreds of milliseconds per page in production) overlaps the
database work instead of adding to it. No ORM here: the thread only runs the
HTTP client's iterator.
"""

import queue
import threading

_POLL_SECONDS = 0.1


class ReadAhead:
    """``with ReadAhead(items) as items: for item in items: ...``

    Items come in their order; an exception raised by the iterator is raised again in
    the consumer at the position it happened. Leaving the block early stops the
    thread at its next item (a call under way finishes first; the thread is a daemon).
    """

    def __init__(self, iterable, ahead=1):
        self._iterable = iterable
        self._queue = queue.Queue(maxsize=max(1, ahead))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._produce, name="boamp-read-ahead", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        return False

    def __iter__(self):
        while True:
            kind, value = self._queue.get()
            if kind == "item":
                yield value
            elif kind == "error":
                raise value
            else:
                return

    def _produce(self):
        try:
            for item in self._iterable:
                if not self._put(("item", item)):
                    return
        except BaseException as exc:  # handed over to the consumer, who decides
            self._put(("error", exc))
        else:
            self._put(("done", None))

    def _put(self, message):
        while not self._stop.is_set():
            try:
                self._queue.put(message, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False
