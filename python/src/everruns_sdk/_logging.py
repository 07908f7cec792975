"""The `everruns_sdk` logger. `EVERRUNS_DEBUG=1` turns on debug lines on stderr.

Log records carry method, URL, status, elapsed time, request id and attempt: never the
API key and never bodies.
"""

from __future__ import annotations

import logging
import os

logger = logging.getLogger("everruns_sdk")


def _debug_from_env() -> None:
    if os.environ.get("EVERRUNS_DEBUG", "").strip().lower() in ("1", "true", "yes", "debug"):
        logger.setLevel(logging.DEBUG)
        if not logger.handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(
                logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s")
            )
            logger.addHandler(handler)


_debug_from_env()
