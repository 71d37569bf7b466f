import pytest

from gaiextract.layout.facts import (agency_from_body, agency_from_title, find_fees, find_title,
                                     year_from_body, year_from_title)


@pytest.mark.parametrize("title,agency,year", [
    ("北京市通州区人民政府办公室2023年政府信息公开工作年度报告", "北京市通州区人民政府办公室", 2023),
    ("2019年沭阳县退役军人服务中心政府信息公开工作年度报告", "沭阳县退役军人服务中心", 2019),
    ("鄠邑区东风街道办事处政府信息公开工作年度报告（2020年度）", "鄠邑区东风街道办事处", 2020),
    ("新郑市太平镇人民政府2024年度政府信息公开工作年度报告", "新郑市太平镇人民政府", 2024),
])
def test_title_facts(title, agency, year):
    assert agency_from_title(title) == agency
    assert year_from_title(title) == year


def test_title_over_two_lines_and_meta_lines():
    assert find_title(["长沙县住房和城乡建设局", "2019年政府信息公开工作年度报告"])[0] == \
        "长沙县住房和城乡建设局2019年政府信息公开工作年度报告"
    assert find_title(["标题：某局2020年政府信息公开工作年度报告", "发布时间：2021-01-20"])[0] == \
        "某局2020年政府信息公开工作年度报告"
    assert find_title(["依据《条例》第五十条规定，编制本报告。"]) == (None, [])


def test_agency_and_year_from_body():
    body = ["2025年,密云区融媒体中心高度重视组织领导工作,将其作为关键环节。"]
    assert agency_from_body(body) == "密云区融媒体中心"
    assert agency_from_body(["2021年，昆明市人民政府办公室坚持以人民为中心的发展思想"]) == "昆明市人民政府办公室"
    assert agency_from_body(["2019年，我局认真贯彻落实条例。"]) is None
    assert year_from_body(["2025年度,我中心主动公开信息。", "2025年,中心完成改版。", "2026年将继续"]) == 2025


@pytest.mark.parametrize("text,want", [
    ("发出收费通知0件，总金额0元，实际收取总金额0元。", (0, 0, 0)),
    ("发出收费通知件数：5件；总金额：150元；实际收取总金额：0元。", (5, 150, 0)),
    ("本年度共发出收费通知２件，总金额1.5万元，实际收取总金额0.3万元。", (2, 15000, 3000)),
    # spec (Fees): a sentence that only says no fee was collected sets amount_collected
    # to 0 and leaves the other two null
    ("本年度没有发生过收取信息处理费的情况。", (None, None, 0)),
    ("2023年，无收取信息处理费情况。", (None, None, 0)),
    ("无其他需要报告的事项。", (None, None, None)),
    ("本年度共发出收费通知书1份，通知金额300元，实收金额300元。", (1, 300, 300)),
    ("本年度发出收费通知0件，收取信息处理费0元。", (0, None, 0)),
    ("", (None, None, None)),
])
def test_fees(text, want):
    f = find_fees(text)
    assert (f["notices"], f["amount_notified"], f["amount_collected"]) == want


def test_title_and_agency_never_from_chrome_or_markdown_marks():
    nav = "当前位置：首页 > 政府信息公开 > 政府信息公开工作年度报告"
    lines = [nav, "# 沭阳县人民政府 2025 年 政府信息公开工作年度报告", "沭阳县人民政府"]
    title, _ = find_title(lines)
    assert title == "沭阳县人民政府2025年政府信息公开工作年度报告"
    assert agency_from_title(title) == "沭阳县人民政府"
    assert find_title(["首页 > 政务公开 > 政府信息公开年报 > 政府信息公开工作年度报告"]) == (None, [])
    # the archiver's 标题 (Document.meta["title"]) wins over the body
    assert find_title(["某局2019年政府信息公开工作年度报告"],
                      meta_title="平潭综合实验区2020年度政府信息公开工作年度报告")[0] == \
        "平潭综合实验区2020年度政府信息公开工作年度报告"
    assert agency_from_title("平潭综合实验区2020年度政府信息公开工作年度报告") == "平潭综合实验区"


def test_agency_is_not_a_slogan():
    assert agency_from_body(["2023年，建设人民满意的服务型政府，平潭综合实验区管委会坚持公开为常态。"]) == \
        "平潭综合实验区管委会"
    assert agency_from_body(["2024年，全面贯彻党的二十大精神，持续深化政务公开。"]) is None


def test_title_from_every_candidate():
    # over two lines: the first ends with the year, or the core wording is broken
    assert find_title(["合肥市蜀山区人民政府办公室2019年度", "政府信息公开工作年度报告", "一、总体情况"])[0] == \
        "合肥市蜀山区人民政府办公室2019年度政府信息公开工作年度报告"
    assert find_title(["重庆市渝北区农业农村委员会2025年政府信息公开", "工作年度报告"])[0] == \
        "重庆市渝北区农业农村委员会2025年政府信息公开工作年度报告"
    # a generic heading never wins over a candidate naming the agency …
    assert find_title(["政府信息公开工作年度报告"], page_title="某市某区审计局2023年政府信息公开工作年度报告_某区人民政府") \
        == ("某市某区审计局2023年政府信息公开工作年度报告", [])
    assert find_title(["海口市龙华区城西镇人民政府2025年政府信息公开工作年度报告 依据《条例》第五十条规定，编制本报告。"
                       "本报告中所列数据的统计期限自2025年1月1日起至2025年12月31日止。"],
                      meta_title="政府信息公开工作年度报告")[0] == "海口市龙华区城西镇人民政府2025年政府信息公开工作年度报告"
    # … and a page title naming none is no candidate: the document prints no title
    assert find_title(["根据《条例》编制本报告。"], page_title="政府信息公开工作年度报告_政府门户网站") == (None, [])
    assert find_title(["政府信息公开工作年度报告"])[0] == "政府信息公开工作年度报告"
    # a sentence mentioning the report at the start of a long line is no title
    assert find_title(["依据《条例》规定，现公布本机关2022年政府信息公开工作年度报告。" + "本报告所列数据" * 12]) == (None, [])


def test_html_page_title_is_kept_in_the_document_meta(tmp_path):
    import gaiextract

    page = tmp_path / "r.html"
    page.write_text("<html><head><title>某市某区审计局2023年政府信息公开工作年度报告_某区人民政府</title></head><body>"
                    "<div><h2>政府信息公开工作年度报告</h2><p>一、总体情况</p><p>2023年，本局持续深化政务公开。</p>"
                    "<p>二、主动公开政府信息情况</p><p>略。</p></div></body></html>", encoding="utf-8")
    assert gaiextract.read(page).meta["page_title"].startswith("某市某区审计局2023年")
    report = gaiextract.extract(page)
    assert (report.title, report.agency) == ("某市某区审计局2023年政府信息公开工作年度报告", "某市某区审计局")
