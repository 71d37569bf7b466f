"""Report facts: title, agency, year (title first, body second) and the fees of 六."""
from __future__ import annotations

import re
from typing import Optional

from ..textnorm import matching_view, nfkc

_TITLE_CORE = re.compile(r"政府信息公开(?:工作)?(?:年度)?(?:工作)?报告")
_META = re.compile(r"^\s*(标题|题目|名称|发布时间|发布日期|成文日期|来源|发布机构|发文机关|索引号|浏览次数|"
                   r"访问量|作者|字号|信息来源|生成日期|分类|主题分类|文号|时间|点击数|阅读次数)\s*[:：]\s*(.*)$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_TITLE_YEAR = re.compile(r"[(（]?\s*((?:19|20)\d{2})\s*年度?\s*[)）]?")
AGENCY_SUFFIX = ("人民政府办公室", "人民政府办公厅", "人民政府", "办公室", "办公厅", "委员会", "管理委员会", "办事处",
                 "管理局", "监督管理局", "局", "中心", "委", "厅", "院", "所", "馆", "站", "队", "署", "处", "会",
                 "镇", "乡", "街道", "公司", "集团", "政府", "研究院", "学校", "大学", "银行", "部", "司", "室")
#: what follows an agency name at the start of a body sentence
_AFTER_AGENCY = re.compile(r"^(?:坚持|高度|认真|深入|严格|按照|围绕|紧紧|全面|始终|在|以|进一步|持续|扎实|积极|不断|着力|"
                           r"聚焦|共|通过|根据|依据|切实|主动|稳步|继续|立足|结合|贯彻|落实|紧扣|把|将|牢固|"
                           r"强化|加强|坚决|全力|紧密|以来|重视|政府信息公开|政务公开|"
                           r"[,，。、（(])")


def _lines(paragraphs: list) -> list:
    return [p.strip() for p in paragraphs if p and p.strip()]


def find_title(preamble: list) -> tuple:
    """(title, lines used): the title from the lines before the first section.

    A scraped page's 标题: line wins; otherwise the line holding 政府信息公开…报告,
    joined with the line before it when that line is only the agency's name.
    """
    lines = _lines(preamble)
    views = [matching_view(ln) for ln in lines]
    for ln, view in zip(lines, views):
        m = _META.match(view)
        if m and m.group(1) in ("标题", "题目", "名称") and _TITLE_CORE.search(m.group(2)):
            return ln[m.start(2):].strip(), [ln]
    for i, (ln, view) in enumerate(zip(lines, views)):
        if _META.match(view) or len(ln) > 80:
            continue
        if _TITLE_CORE.search(view):
            title = ln
            used = [ln]
            prev = views[i - 1] if i > 0 else ""
            if prev and not _META.match(prev) and len(prev) <= 30 and prev.endswith(AGENCY_SUFFIX) \
                    and not _TITLE_CORE.search(prev):
                title = lines[i - 1] + ln
                used.insert(0, lines[i - 1])
            return title, used
    return None, []


def agency_from_title(title: str) -> Optional[str]:
    t = nfkc(title)
    m = _TITLE_CORE.search(matching_view(t))
    if not m:
        return None
    before = t[:m.start()]
    before = _TITLE_YEAR.sub("", before).strip(" -—:：")
    before = re.sub(r"^关于", "", before)
    return before or None


def year_from_title(title: str) -> Optional[int]:
    m = _YEAR.search(nfkc(title))
    return int(m.group(1)) if m else None


def year_from_body(paragraphs: list) -> Optional[int]:
    """The reporting year: the most frequent 'YYYY年' in the opening text, earliest on ties."""
    counts: dict = {}
    for p in paragraphs[:8]:
        for m in _YEAR.finditer(nfkc(p)):
            y = int(m.group(1))
            counts[y] = counts.get(y, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], -y))


def agency_from_body(paragraphs: list) -> Optional[str]:
    """'2021年，昆明市人民政府办公室坚持…' → 昆明市人民政府办公室.

    The name is looked for at the start of each clause of the opening sentence that
    follows a year ('2019年，在…指导下，X认真贯彻…'): a run of Han characters ending
    in an agency suffix and followed by a verb.
    """
    for p in paragraphs[:6]:
        t = nfkc(p)
        view = matching_view(t)
        year = re.search(r"(?:19|20)\d{2}年(?:度)?(?:以来)?[,，]\s*", t)
        if not year:
            continue
        end = t.find("。", year.end())
        stop = end if end > 0 else len(t)
        sentence, sentence_view = t[year.end():stop], view[year.end():stop]
        starts = [0] + [m.end() for m in re.finditer(r"[,，]\s*", sentence)]
        for start in starts:
            n = _agency_at(sentence_view[start:])
            if n:
                return sentence[start:start + n]  # as printed
    return None


def _agency_at(text: str) -> Optional[int]:
    """Length of the agency name at the start of ``text`` (simplified view), or None."""
    run = re.match(r"[\u4e00-\u9fff]{2,30}", text)
    if not run:
        return None
    word = run.group(0)
    if word.startswith(("我", "本", "全", "各", "在", "按照", "根据", "为", "通过", "围绕", "坚持")):
        return None
    for i in range(4, len(word) + 1):
        head, tail = word[:i], text[i:]
        if head.endswith(AGENCY_SUFFIX) and (not tail or _AFTER_AGENCY.match(tail)):
            return i  # the shortest name that a verb follows
    return None


# --------------------------------------------------------------------------- fees

_NUMBER = r"(\d+(?:\.\d+)?)"
_FEE_NOTICES = re.compile(r"收费通知(?:书)?(?:的)?(?:件数|数量)?(?:为|共)?[:：]?\s*" + _NUMBER + r"\s*(?:件|份|次)")
_FEE_NOTIFIED = re.compile(r"(?<!实际收取)(?<!实收)(?<!收取)(?:总|通知)金额(?:为|共|合计)?[:：]?\s*" + _NUMBER
                           + r"\s*(万?元)")
_FEE_COLLECTED = re.compile(r"(?:实际收取(?:的)?(?:总)?金额|实收(?:金额)?|(?<!实际)收取(?:信息处理费|费用)(?:共|合计)?)"
                            r"(?:为|共|合计)?[:：]?\s*" + _NUMBER + r"\s*(万?元)")
_NO_FEES = re.compile(r"(?:未|没有|无|不存在)(?:发生过?|出现过?)?(?:发出)?(?:收取|收费|收取任何|产生)[^。；;]{0,12}(?:费|费用|收费通知)")


def _amount(m) -> Optional[float]:
    if not m:
        return None
    v = float(m.group(1))
    if m.group(2) == "万元":
        v *= 10000
    return int(v) if v.is_integer() and "." not in m.group(1) else v


def find_fees(text: str) -> dict:
    """fees.notices (件), fees.amount_notified (元), fees.amount_collected (元); null if unsaid."""
    t = matching_view(nfkc(text or ""))
    t = re.sub(r"\s+", "", t)
    m = _FEE_NOTICES.search(t)
    fees = {
        "notices": int(float(m.group(1))) if m else None,
        "amount_notified": _amount(_FEE_NOTIFIED.search(t)),
        "amount_collected": _amount(_FEE_COLLECTED.search(t)),
    }
    if all(v is None for v in fees.values()) and _NO_FEES.search(t):
        fees = {"notices": 0, "amount_notified": 0, "amount_collected": 0}
    return fees
