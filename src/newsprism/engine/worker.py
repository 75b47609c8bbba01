"""A child process that prepares story comparisons for the web server.

Comparing articles is CPU work in Python (and loads spaCy and ONNX models of several hundred
MB). Done on a thread of the server it holds the GIL between page requests (p99 of warm pages
rose above a second while a comparison ran) and leaves the models in the server's memory for
good. The server hands the work to this process instead: ``python -m newsprism.engine.worker
DB`` reads commands from stdin, one per line, and answers each with one JSON line on stdout:

* ``story <id>`` -> ``{"ok": true, "status": "ready" | "failed", ...}`` (the record is stored);
* ``sweep <n>``  -> ``{"ok": true, "prepared": ..., "remaining": ...}`` (up to n stale stories).

A bug answers ``{"ok": false, "error": ...}``. The process exits when stdin closes or after
:data:`IDLE_SECONDS` without a command (its memory goes back; the next command starts a new
one). Both sides share the SQLite store file, which is where results go.
"""

from __future__ import annotations

import json
import logging
import select
import subprocess
import sys
import threading
from typing import IO, Any

logger = logging.getLogger(__name__)

#: Seconds without work after which the worker exits (frees the models' memory).
IDLE_SECONDS = 300.0


class PrepareWorker:
    """The server's handle on the worker process (started on first use, restarted if gone).

    Args:
        db: the SQLite store file the server serves.
    """

    def __init__(self, db: str) -> None:
        self.db = db
        self._process: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()

    def story(self, story_id: str) -> dict[str, Any]:
        """Prepare one story in the worker; its answer.

        Raises:
            RuntimeError: the worker failed (its error) or died.
        """
        return self._ask(f"story {story_id}")

    def sweep(self, max_stories: int) -> dict[str, Any]:
        """Prepare up to ``max_stories`` stale stories in the worker; its answer."""
        return self._ask(f"sweep {int(max_stories)}")

    def _ask(self, command: str) -> dict[str, Any]:
        if "\n" in command:
            raise ValueError("a worker command is one line")
        with self._lock:
            for attempt in (1, 2):  # a worker that exited while idle is started again
                process = self._started()
                try:
                    assert process.stdin is not None and process.stdout is not None
                    process.stdin.write(command + "\n")
                    process.stdin.flush()
                    line = process.stdout.readline()
                except (BrokenPipeError, OSError):
                    line = ""
                if line:
                    answer: dict[str, Any] = json.loads(line)
                    if not answer.get("ok"):
                        raise RuntimeError(f"preparing in the worker failed: {answer.get('error')}")
                    return answer
                self._reap()
                if attempt == 2:
                    raise RuntimeError("the prepare worker exited without answering")
        raise AssertionError("unreachable")

    def _started(self) -> subprocess.Popen[str]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "newsprism.engine.worker", self.db],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
            )
        return self._process

    def _reap(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.wait(5)
            _close_pipes(process)

    def close(self) -> None:
        """Stop the worker (it finishes the story it is on only if it is quick about it).

        Not under the lock: a job may be waiting on the worker's answer while holding it.
        """
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            try:
                process.stdin.close()
            except OSError:  # it had exited: nothing to flush into
                pass
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        _close_pipes(process)


def _close_pipes(process: subprocess.Popen[str]) -> None:
    for pipe in (process.stdin, process.stdout):
        if pipe is not None:
            try:
                pipe.close()
            except OSError:
                pass


def _answer(store: Any, command: str) -> dict[str, Any]:
    from newsprism.engine.comparisons import articles_of, prepare_comparisons, prepare_story
    from newsprism.present.prepared import page_products

    verb, _, arg = command.partition(" ")

    def build(story: Any, compared: Any, every: Any) -> dict[str, Any]:
        return page_products(store, story, compared, every)

    if verb == "story":
        articles = articles_of(store, arg)
        record = prepare_story(store, arg, articles, build=build)
        return {"ok": True, "status": record.status, "error": record.error}
    if verb == "sweep":
        report = prepare_comparisons(store, build=build, max_stories=int(arg))
        return {"ok": True, **report.to_dict()}
    return {"ok": False, "error": f"unknown command {verb!r}"}


def serve(db: str, stdin: IO[str], stdout: IO[str], idle: float = IDLE_SECONDS) -> None:
    """The worker's loop: answer commands until stdin closes or stays quiet for ``idle`` s."""
    from newsprism.storage.sqlite import SQLiteStore

    store = SQLiteStore(db)
    try:
        while True:
            ready, _, _ = select.select([stdin], [], [], idle)
            if not ready:
                return
            line = stdin.readline()
            if not line:
                return
            try:
                answer = _answer(store, line.strip())
            except Exception as exc:  # reported to the server, which logs it as a failed job
                logger.exception("worker command %r failed", line.strip())
                answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            stdout.write(json.dumps(answer) + "\n")
            stdout.flush()
    finally:
        store.close()


if __name__ == "__main__":  # pragma: no cover (run as a child process by PrepareWorker)
    # Answers are the only thing on stdout: anything a library prints goes to stderr. The server
    # sends one command and waits for its answer, so stdin never holds a second line unread.
    answers, sys.stdout = sys.stdout, sys.stderr
    serve(sys.argv[1], sys.stdin, answers)
