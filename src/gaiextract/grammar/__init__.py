"""The template grammars in ``grammars/`` and users' own grammars (see docs/grammar.md).

A package of three parts: :mod:`.model` (the loaded grammar's types), :mod:`.validate`
(schemas, patterns, errors naming file, line and key) and :mod:`.loader` (reading,
merging a user's files over the shipped ones, building the :class:`Grammar`).
Every name is re-exported here, so ``from gaiextract.grammar import X`` keeps working.
"""
from __future__ import annotations

from .loader import (
    GRAMMAR_ENV,
    GrammarFiles,
    ITEM_IDS,
    SHIPPED_ONLY,
    GrammarLike,
    build,
    load,
    merge,
    report_markers,
    shipped_file,
)
from .model import (
    ROLE_FEES,
    ROLE_PROBLEMS,
    ROLE_SUBSECTIONS,
    SECTION_ROLES,
    TABLE_VARIANTS,
    AgencyRules,
    CategoryProfile,
    CheckDef,
    ColumnDef,
    ExportColumn,
    ExportWording,
    FactsGrammar,
    FeeGrammar,
    Grammar,
    GrammarError,
    GroupDef,
    LabelConfusions,
    NO_CONFUSIONS,
    ProblemsGrammar,
    RowDef,
    RunInGrammar,
    SectionDef,
    TableGrammar,
    TableSpec,
    Tie,
)
from .validate import (
    CAPTURING_PATTERNS,
    dotted,
    expand,
    file_schema,
    locate,
)

# private names that tests use today
from .loader import _parse, _read, _shipped_text  # noqa: F401
from .validate import _validate  # noqa: F401

__all__ = [
    "CAPTURING_PATTERNS", "GRAMMAR_ENV", "ITEM_IDS", "ROLE_FEES", "ROLE_PROBLEMS", "ROLE_SUBSECTIONS",
    "SECTION_ROLES", "TABLE_VARIANTS", "AgencyRules", "CategoryProfile", "CheckDef", "ColumnDef",
    "ExportColumn", "ExportWording", "FactsGrammar",
    "FeeGrammar", "Grammar", "GrammarError", "GrammarFiles", "GrammarLike", "GroupDef", "LabelConfusions",
    "NO_CONFUSIONS", "ProblemsGrammar", "RowDef",
    "RunInGrammar", "SectionDef", "TableGrammar", "TableSpec", "Tie", "build", "dotted", "expand",
    "file_schema", "load", "locate", "merge", "report_markers", "SHIPPED_ONLY", "shipped_file",
]
