"""jieba tokens with the project's small domain dictionary.

jieba is initialised lazily, once per process, from ``grammars/userdict.txt``
(plus every grammar keyword) instead of its 20 MB general dictionary: start-up
costs milliseconds, and a document whose headings all match exactly never
imports jieba at all. The batch runner calls :func:`warm_up` before forking
workers so each worker inherits a ready tokenizer. The dictionary is complete
before the first cut and never modified afterwards (jieba is not safe to
modify while cutting).
"""
from __future__ import annotations

import logging
import threading
from importlib import resources

_lock = threading.Lock()
_tokenizer = None


def _build():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    from .. import grammar as grammar_mod

    path = resources.files("gaiextract").joinpath("grammars", "userdict.txt")
    tk = jieba.Tokenizer(dictionary=str(path))
    tk.initialize()
    g = grammar_mod.load()
    for prof in g.categories:
        for word in prof.keywords:
            if len(word) >= 2 and word.isascii() is False:
                tk.add_word(word, freq=500)
    for sdef in g.sections:
        for group in sdef.all_of:
            for word in group:
                if len(word) >= 2:
                    tk.add_word(word, freq=500)
    return tk


def tokenizer():
    """The process-wide tokenizer, built on first use."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                _tokenizer = _build()
    return _tokenizer


def warm_up() -> None:
    """Initialise now (call before forking worker processes)."""
    tokenizer()


def is_ready() -> bool:
    return _tokenizer is not None


_PUNCT = set("，。、；：:;,.!！?？（）()【】[]《》“”\"'‘’—-·/ \t\n\u3000")


def cut(text: str) -> list[str]:
    """Content tokens of ``text`` (punctuation and single digits dropped)."""
    return [t for t in tokenizer().lcut(text, HMM=True) if t.strip() and t not in _PUNCT and not t.isdigit()]
