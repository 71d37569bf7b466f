"""Readers that misbehave on purpose, for the timeout and crash tests.

Loaded into the batch workers with ``--plugin batch_support.misbehaving_readers`` (or
``BatchOptions(plugins=...)``); each reacts only to its own magic first bytes.
"""
from __future__ import annotations

import os
import signal
import time

from gaiextract.errors import ExtractError
from gaiextract.readers import Reader, register


class MisbehavingReader(Reader):
    format = "misbehaving-test"  # never chosen by a format hint meant for a real reader
    priority = 1
    extensions = ()

    def accepts(self, source) -> bool:
        return source.data.startswith(b"%TEST-")

    def read(self, source):
        head = source.data[:16]
        if head.startswith(b"%TEST-SLEEP"):      # slow Python code: the worker's alarm fires
            time.sleep(60)
        elif head.startswith(b"%TEST-HANG"):     # deaf to signals, like a stuck C call
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(60)
        elif head.startswith(b"%TEST-CRASH"):    # the worker process dies
            os.kill(os.getpid(), signal.SIGKILL)
        elif head.startswith(b"%TEST-BUG"):      # a bug in a reader
            raise ZeroDivisionError("a bug")
        raise ExtractError("corrupt", "unknown test magic", source.name)


register(MisbehavingReader())
