"""Pages saved by site archivers: header lines go to Document.meta, page chrome is dropped,
and nothing of either reaches the body."""
from conftest import FIXTURES

import gaiextract
from gaiextract.document import Paragraph
from gaiextract.readers.page_meta import is_chrome, split_page

REAL = FIXTURES / "real"

PAGE = """标题: 某某县2022年政府信息公开工作年度报告
发布时间: 2023-01-20 09:00
文号:
发布机构: 某某县人民政府办公室
原文链接: https://www.example.gov.cn/a/t20230120_1.htm
页面链接与图片详见 links.tsv(同目录)
==================== 正文 ====================
当前位置：首页 > 政务公开 > 政府信息公开年报
首页 | 机构概况 | 政务公开 | 政务服务 | 互动交流
【全真版】【文字版】
全真版 文字版
一、总体情况
2022年，某某县做好格式清理、全真版上传等工作，相关链接均已更新。
附件下载：
相关链接
"""


def _paras(doc):
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def test_header_lines_become_meta():
    page = split_page(PAGE)
    assert page.meta["title"] == "某某县2022年政府信息公开工作年度报告"
    assert page.meta["published"] == "2023-01-20 09:00"
    assert page.meta["url"] == "https://www.example.gov.cn/a/t20230120_1.htm"
    assert page.meta["publisher"] == "某某县人民政府办公室"
    assert page.meta["header"]["文号"] == ""
    assert "doc_number" not in page.meta  # an empty value names nothing


def test_chrome_lines_are_dropped_but_body_sentences_mentioning_them_stay():
    doc = gaiextract.read(PAGE.encode(), format="txt")
    assert _paras(doc) == ["一、总体情况", "2022年，某某县做好格式清理、全真版上传等工作，相关链接均已更新。"]
    assert doc.meta["chrome_lines"] == 6
    assert doc.meta["title"] == "某某县2022年政府信息公开工作年度报告"
    assert not is_chrome("2022年，某某县做好格式清理、全真版上传等工作。")
    assert not is_chrome("首页改版后，网站新增栏目5个。")


def test_header_without_separator_is_the_leading_run_of_known_keys():
    page = split_page("标题：某局2021年政府信息公开工作年度报告\n发布日期：2022-01-05\n一、总体情况\n日期：不是页眉\n")
    assert page.meta["title"] == "某局2021年政府信息公开工作年度报告"
    assert page.meta["published"] == "2022-01-05"
    assert [ln for ln in page.lines if ln] == ["一、总体情况", "日期：不是页眉"]
    # text with no header at all is left alone
    assert split_page("一、总体情况\n正文。\n").meta == {}


def test_real_archiver_pages_keep_header_and_body_apart():
    for name, title in (("011_pingtan_2020_flat.txt", "平潭综合实验区2020年度政府信息公开工作年度报告"),
                        ("014_pingtan_2023_flat.txt", "平潭综合实验区2023年度政府信息公开工作年度报告")):
        doc = gaiextract.read(REAL / name)
        assert doc.meta["title"] == title
        assert doc.meta["url"].startswith("https://www.pingtan.gov.cn/")
        texts = _paras(doc)
        assert not any(t.startswith(("标题", "发布时间", "原文链接", "本地目录", "页面链接", "=====")) for t in texts)
        # the body is one line; the reader only splits it at a space before numbering
        # (the layout finds the headings inside the running text)
        assert "一、总体情况" in "".join(texts) and "六、其他需要报告的事项" in "".join(texts)
        assert len(texts) <= 8
