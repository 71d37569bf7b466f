"""Section 六 fee sentences in the wordings real reports use, each with the fees it states.

Real reports word the fees of 六 in many ways (spec, Fees): 收费通知 / 收费通知书 /
开具收费通知, 总金额 / 收费总金额 / 涉及金额 / 通知金额 / 应收金额, 实际收取 / 实收 /
收取信息处理费, amounts in 元 or 万元, numbers in Chinese numerals, full-width digits,
thousands separators, and sentences that only say nothing was charged. Every wording
here is one sentence template and the values it states, written by hand: the expected
fees come from this table, never from gaiextract.

:func:`fee_specs` derives one document per wording from the corpus specs (the same
report with its 六 replaced), so the existing documents keep their text; the text
renderer prints them as ``gNN_txt_fees.txt``.
"""
from __future__ import annotations

import copy

#: (wording id, paragraph with {self}/{year} placeholders, (notices, notified, collected))
WORDINGS: list[tuple[str, str, tuple]] = [
    ("total_and_processing_fee", "本年度{self}发出收费通知0件，收费总金额0.00元，实际收取信息处理费0.00元。",
     (0, 0.0, 0.0)),
    ("involved_amount", "{year}年度，{self}共发出收费通知书2份，涉及金额0元，实际收取0元。", (2, 0, 0)),
    ("ten_thousand_yuan", "本年度{self}发出收费通知3件，总金额0.03万元，实际收取总金额0.03万元。",
     (3, 300, 300)),
    ("chinese_numerals", "本年度{self}发出收费通知三件，通知金额一百五十元，实际收取一百五十元。",
     (3, 150, 150)),
    ("no_notice_no_fee", "本年度{self}未发出收费通知，未收取信息处理费。", (0, 0, 0)),
    ("no_fee_collected_only", "{year}年，无收取信息处理费情况。", (None, None, 0)),
    ("collected_in_total", "{self}在办理政府信息公开申请中收取信息处理费共计380元。", (None, None, 380)),
    ("receivable_and_received", "本年度共发出收费通知书4份，应收金额200元，实收金额120元。", (4, 200, 120)),
    ("colon_totals", "收费通知数量：1件；通知金额合计：50元；实际收取金额合计：50元。", (1, 50, 50)),
    ("issued_notices_first", "{year}年，{self}开具了2份收费通知，总金额100元，实际收缴100元。", (2, 100, 100)),
    ("fullwidth_digits", "本年度发出收费通知２件，总金额６０元，实际收取总金额６０元。", (2, 60, 60)),
    ("liang_and_hundreds", "本年度共发出收费通知两件，涉及金额二百元，实际收取金额二百元。", (2, 200, 200)),
    ("thousands_separator", "本年度发出收费通知6件，总金额1,200元，实际收取总金额1,200元。", (6, 1200, 1200)),
    ("never_happened", "本年度{self}没有发生过收取信息处理费的情况，未开具收费通知。", (0, 0, 0)),
    ("ten_thousand_decimals", "全年发出收费通知1件，收费总金额0.015万元，实际收取信息处理费0.015万元。",
     (1, 150, 150)),
]


def fee_specs(specs: list) -> list:
    """One derived spec per wording: the k-th spec that has a section 六, with 六 saying
    only the k-th wording (its other paragraphs dropped) and the expected fees set."""
    with_other = [s for s in specs if any(sec.id == "other" for sec in s.sections)]
    out = []
    for (wid, text, values), spec in zip(WORDINGS, with_other):
        derived = copy.deepcopy(spec)
        self_ref = _self_reference(derived)
        para = text.format(self=self_ref, year=derived.year)
        for sec in derived.sections:
            if sec.id == "other":
                sec.body = [para]
        derived.expected["fees"] = dict(zip(("notices", "amount_notified", "amount_collected"), values))
        derived.expected["notes"]["fee_style"] = f"wording:{wid}"
        out.append(derived)
    return out


def _self_reference(spec) -> str:
    """How the report names itself in prose (the agency, else 本机关)."""
    return spec.agency or "本机关"
