"""A fourth table added purely by grammar: nothing in layout/ names a table.

The grammar files are served from memory (as a user's grammar directory would
add them); the made-up table 五、政务新媒体情况 has rows, a group printed as one
row, a column tree and a check, and is found in a grid and in a stream.
"""
import pytest

from gaiextract import grammar
from gaiextract.document import Table
from gaiextract.layout.checks import run_checks
from gaiextract.layout.tables import find_tables

TOY = {
    "variants": ["split"],
    "groups": [{"id": "apps", "labels": ["移动客户端"]}],
    "rows": [
        {"key": "weibo", "labels": ["政务微博"]},
        {"key": "wechat", "labels": ["政务微信公众号"]},
        {"key": "apps.ios", "labels": ["苹果应用商店"], "group": "apps"},
        {"key": "apps.android", "labels": ["安卓应用市场"], "group": "apps"},
        {"key": "total", "labels": ["账号合计"]},
    ],
    "columns": [
        {"id": "accounts", "labels": ["账号数量"]},
        {"id": "opened", "key": "opened", "parent": "accounts", "labels": ["本年新开设"]},
        {"id": "closed", "key": "closed", "parent": "accounts", "labels": ["本年关停"]},
        {"id": "posts", "key": "posts", "labels": ["发布信息条数"]},
    ],
}
TOY_CHECK = {"id": "media.sum.{column}", "table": "media", "for_each": "column",
             "left": ["total"], "right": ["weibo", "wechat", "apps.*"], "detail": "合计 ≠ 各类之和",
             "rule": "合计 = 各类之和"}


class ToyFiles(grammar.GrammarFiles):
    """The shipped grammar with one more table, ``media`` (and its check)."""

    def read(self, name):
        if name == "tables.toml":
            return {"tables": super().read(name)["tables"] + ["media"]}
        if name == "media.toml":
            return TOY
        data = super().read(name)
        if name == "checks.toml":
            data = dict(data, check=data["check"] + [TOY_CHECK],
                        dimensions=dict(data["dimensions"], column=data["dimensions"]["column"]
                                        + ["opened", "closed", "posts"]))
        return data


@pytest.fixture()
def toy_grammar():
    return grammar.build(ToyFiles())


ROWS = [("政务微博", (2, 1, 340)), ("政务微信公众号", (3, 0, 1200)), ("苹果应用商店", (1, 0, 15)),
        ("安卓应用市场", (1, 1, 15)), ("账号合计", (7, 2, 1570))]
KEYS = ["weibo", "wechat", "apps.ios", "apps.android", "total"]


def want():
    return {f"{k}.{c}": v for k, (_, vals) in zip(KEYS, ROWS) for c, v in zip(("opened", "closed", "posts"), vals)}


def test_toy_table_from_a_grid(toy_grammar):
    rows = [[("类别", 2, 1), ("账号数量", 1, 2), ("发布信息条数", 2, 1)], ["本年新开设", "本年关停"]]
    rows += [[label] + [str(v) for v in vals] for label, vals in ROWS]
    rows[4][0] = "（三）移动客户端 1.苹果应用商店"  # a label carrying its group path
    f = find_tables([Table.from_rows(rows)], toy_grammar)
    mt = f.tables["media"]
    assert mt.cells == want()
    checks = run_checks({"media": mt.cells}, toy_grammar)
    assert [(c["id"], c["ok"]) for c in checks] == [("media.sum.opened", True), ("media.sum.closed", True),
                                                    ("media.sum.posts", True)]


def test_toy_table_from_a_stream_split_by_its_check(toy_grammar):
    text = ("五、政务新媒体情况 类别账号数量发布信息条数本年新开设本年关停"
            + "".join(label + "".join(str(v) for v in vals) for label, vals in ROWS))
    f = find_tables([], toy_grammar, [(text, 2)])
    mt = f.tables["media"]
    got = {k: v for k, v in mt.cells.items() if v is not None}
    ambiguous = {w["key"] for w in mt.warnings if w["code"] == "cell_ambiguous"}
    # every cell is right, or null and named ambiguous: never a wrong number
    for key, v in want().items():
        assert got.get(key) == v or key in ambiguous
    # the column sums settle the rows they bind: 账号合计 7 2 1570 = the rows above
    assert got.get("total.posts") == 1570
    assert mt.provenance["weibo.posts"]["how"] == "split"
