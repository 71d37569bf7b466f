"""Official table layouts written out by hand from the spec, for layout tests.

Kept independent of grammars/ on purpose: a grammar mistake must not be able to
make its own test pass.
"""
COLS = ["natural_person", "enterprise", "research", "nonprofit", "legal_service", "other_org", "total"]

# (key, group label or None, label)
REQUEST_ROWS_2021 = [
    ("new", None, "一、本年新收政府信息公开申请数量"),
    ("carried_in", None, "二、上年结转政府信息公开申请数量"),
    ("disclosed", "三、本年度办理结果", "（一）予以公开"),
    ("partial", "三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("withheld.state_secret", "（三）不予公开", "1.属于国家秘密"),
    ("withheld.law_prohibited", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("withheld.security_stability", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("withheld.third_party", "（三）不予公开", "4.保护第三方合法权益"),
    ("withheld.internal_affairs", "（三）不予公开", "5.属于三类内部事务信息"),
    ("withheld.process_info", "（三）不予公开", "6.属于四类过程性信息"),
    ("withheld.enforcement_files", "（三）不予公开", "7.属于行政执法案卷"),
    ("withheld.admin_query", "（三）不予公开", "8.属于行政查询事项"),
    ("unavailable.not_held", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("unavailable.needs_creation", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("unavailable.unclear", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("not_processed.petition", "（五）不予处理", "1.信访举报投诉类申请"),
    ("not_processed.repeated", "（五）不予处理", "2.重复申请"),
    ("not_processed.publication", "（五）不予处理", "3.要求提供公开出版物"),
    ("not_processed.excessive", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("not_processed.confirmation", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    ("other_handling.overdue_correction", "（六）其他处理",
     "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_handling.unpaid_fee", "（六）其他处理",
     "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_handling.other", "（六）其他处理", "3.其他"),
    ("total", None, "（七）总计"),
    ("carried_out", None, "四、结转下年度继续办理"),
]

HEADER = [
    [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 1, 7)],
    [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
    ["商业\n企业", "科研\n机构", "社会公益组织", "法律服务机构", "其他"],
]


def value(r, c):
    """A distinct value per cell, so a shifted column or row cannot go unnoticed."""
    return r * 10 + c + 1


def request_rows_merged(rows=REQUEST_ROWS_2021, fmt=str):
    """The official grid with real merges (HTML-style rows: cells that start in each row)."""
    out = [list(h) for h in HEADER]
    results_rows = sum(1 for k, _, _ in rows if k not in ("new", "carried_in", "carried_out"))
    seen_groups = set()
    for r, (key, group, label) in enumerate(rows):
        line = []
        if key in ("new", "carried_in", "carried_out"):
            line.append((label, 1, 3))
        elif key == "total":
            line.append((label, 1, 2))
        else:
            if r == 2:
                line.append(("三、本年度办理结果", results_rows, 1))
            if group in ("三、本年度办理结果", None):
                line.append((label, 1, 2))
            else:
                if group not in seen_groups:
                    n = sum(1 for _, g, _ in rows if g == group)
                    line.append((group, n, 1))
                    seen_groups.add(group)
                line.append(label)
        line += [fmt(value(r, c)) for c in range(7)]
        out.append(line)
    return out


def expected_requests(rows=REQUEST_ROWS_2021):
    return {f"{key}.{col}": value(r, c) for r, (key, _, _) in enumerate(rows) for c, col in enumerate(COLS)}
