"""Remote config on its way in: checked and its prompts fetched off the agent's loop, then
held until no call is in progress, so a caller never hears the themes change mid-call.

`offer` is thread-safe (the broker's thread calls it); the result reaches the loop through
`on_loop`, as every other event does, and only the loop applies it.
"""

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from booth.remote_config import ConfigCache, ConfigRefused
from shared.messages import BoothConfig

log = logging.getLogger(__name__)

OnLoop = Callable[[Callable[[], None]], None]


class ConfigStaging:
    def __init__(
        self,
        cache: ConfigCache,
        current: Callable[[], BoothConfig | None],
        fetch_prompt: Callable[[str], bytes],
        on_loop: OnLoop,
    ) -> None:
        self._cache = cache
        self._current = current
        self._fetch_prompt = fetch_prompt
        self._on_loop = on_loop
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="config")
        self.pending: BoothConfig | None = None  # accepted, waiting for the call to end
        self.problems: list[str] = []  # what the accepted config lacks (missing prompts)
        # Run on the loop: a config was accepted and waits; a config was refused (why).
        self.on_staged: Callable[[], None] = lambda: None
        self.on_refused: Callable[[str], None] = lambda _reason: None

    def offer(self, payload: bytes) -> None:
        self._worker.submit(self._check, payload)

    def take(self) -> tuple[BoothConfig, list[str]] | None:
        """On the loop: the staged config and its problems, once; None if none waits."""
        config, self.pending = self.pending, None
        return None if config is None else (config, self.problems)

    def close(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)

    def _check(self, payload: bytes) -> None:
        current = self._current()
        try:
            accepted = self._cache.accept(payload, current, self._fetch_prompt)
        except ConfigRefused as exc:
            version = current.version if current else 0
            log.error("config refused, keeping version %d: %s", version, exc)
            reason = str(exc)
            self._on_loop(lambda: self.on_refused(reason))
            return

        def stage() -> None:
            self.pending, self.problems = accepted.config, accepted.problems
            self.on_staged()

        self._on_loop(stage)
