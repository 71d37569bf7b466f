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
import sys
import threading
from importlib import resources
from typing import TYPE_CHECKING, Any, Optional

from .per_object import PerObject

if TYPE_CHECKING:
    from ..grammar import Grammar

_lock = threading.Lock()
#: one tokenizer per grammar object (a user's grammar adds its own keywords), built once
_tokenizers: PerObject[Any] = PerObject()


def _import_jieba():
    """``import jieba``, without the ~0.2 s import of ``pkg_resources`` jieba makes only
    to open its own model files (it falls back to opening them from its folder); a plain
    import when that fails."""
    if "pkg_resources" in sys.modules or "jieba" in sys.modules:
        import jieba
        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import fails at once
    try:
        import jieba
    except Exception:  # an unusual install (a zip): undo, and import it the usual way
        for name in [m for m in sys.modules if m == "jieba" or m.startswith("jieba.")]:
            del sys.modules[name]
        del sys.modules["pkg_resources"]
        import jieba
        return jieba
    del sys.modules["pkg_resources"]
    return jieba


def _build(g: "Grammar"):
    jieba = _import_jieba()
    jieba.setLogLevel(logging.WARNING)

    path = resources.files("gaiextract").joinpath("grammars", "userdict.txt")
    tk = jieba.Tokenizer(dictionary=str(path))
    tk.initialize()
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


def tokenizer(grammar: Optional["Grammar"] = None):
    """The tokenizer of ``grammar`` (the shipped grammar by default), built on first use
    and kept for as long as the grammar lives."""
    if grammar is None:
        from .. import grammar as grammar_mod

        grammar = grammar_mod.load()
    tk = _tokenizers.peek(grammar)
    if tk is not None:
        return tk
    with _lock:  # built by one thread; complete before any other sees it
        return _tokenizers.get(grammar, lambda: _build(grammar))


def warm_up() -> None:
    """Initialise now (call before forking worker processes)."""
    tokenizer()


def is_ready() -> bool:
    from .. import grammar as grammar_mod

    return _tokenizers.peek(grammar_mod.load()) is not None


_PUNCT = set("，。、；：:;,.!！?？（）()【】[]《》“”\"'‘’—-·/ \t\n\u3000")


def cut(text: str, grammar: Optional["Grammar"] = None) -> list[str]:
    """Content tokens of ``text`` (punctuation and single digits dropped), with the
    words of ``grammar`` (the shipped grammar by default)."""
    return cut_with(tokenizer(grammar), text)


def cut_with(tk: Any, text: str) -> list[str]:
    """:func:`cut` with a tokenizer already at hand (one that outlives no grammar: it
    holds the grammar's words, not the grammar)."""
    return [t for t in tk.lcut(text, HMM=True) if t.strip() and t not in _PUNCT and not t.isdigit()]
