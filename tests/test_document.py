from gaiextract.document import Table


def test_from_rows_expands_spans_like_html():
    t = Table.from_rows([
        [("A", 2, 1), ("B", 1, 2)],
        ["c", "d"],
        ["e", "f", "g"],
    ])
    assert t.n_rows == 3 and t.n_cols == 3
    a = t.grid[0][0]
    assert t.grid[1][0] is a and a.rowspan == 2
    assert t.grid[0][1] is t.grid[0][2]
    assert [c.text for c in t.row_cells(1)] == ["c", "d"]
    assert [c.col for c in t.row_cells(1)] == [1, 2]
    assert [c.text for c in t.row_cells(2)] == ["e", "f", "g"]


def test_holes_are_filled_with_empty_cells():
    t = Table.from_rows([["a", "b", "c"], ["d"]])
    assert [c.text for c in t.grid[1]] == ["d", "", ""]


def test_ragged_table_keeps_rows_as_given():
    t = Table.from_rows([["a"], ["b", "c", "d"]], rectangular=False)
    assert [len(r) for r in t.grid] == [1, 3]
