"""Synthetic report content: the ReportSpecs every renderer prints, and their expected values.

Each spec is one report as a reader would see it — title and meta lines, six (or five)
sections with reworded/renumbered headings, overview subsections, the three official
tables with their real merged-cell structure, section 五 items and section 六 fee
sentences. Expected values are written here from the very numbers and texts put into
the spec (placeholder cells → null, annotated cells → the number), never from
gaiextract's output. Everything is drawn from a seeded RNG: same code, same corpus.
"""
from __future__ import annotations

import random

from . import prose
from .expected import failing_checks, write_expected  # noqa: F401  (re-exported)
from .labels import (APPLICANT_COLUMNS, CN_NUM, NOT_PROCESSED, OTHER_HANDLING, REQUEST_COLUMNS,
                     REVIEW_COLUMN_LABELS, REVIEW_COLUMNS, REVIEW_GROUPS, SECTION_IDS,
                     SECTION_WORDINGS, UNAVAILABLE, WITHHELD, outcome_rows, request_rows)
from .model import GridCell, ReportSpec, SectionSpec, Subsection, TableSpec

SEED = 20251129
N_SPECS = 40
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
PLACEHOLDERS = ["—", "——", "/", "无", "－", "／"]

#: how the title is printed, cycled over the specs so every form occurs
TITLE_STYLES = ["one_line", "two_lines", "paren", "year_first", "none_body", "one_line",
                "two_lines", "none_anon", "one_line", "paren", "two_lines"]  # odd length: both editions
#: deliberate 勾稽 violations: spec index -> kind (see _break)
BREAKS = {3: "outcome_bump", 8: "outcome_no_row_total", 13: "carried_out_off", 19: "new_total_missum",
          26: "review_total", 31: "outcome_bump", 36: "suit_total"}


# ---------------------------------------------------------------- values and cells

class Printer:
    """Turns a value into printed cell text + expected value, under one document's habits."""

    def __init__(self, rng: random.Random, style: dict):
        self.rng = rng
        self.st = style

    def number(self, v, signed=False) -> str:
        st = self.st
        if isinstance(v, float):
            s = f"{v:.2f}".rstrip("0").rstrip(".") if st["decimals"] == "trim" else f"{v:.2f}"
        elif st["thousands"] and abs(v) >= 1000:
            s = f"{v:,}"
        else:
            s = str(v)
        if signed and v > 0:
            s = "增加" + s if st["sign_words"] else "+" + s
        if st["fullwidth"] == "all" or (st["fullwidth"] == "some" and self.rng.random() < 0.35):
            s = s.translate(FULLWIDTH)
        return s

    def cell(self, key, v, placeholder_if_zero=False, signed=False, colspan=1, annotation=None):
        """(GridCell, expected value). A zero may print as a placeholder or a blank → null."""
        if v == 0 and placeholder_if_zero:
            text = "" if self.st["zero_style"] == "blank" else self.st["placeholder"]
            return GridCell(text, colspan=colspan, key=key), None
        text = self.number(v, signed=signed)
        if annotation:
            text += annotation
        return GridCell(text, colspan=colspan, key=key), v


def _lbl(text, **kw):
    return GridCell(text, header=True, **kw)


# ---------------------------------------------------------------- proactive

def _proactive_2021(rng, pr: Printer, st, kind):
    high = kind == "gov_office"
    v = {
        "rules.issued": rng.choice([0, 1, 2]) if high else 0,
        "rules.repealed": rng.choice([0, 1]) if high else 0,
        "rules.in_force": rng.randint(12, 60) if high else 0,
        "normative_documents.issued": rng.randint(0, 12),
        "normative_documents.repealed": rng.randint(0, 5),
        "licensing.decisions": rng.choice([0, rng.randint(5, 90), rng.randint(300, 2600)]),
        "penalty.decisions": rng.choice([0, rng.randint(1, 40), rng.randint(60, 400)]),
        "coercion.decisions": rng.choice([0, 0, rng.randint(1, 30)]),
        "fees.amount": rng.choice([0, 0, 12.5, 3.26, 45.8, 176.7]),
    }
    v["normative_documents.in_force"] = v["normative_documents.issued"] + rng.randint(3, 70)
    rules_dash = st["zero_style"] in ("dash", "mixed", "blank") and not high
    norm = st["normative_label"]
    ann = st["annotate"]
    exp = {}

    def c(key, **kw):
        annotation = None
        if ann and key == "normative_documents.in_force":
            annotation = f"（其中修订{rng.randint(1, max(1, v[key]))}件）"
        if st["units"] and annotation is None and v[key]:
            annotation = "万元" if key == "fees.amount" else "件"
        cell, e = pr.cell(key, v[key], annotation=annotation, **kw)
        exp[key] = e
        return cell

    rd = {"placeholder_if_zero": rules_dash}
    rows = [
        [_lbl("第二十条第（一）项", colspan=4)],
        [_lbl("信息内容"), _lbl("本年制发件数"), _lbl("本年废止件数"), _lbl("现行有效件数")],
        [_lbl("规章"), c("rules.issued", **rd), c("rules.repealed", **rd), c("rules.in_force", **rd)],
        [_lbl(norm), c("normative_documents.issued"), c("normative_documents.repealed"),
         c("normative_documents.in_force")],
        [_lbl("第二十条第（五）项", colspan=4)],
        [_lbl("信息内容"), _lbl("本年处理决定数量", colspan=3)],
        [_lbl("行政许可"), c("licensing.decisions", colspan=3)],
        [_lbl("第二十条第（六）项", colspan=4)],
        [_lbl("信息内容"), _lbl("本年处理决定数量", colspan=3)],
        [_lbl("行政处罚"), c("penalty.decisions", colspan=3)],
        [_lbl("行政强制"), c("coercion.decisions", colspan=3)],
        [_lbl("第二十条第（八）项", colspan=4)],
        [_lbl("信息内容"), _lbl("本年收费金额（单位：万元）", colspan=3)],
        [_lbl("行政事业性收费"), c("fees.amount", colspan=3)],
    ]
    return TableSpec("proactive", rows, header_rows=0), exp


def _proactive_2019(rng, pr: Printer, st, kind):
    high = kind == "gov_office"
    v = {}
    v["rules.created"] = rng.choice([0, 1, 2]) if high else 0
    v["rules.published"] = v["rules.created"]
    v["rules.total_published"] = rng.randint(10, 50) if high else 0
    v["normative_documents.created"] = rng.randint(0, 10)
    v["normative_documents.published"] = max(0, v["normative_documents.created"] - rng.choice([0, 0, 1]))
    v["normative_documents.total_published"] = v["normative_documents.published"] + rng.randint(2, 60)
    for g, big in (("licensing", True), ("other_services", False), ("penalty", True), ("coercion", False)):
        v[f"{g}.last_year"] = rng.randint(0, 60 if big else 12)
        v[f"{g}.change"] = rng.choice([0, 0, rng.randint(1, 7), -rng.randint(1, 3)])
        if v[f"{g}.last_year"] + v[f"{g}.change"] < 0:
            v[f"{g}.change"] = 0
        v[f"{g}.decisions"] = rng.choice([0, rng.randint(1, 80), rng.randint(100, 2200)]) if big \
            else rng.choice([0, rng.randint(1, 20)])
    v["fees.last_year"] = rng.randint(0, 4)
    v["fees.change"] = rng.choice([0, 0, -1]) if v["fees.last_year"] else 0
    v["procurement.items"] = rng.randint(0, 30)
    v["procurement.amount"] = rng.choice([176.7, 52.3, 12.5, 308.45]) if v["procurement.items"] else 0
    rules_dash = st["zero_style"] in ("dash", "mixed", "blank") and not high
    exp = {}

    def c(key, **kw):
        signed = key.endswith(".change")
        annotation = None
        if st["annotate"] and key == "normative_documents.total_published":
            annotation = f"（含自然失效{rng.randint(1, max(1, v[key]))}件）"
        cell, e = pr.cell(key, v[key], signed=signed, annotation=annotation, **kw)
        exp[key] = e
        return cell

    rd = {"placeholder_if_zero": rules_dash}
    head3 = [_lbl("信息内容"), _lbl("上一年项目数量"), _lbl("本年增/减"), _lbl("处理决定数量")]

    def grp(label, g):
        return [_lbl(label), c(f"{g}.last_year"), c(f"{g}.change"), c(f"{g}.decisions")]

    rows = [
        [_lbl("第二十条第（一）项", colspan=4)],
        [_lbl("信息内容"), _lbl("本年新制作数量"), _lbl("本年新公开数量"), _lbl("对外公开总数量")],
        [_lbl("规章"), c("rules.created", **rd), c("rules.published", **rd), c("rules.total_published", **rd)],
        [_lbl(st["normative_label"]), c("normative_documents.created"), c("normative_documents.published"),
         c("normative_documents.total_published")],
        [_lbl("第二十条第（五）项", colspan=4)],
        list(head3),
        grp("行政许可", "licensing"),
        grp("其他对外管理服务事项", "other_services"),
        [_lbl("第二十条第（六）项", colspan=4)],
        [GridCell(x.text, header=True) for x in head3],
        grp("行政处罚", "penalty"),
        grp("行政强制", "coercion"),
        [_lbl("第二十条第（八）项", colspan=4)],
        [_lbl("信息内容"), _lbl("上一年项目数量"), _lbl("本年增/减", colspan=2)],
        [_lbl("行政事业性收费"), c("fees.last_year"), c("fees.change", colspan=2)],
        [_lbl("第二十条第（九）项", colspan=4)],
        [_lbl("信息内容"), _lbl("采购项目数量"), _lbl("采购总金额", colspan=2)],
        [_lbl("政府集中采购"), c("procurement.items"), c("procurement.amount", colspan=2)],
    ]
    return TableSpec("proactive", rows), exp


# ---------------------------------------------------------------- requests

OUTCOME_WEIGHTS = {"disclosed": 40, "partial": 8, "withheld.state_secret": 1, "withheld.law_prohibited": 1,
                   "withheld.third_party": 3, "withheld.process_info": 2, "withheld.internal_affairs": 1,
                   "unavailable.not_held": 14, "unavailable.needs_creation": 3, "unavailable.unclear": 2,
                   "not_processed.petition": 4, "not_processed.repeated": 3, "not_processed.confirmation": 1,
                   "not_processed.publication": 1, "other_handling.overdue_correction": 2,
                   "other_handling.other": 2, "other_handling": 3}


def request_values(rng, scale: str, other_single: bool) -> dict:
    """{row: {column: int}} satisfying every requests rule."""
    rows = request_rows(other_single)
    outs = outcome_rows(other_single)
    weights = [OUTCOME_WEIGHTS.get(r, 0.3) for r in outs]
    v = {r: {c: 0 for c in REQUEST_COLUMNS} for r in rows}
    hi = {"zero": 0, "small": 12, "medium": 90, "large": 1800}[scale]
    for col in APPLICANT_COLUMNS:
        if hi == 0:
            continue
        if col == "natural_person":
            total = rng.randint(max(1, hi // 4), hi)
        elif col == "enterprise":
            total = rng.randint(0, max(1, hi // 3))
        else:
            total = rng.randint(1, max(1, hi // 20)) if rng.random() < 0.3 else 0
        carried_in = rng.randint(0, min(total, max(1, hi // 15)))
        carried_out = rng.randint(0, max(0, hi // 15)) if total else 0
        v["new"][col] = total + carried_out - carried_in
        v["carried_in"][col] = carried_in
        v["carried_out"][col] = carried_out
        v["total"][col] = total
        if total > 200:  # split the bulk proportionally, the rest at random
            for r, w in zip(outs, weights):
                v[r][col] = int(total * w / sum(weights) * rng.uniform(0.6, 1.0))
            rest = total - sum(v[r][col] for r in outs)
        else:
            rest = total
        for r in rng.choices(outs, weights=weights, k=rest):
            v[r][col] += 1
    for r in rows:
        v[r]["total"] = sum(v[r][c] for c in APPLICANT_COLUMNS)
    return v


def review_values(rng, scale: str) -> dict:
    v = {}
    for g in REVIEW_GROUPS:
        for c in REVIEW_COLUMNS[:4]:
            if scale == "zero":
                v[f"{g}.{c}"] = 0
            else:
                v[f"{g}.{c}"] = rng.choice([0, 0, 0, 1, 2, rng.randint(1, 9)]) if g != "suit_after_review" \
                    else rng.choice([0, 0, 0, 0, 1])
        v[f"{g}.total"] = sum(v[f"{g}.{c}"] for c in REVIEW_COLUMNS[:4])
    return v


def _break(kind, rng, req, rev, other_single):
    """Apply one deliberate violation; return (description, the check ids it must fail)."""
    outcome_rows(other_single)
    if kind in ("outcome_bump", "outcome_no_row_total"):
        row = rng.choice(["partial", "unavailable.not_held", "disclosed"])
        col = "natural_person"
        k = rng.randint(1, 3)
        req[row][col] += k
        if kind == "outcome_bump":
            req[row]["total"] += k
            return (f"{row}.{col} +{k} (row total updated) without updating （七）总计",
                    [f"requests.outcomes.{col}", "requests.outcomes.total"])
        return (f"{row}.{col} +{k} without updating the row total or （七）总计",
                [f"requests.outcomes.{col}", f"requests.applicants.{row}"])
    if kind == "carried_out_off":
        col = "enterprise" if req["total"]["enterprise"] else "natural_person"
        req["carried_out"][col] += 1
        req["carried_out"]["total"] += 1
        return (f"carried_out.{col} +1 (and its total) without changing 新收/结转",
                [f"requests.balance.{col}", "requests.balance.total"])
    if kind == "new_total_missum":
        req["new"]["total"] += 2
        return ("new.total summed wrong (+2)", ["requests.applicants.new", "requests.balance.total"])
    if kind == "review_total":
        rev["review.total"] += 1
        return ("review_litigation.review.total inflated", ["review_litigation.review"])
    if kind == "suit_total":
        rev["suit_direct.total"] += 2
        return ("review_litigation.suit_direct.total +2", ["review_litigation.suit_direct"])
    raise ValueError(kind)


def _requests_table(rng, pr: Printer, st, req, other_single):
    exp = {}
    zs = st["zero_style"]
    rare = {"research", "nonprofit", "legal_service", "other_org"}

    def vals(row):
        cells = []
        for col in REQUEST_COLUMNS:
            ph = (zs in ("dash", "blank") and col != "total") or (zs == "mixed" and col in rare)
            cell, e = pr.cell(f"{row}.{col}", req[row][col], placeholder_if_zero=ph and row != "total")
            exp[f"{row}.{col}"] = e
            cells.append(cell)
        return cells

    dot = "．" if st["label_fw_dot"] else "."
    br = st["header_breaks"]
    corner = st["corner_text"]
    rows = [
        [_lbl(corner, rowspan=3, colspan=3), _lbl("申请人情况", colspan=7)],
        [_lbl("自然人", rowspan=2), _lbl("法人或其他组织", colspan=5), _lbl("总计", rowspan=2)],
        [_lbl(t if br else t.replace("\n", "")) for t in
         ("商业\n企业", "科研\n机构", "社会公益组织", "法律服务机构", "其他")],
        [_lbl("一、本年新收政府信息公开申请数量", colspan=3)] + vals("new"),
        [_lbl("二、上年结转政府信息公开申请数量", colspan=3)] + vals("carried_in"),
    ]
    n_result = 20 + (0 if other_single else 2)
    partial = "（二）部分公开" if st["partial_short"] else "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    rows.append([_lbl("三、本年度办理结果", rowspan=n_result), _lbl("（一）予以公开", colspan=2)] + vals("disclosed"))
    rows.append([_lbl(partial, colspan=2)] + vals("partial"))
    for group, items, parent in (("withheld", WITHHELD, "（三）不予公开"), ("unavailable", UNAVAILABLE, "（四）无法提供"),
                                 ("not_processed", NOT_PROCESSED, "（五）不予处理")):
        for i, (k, label) in enumerate(items):
            if st["typo"] and k == "third_party":
                label = "保护第三方合法权利"
            cells = [_lbl(f"{i + 1}{dot}{label}")] + vals(f"{group}.{k}")
            if i == 0:
                cells.insert(0, _lbl(parent, rowspan=len(items)))
            rows.append(cells)
    if other_single:
        rows.append([_lbl("（六）其他处理", colspan=2)] + vals("other_handling"))
    else:
        for i, (k, label) in enumerate(OTHER_HANDLING):
            cells = [_lbl(f"{i + 1}{dot}{label}")] + vals(f"other_handling.{k}")
            if i == 0:
                cells.insert(0, _lbl("（六）其他处理", rowspan=3))
            rows.append(cells)
    rows.append([_lbl("（七）总计", colspan=2)] + vals("total"))
    rows.append([_lbl("四、结转下年度继续办理", colspan=3)] + vals("carried_out"))
    return TableSpec("requests", rows, header_rows=3), exp


def _review_table(rng, pr: Printer, st, rev):
    exp = {}
    ph = st["zero_style"] == "dash" and st["review_dash"]
    values = []
    for g in REVIEW_GROUPS:
        for c in REVIEW_COLUMNS:
            cell, e = pr.cell(f"{g}.{c}", rev[f"{g}.{c}"], placeholder_if_zero=ph)
            exp[f"{g}.{c}"] = e
            values.append(cell)

    def lab(c):
        t = REVIEW_COLUMN_LABELS[c]
        return t[:2] + "\n" + t[2:] if st["header_breaks"] and c != "total" else t

    rows = [
        [_lbl("行政复议", colspan=5), _lbl("行政诉讼", colspan=10)],
        [_lbl(lab(c), rowspan=2) for c in REVIEW_COLUMNS] + [_lbl("未经复议直接起诉", colspan=5),
                                                              _lbl("复议后起诉", colspan=5)],
        [_lbl(lab(c)) for _ in range(2) for c in REVIEW_COLUMNS],
        values,
    ]
    return TableSpec("review_litigation", rows, header_rows=3), exp


# ---------------------------------------------------------------- text

def _fill(rng, text, ctx):
    return text.format(n1=rng.randint(2, 12), n2=rng.randint(20, 160), n3=rng.randint(60, 900), **ctx)


def _sub_number(style, i):
    return {"paren_cn": f"（{CN_NUM[i]}）", "paren_ascii": f"({CN_NUM[i]})",
            "arabic_dot": f"{i + 1}.", "arabic_dun": f"{i + 1}、"}[style]


def _overview(rng, ctx, st, who):
    """Intro paragraph + 3–6 subsections; returns (body, expected subsections, kinds)."""
    topics = list(prose.TOPICS)
    n = rng.randint(3, 6)
    plan = []  # (heading wording, categories, paragraph topics)
    if rng.random() < 0.4:
        heading, cats = rng.choice(prose.COMBINED)
        plan.append((heading, cats, list(cats), "combined"))
    used = {c for p in plan for c in p[1]}
    pool = [t for t in topics if t not in used]
    rng.shuffle(pool)
    generic = rng.random() < 0.35
    direct_n = n - len(plan) - (1 if generic else 0)
    for t in pool[:direct_n]:
        plan.append((rng.choice(prose.TOPICS[t][0]), [t], [t], "direct"))
    rng.shuffle(plan)
    if generic:  # a generic heading over a topic no other subsection covers
        covered = {c for p in plan for c in p[1]}
        left = [t for t in pool[direct_n:] if t not in covered]
        preferred = [t for t in left if t in ("platform", "training", "supervision", "policy_interpretation")]
        if preferred:  # topics whose prose names nothing of another topic
            t = preferred[0]
            plan.append((rng.choice(prose.GENERIC_HEADINGS), [t], [t], "generic"))
    body = [] if st["no_intro"] else [_fill(rng, rng.choice(prose.OVERVIEW_INTROS), dict(ctx, who=who))]
    subs, kinds = [], []
    for i, (wording, cats, ptopics, kind) in enumerate(plan):
        paras = []
        for t in ptopics:
            pool_p = list(prose.TOPICS[t][1])
            k = 1 if len(ptopics) > 1 else rng.randint(1, 3)
            paras += [_fill(rng, p, ctx) for p in rng.sample(pool_p, k)]
        if st["sub_items"] and st["numbering"] != "arabic" and ptopics[0] in prose.SUB_ITEMS and st["sub_numbering"].startswith("paren"):
            paras += [f"{j + 1}.{item}" for j, item in enumerate(prose.SUB_ITEMS[ptopics[0]])]
        heading = _sub_number(st["sub_numbering"], i) + wording
        body.append(Subsection(heading, paras, inline=st["inline_subheadings"]))
        subs.append({"heading": heading, "categories": cats})
        kinds.append(kind)
    return body, subs, kinds


def _problems(rng, ctx, st):
    """Section 五 paragraphs; returns (paragraphs, problems_count, measures_count)."""
    probs = rng.sample(prose.PROBLEMS, rng.randint(2, 4))
    meas = rng.sample(prose.MEASURES, rng.randint(2, 4))
    runs = "一二三四五六"
    year, self_ = ctx["year"], ctx["self"]

    def inline(items):
        return "；".join(f"{runs[i]}是{t}" for i, t in enumerate(items)) + "。"

    style = st["problems_style"]
    turn = rng.choice(["针对上述问题，{s}采取以下改进措施：", "下一步，{s}将从以下几个方面加以改进：",
                       "改进措施："]).format(s=self_)
    if style == "inline":
        paras = [f"{year}年，{self_}政府信息公开工作虽然取得了一定成效，但仍存在一些不足：" + inline(probs),
                 turn + inline(meas)]
    elif style == "lastyear":
        paras = [f"针对{year - 1}年度报告中提出的政策解读形式单一、信息更新不及时等问题，{self_}通过加强审核、"
                 "丰富解读形式等方式进行了整改，取得了一定成效。",
                 f"{year}年，{self_}政府信息公开工作存在的主要问题：" + inline(probs),
                 "改进措施：" + inline(meas)]
    elif style == "subheads":
        paras = ["（一）存在的主要问题",
                 f"{year}年，{self_}政府信息公开工作虽然取得了一定成效，但仍存在一些不足：" + inline(probs),
                 "（二）改进措施",
                 f"下一步，{self_}将从以下几个方面加以改进：" + inline(meas)]
    elif style == "numbered":
        paras = [f"{year}年，{self_}政府信息公开工作还存在以下问题："]
        paras += [f"{i + 1}.{t}。" for i, t in enumerate(probs)]
        paras.append(f"下一步，{self_}将重点做好以下工作：")
        paras += [f"{i + 1}.{t}。" for i, t in enumerate(meas)]
    else:  # paren items
        paras = ["存在的主要问题："]
        paras += [f"（{CN_NUM[i]}）{t}。" for i, t in enumerate(probs)]
        paras.append("针对上述问题，下一步改进措施：")
        paras += [f"（{CN_NUM[i]}）{t}。" for i, t in enumerate(meas)]
    if rng.random() < 0.5:
        paras.append(f"{year + 1}年，{self_}将继续深化政府信息公开工作，进一步提升政策解读质量，增强信息时效性，"
                     "努力满足公众信息需求，推动政府信息公开工作向更高水平迈进。")
    return paras, len(probs), len(meas)


def _fees(rng, ctx, st, pr: Printer):
    """Section 六 paragraphs and the fees they state."""
    self_ = ctx["self"]
    style = st["fee_style"]
    fw = (lambda s: s.translate(FULLWIDTH)) if st["fullwidth"] == "all" else (lambda s: s)
    if style == "zero_sentence":
        return ([fw(f"本年度{self_}没有发生收取信息处理费的情况，发出收费通知0件，总金额0元，实际收取总金额0元。")],
                {"notices": 0, "amount_notified": 0, "amount_collected": 0})
    if style == "colon":
        n = rng.choice([1, 2, 5])
        amt = n * rng.choice([30, 50, 100])
        got = rng.choice([0, amt])
        return ([f"{self_}依据《政府信息公开信息处理费管理办法》收取信息处理费。" +
                 fw(f"发出收费通知件数：{n}件；总金额：{amt}元；实际收取总金额：{got}元。")],
                {"notices": n, "amount_notified": amt, "amount_collected": got})
    if style == "decimal":
        return ([f"{self_}依据《政府信息公开信息处理费管理办法》收取信息处理费。" +
                 fw("本年度发出收费通知5件，总金额150.00元，实际收取总金额0.00元。"),
                 "本年度无其他需要报告的事项。"],
                {"notices": 5, "amount_notified": 150.0, "amount_collected": 0.0})
    if style == "none_collected":
        return ([f"本年度{self_}未收取信息处理费，未发出收费通知。"],
                {"notices": 0, "amount_notified": 0, "amount_collected": 0})
    if style == "npc_nothing":
        return ([f"{ctx['year']}年度，{self_}共承办人大代表建议{rng.randint(2, 9)}件、政协委员提案{rng.randint(2, 9)}件，"
                 "均已按期办结，办理结果已按要求公开。", "除上述事项外，本年度无其他需要报告的事项。"],
                {"notices": None, "amount_notified": None, "amount_collected": None})
    return ([f"{self_}本年度无其他需要报告的事项。" if rng.random() < 0.5 else "无其他需要报告的事项。"],
            {"notices": None, "amount_notified": None, "amount_collected": None})


def _heading(numbering, i, wording):
    if numbering == "part":
        return f"第{CN_NUM[i]}部分 {wording}"
    if numbering == "arabic":
        return f"{i + 1}.{wording}"
    return f"{CN_NUM[i]}、{wording}"


def _agency_kind(name):
    if name.endswith("人民政府办公室"):
        return "gov_office"
    return "other"


# ---------------------------------------------------------------- one report

def make_spec(i: int) -> ReportSpec:
    rng = random.Random(SEED * 1000 + i)
    edition = "2021" if i % 2 == 0 else "2019"
    year = rng.choice([2021, 2022, 2023, 2024, 2025]) if edition == "2021" else rng.choice([2019, 2020])
    agency, self_ref, gov = prose.AGENCIES[i % len(prose.AGENCIES)]
    title_style = TITLE_STYLES[i % len(TITLE_STYLES)]
    anon = title_style == "none_anon"
    if anon:
        agency, self_ref = None, rng.choice(["本机关", "我单位"])
        ctx = {"year": year, "self": self_ref, "site": "门户网站", "media": "政务公开"}
    else:
        ctx = {"year": year, "self": self_ref, "site": f"{gov}人民政府门户网站",
               "media": gov.rstrip("区县市") + "发布"}
    other_single = edition == "2019" or i in (6, 24, 34)
    st = {
        "zero_style": ["zero", "dash", "mixed", "blank", "zero"][i % 5],
        "placeholder": rng.choice(PLACEHOLDERS),
        "fullwidth": "all" if i % 9 == 4 else ("some" if i % 7 == 2 else "none"),
        "thousands": rng.random() < 0.5,
        "decimals": rng.choice(["trim", "fixed"]),
        "sign_words": i % 11 == 5,
        "annotate": i % 7 == 6,
        "units": i % 13 == 7,  # 9件 / 12.5万元 in the proactive table
        "normative_label": "行政规范性文件" if (edition == "2021") != (i % 9 == 3) else "规范性文件",
        "partial_short": i % 5 == 3,
        "label_fw_dot": i % 7 == 4,
        "typo": i in (10, 27),
        "header_breaks": rng.random() < 0.6,
        "corner_text": "" if i % 5 == 4 else "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "review_dash": rng.random() < 0.5,
        "numbering": ["dun", "dun", "part", "dun", "arabic", "dun", "dun"][i % 7],
        "inline_subheadings": i % 5 == 2,
        "no_intro": i % 7 == 3 and title_style not in ("none_body",),
        "sub_items": i % 3 == 1,
        "problems_style": ["inline", "subheads", "numbered", "inline", "paren", "lastyear", "inline"][i % 7],
        "fee_style": ["zero_sentence", "nothing", "colon", "none_collected", "npc_nothing", "decimal",
                      "zero_sentence", "nothing", "colon"][i % 9],
        "table_style": rng.choice(["merged", "merged", "merged", "flat", "flat_blank"]),
        "title_style": title_style,
    }
    st["sub_numbering"] = ("paren_cn" if st["numbering"] == "arabic" else
                           ["paren_cn", "paren_ascii", "paren_cn", "arabic_dot", "arabic_dun"][i % 5])
    if st["sign_words"] and edition == "2021":
        st["sign_words"] = False
    pr = Printer(rng, st)
    scale = "zero" if i in (0, 21) else ["small", "medium", "small", "large", "medium"][i % 5]
    notes = {"title_style": title_style, "zero_style": st["zero_style"], "scale": scale,
             "numbering": {"top": st["numbering"], "sub": st["sub_numbering"]},
             "inline_subheadings": st["inline_subheadings"], "problems_style": st["problems_style"],
             "fee_style": st["fee_style"], "other_single": other_single, "breaks": [], "break_checks": []}

    # numbers, then the deliberate breaks, then the printed tables
    req = request_values(rng, scale, other_single)
    rev = review_values(rng, scale)
    if i in BREAKS:
        desc, ids = _break(BREAKS[i], rng, req, rev, other_single)
        notes["breaks"].append(desc)
        notes["break_checks"] = ids
    kind = _agency_kind(agency or "")
    if edition == "2021":
        proactive, exp_pro = _proactive_2021(rng, pr, st, kind)
    else:
        proactive, exp_pro = _proactive_2019(rng, pr, st, kind)
    requests, exp_req = _requests_table(rng, pr, st, req, other_single)
    review, exp_rev = _review_table(rng, pr, st, rev)
    ctx["req_new"] = req["new"]["total"]

    # title, meta, preamble
    if title_style == "one_line":
        title_lines = [f"{agency}{year}年{'度' if i % 4 == 0 else ''}政府信息公开工作年度报告"]
    elif title_style == "two_lines":
        title_lines = [agency, f"{year}年政府信息公开工作年度报告"]
    elif title_style == "paren":
        title_lines = [f"{agency}政府信息公开工作年度报告（{year}年度）"]
    elif title_style == "year_first":
        title_lines = [f"{year}年{agency}政府信息公开工作年度报告"]
    else:
        title_lines = []
    title = "".join(title_lines) or None
    meta_lines = []
    if title and i % 3 == 0:
        meta_lines = [f"标题：{title}", f"发布时间：{year + 1}-01-{rng.randint(10, 28):02d}",
                      f"来源：{agency}", f"浏览次数：{rng.randint(40, 3000)}"]
    preamble = ["依据《中华人民共和国政府信息公开条例》（以下简称《政府信息公开条例》）第五十条规定，编制本报告。"]
    if title and rng.random() < 0.4:
        preamble.append(f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。本报告电子版可在"
                        f"“{gov}人民政府门户网站”下载。如对本报告有疑问，请与{agency}联系。")
    if rng.random() < 0.2:
        preamble = [f"本报告根据《中华人民共和国政府信息公开条例》要求，由{self_ref}编制。"]

    # sections
    who = agency if title_style == "none_body" or (agency and rng.random() < 0.4) else self_ref
    ov_body, subs, kinds = _overview(rng, ctx, st, who)
    notes["subsection_kinds"] = kinds
    pro_body = [proactive]
    if rng.random() < 0.5:
        pro_body.insert(0, f"{year}年，{self_ref}主动公开政府信息情况如下：")
    req_body = [requests]
    if rng.random() < 0.3:
        req_body.insert(0, f"{year}年，{self_ref}收到和处理政府信息公开申请情况如下：")
    rev_body = [review]
    if all(v == 0 for v in rev.values()) and rng.random() < 0.6:
        rev_body.insert(0, f"{year}年，{self_ref}未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。")
    prob_paras, n_prob, n_meas = _problems(rng, ctx, st)
    fee_paras, fees = _fees(rng, ctx, st, pr)
    if agency and rng.random() < 0.4:
        fee_paras += [agency, f"{year + 1}年1月{rng.randint(5, 28)}日"]
    has_other = i not in (15, 24)
    if not has_other:
        fees = {"notices": None, "amount_notified": None, "amount_collected": None}
        notes["fee_style"] = "no_section"
    bodies = {"overview": ov_body, "proactive": pro_body, "requests": req_body,
              "review_litigation": rev_body, "problems": prob_paras, "other": fee_paras}
    ids = [s for s in SECTION_IDS if s != "other" or has_other]
    sections = []
    for n, sid in enumerate(ids):
        wording = SECTION_WORDINGS[sid][(i + n) % len(SECTION_WORDINGS[sid])] if sid != "overview" \
            else SECTION_WORDINGS[sid][i % 3]
        heading = _heading(st["numbering"], n, wording)
        inline = (sid == "other" and i % 5 == 1) or (sid == "problems" and i % 9 == 7
                                                     and st["problems_style"] in ("inline", "lastyear"))
        sections.append(SectionSpec(sid, heading, bodies[sid], inline=inline))

    tables = {"proactive": exp_pro, "requests": exp_req, "review_litigation": exp_rev}
    failing = failing_checks(tables)
    expected = {
        "report": {"title": title, "agency": agency, "year": year, "edition": edition},
        "section_ids": ids,
        "section_headings": {s.id: s.heading for s in sections},
        "subsections": subs,
        "tables": tables,
        "fees": fees,
        "problems_count": n_prob,
        "measures_count": n_meas,
        "failing_checks": failing,
        "notes": notes,
    }
    return ReportSpec(doc_id=f"g{i + 1:02d}", edition=edition, title_lines=title_lines, meta_lines=meta_lines,
                      preamble=preamble, sections=sections, expected=expected, style=st, agency=agency,
                      year=year)


def generate_specs(n: int = N_SPECS) -> list:
    """The corpus content, deterministic: spec i depends only on SEED and i."""
    return [make_spec(i) for i in range(n)]
