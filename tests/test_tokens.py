import subprocess
import sys

from gaiextract.layout import tokens


def test_domain_words_are_single_tokens():
    toks = tokens.cut("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况")
    assert "政府信息公开" in toks and "行政复议" in toks and "行政诉讼" in toks
    assert "、" not in toks and "四" in toks


def test_tokenizer_is_built_once():
    a = tokens.tokenizer()
    tokens.cut("依申请公开")
    assert tokens.tokenizer() is a


def test_exact_headings_never_load_jieba(seed_path):
    code = ("import sys, gaiextract; r = gaiextract.extract(sys.argv[1]); "
            "assert len(r.sections) == 6; print('jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(seed_path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_batch_preload_warms_the_tokenizer_for_forked_workers():
    code = "import gaiextract.batch.preload; from gaiextract.layout import tokens; print(tokens.is_ready())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_a_grammar_object_has_its_own_tokenizer_and_profiles():
    """Per grammar, never the shipped grammar's for a user's (its keywords differ)."""
    import copy

    from gaiextract import grammar
    from gaiextract.layout import fuzzy

    shipped = grammar.load()
    user = copy.deepcopy(shipped)
    assert tokens.tokenizer(user) is not tokens.tokenizer(shipped)
    assert tokens.tokenizer(user) is tokens.tokenizer(user)
    assert fuzzy.profiles(user).grammar is user and fuzzy.profiles(shipped).grammar is shipped


def test_jieba_loads_without_pkg_resources():
    """jieba imports pkg_resources (~0.2 s) only to open its model files; we load it without."""
    code = ("import sys; from gaiextract.layout import tokens; toks = tokens.cut('政府信息公开工作年度报告'); "
            "print('pkg_resources' in sys.modules, '政府信息公开' in toks)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False True"


def test_per_object_cache_forgets_a_freed_object():
    """Derived data is kept per live object and dropped with it (a user's grammar freed
    and another made at the same address must not inherit it)."""
    import gc

    from gaiextract.layout.per_object import PerObject

    class Obj:
        pass

    cache: PerObject[int] = PerObject()
    a, b = Obj(), Obj()
    assert cache.get(a, lambda: 1) == 1 and cache.get(a, lambda: 2) == 1
    assert cache.get(b, lambda: 3) == 3 and len(cache) == 2
    del a
    gc.collect()
    assert len(cache) == 1 and cache.peek(b) == 3
