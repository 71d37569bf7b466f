"""Typed signatures: no bare ``list``/``dict``/``tuple``/``set`` in an annotation of the package.

Why: gaiextract ships ``py.typed``; a user's type checker learns nothing from ``-> list``.
The scan reads every module's annotations (parameters, returns, annotated names and
dataclass fields) and names each bare container it finds.
"""
import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "gaiextract"
BARE = {"list", "dict", "tuple", "set", "frozenset"}


def bare_annotations(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            args += [a for a in (node.args.vararg, node.args.kwarg) if a is not None]
            anns = [a.annotation for a in args if a.annotation is not None]
            anns += [node.returns] if node.returns is not None else []
        elif isinstance(node, ast.AnnAssign):
            anns = [node.annotation]
        else:
            continue
        for ann in anns:
            subscripted = {id(s.value) for s in ast.walk(ann) if isinstance(s, ast.Subscript)}
            found += [f"{node.lineno}: {ast.unparse(ann)}" for s in ast.walk(ann)
                      if isinstance(s, ast.Name) and s.id in BARE and id(s) not in subscripted]
    return found


def test_no_bare_container_annotations():
    hits = [f"{p.relative_to(SRC)}:{h}" for p in sorted(SRC.rglob("*.py"))
            for h in bare_annotations(p.read_text(encoding="utf-8"))]
    assert not hits, "parametrise these annotations (list[str], dict[str, int] …):\n" + "\n".join(hits)


def test_the_scan_can_fail():
    assert bare_annotations("def f(x: list) -> dict[str, int]: ...") == ["1: list"]
    assert bare_annotations("y: Optional[tuple] = None") == ["1: Optional[tuple]"]
    assert bare_annotations("def g(x: list[int]) -> set[str]: ...") == []
