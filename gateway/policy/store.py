"""The active policy, swapped atomically. A reload validates the new files whole; a
bad file keeps the last good policy and is reported (log, counter, admin status).
Requests hold the Policy object they started with, so in-flight requests finish
under it."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

from gateway.policy.loader import Policy, PolicyError, compile_policy

log = logging.getLogger("distillguard.policy")


class PolicyStore:
    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = list(paths)
        self.current: Policy = compile_policy(self.paths)  # a bad file at start-up is fatal
        self.reloads = 0
        self.failures = 0
        self.last_error: str | None = None
        self._stamp = self._mtimes()

    def _mtimes(self) -> tuple[float, ...]:
        out = []
        for path in self.paths:
            try:
                out.append(os.stat(path).st_mtime_ns / 1e9)
            except OSError:
                out.append(-1.0)
        return tuple(out)

    def reload(self) -> bool:
        """Load the files again; True when a new revision became active."""
        self._stamp = self._mtimes()
        try:
            policy = compile_policy(self.paths)
        except PolicyError as exc:
            self.failures += 1
            self.last_error = str(exc)
            log.error("policy reload failed, keeping revision %s:\n%s", self.current.revision, exc)
            return False
        self.last_error = None
        if policy.revision == self.current.revision:
            return False
        self.current = policy
        self.reloads += 1
        log.info("policy revision %s active", policy.revision)
        return True

    def reload_if_changed(self) -> bool:
        if self._mtimes() == self._stamp:
            return False
        return self.reload()
