"""Canonical keys and the printed label texts of the official templates.

Keys follow ../shared/spec/canonical-json.md (Tables). Label texts are those of
国办公开办函〔2021〕30号 and of the 2019 template as printed in real reports;
the variants are ones seen in published reports.
"""
from __future__ import annotations

#: requests table columns, in printed order
REQUEST_COLUMNS = ["natural_person", "enterprise", "research", "nonprofit",
                   "legal_service", "other_org", "total"]
APPLICANT_COLUMNS = REQUEST_COLUMNS[:6]

WITHHELD = [
    ("state_secret", "属于国家秘密"),
    ("law_prohibited", "其他法律行政法规禁止公开"),
    ("security_stability", "危及“三安全一稳定”"),
    ("third_party", "保护第三方合法权益"),
    ("internal_affairs", "属于三类内部事务信息"),
    ("process_info", "属于四类过程性信息"),
    ("enforcement_files", "属于行政执法案卷"),
    ("admin_query", "属于行政查询事项"),
]
UNAVAILABLE = [
    ("not_held", "本机关不掌握相关政府信息"),
    ("needs_creation", "没有现成信息需要另行制作"),
    ("unclear", "补正后申请内容仍不明确"),
]
NOT_PROCESSED = [
    ("petition", "信访举报投诉类申请"),
    ("repeated", "重复申请"),
    ("publication", "要求提供公开出版物"),
    ("excessive", "无正当理由大量反复申请"),
    ("confirmation", "要求行政机关确认或重新出具已获取信息"),
]
OTHER_HANDLING = [
    ("overdue_correction", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("unpaid_fee", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other", "其他"),
]


def outcome_rows(other_single: bool) -> list:
    """Row keys of 三、本年度办理结果 (（一）…（六）), without （七）总计."""
    rows = ["disclosed", "partial"]
    rows += [f"withheld.{k}" for k, _ in WITHHELD]
    rows += [f"unavailable.{k}" for k, _ in UNAVAILABLE]
    rows += [f"not_processed.{k}" for k, _ in NOT_PROCESSED]
    rows += ["other_handling"] if other_single else [f"other_handling.{k}" for k, _ in OTHER_HANDLING]
    return rows


def request_rows(other_single: bool) -> list:
    """All row keys of the requests table in printed order (25 rows, or 23 with one （六） row)."""
    return ["new", "carried_in"] + outcome_rows(other_single) + ["total", "carried_out"]


def request_keys(other_single: bool) -> list:
    return [f"{r}.{c}" for r in request_rows(other_single) for c in REQUEST_COLUMNS]


PROACTIVE_KEYS_2021 = [
    "rules.issued", "rules.repealed", "rules.in_force",
    "normative_documents.issued", "normative_documents.repealed", "normative_documents.in_force",
    "licensing.decisions", "penalty.decisions", "coercion.decisions", "fees.amount",
]
PROACTIVE_KEYS_2019 = [
    "rules.created", "rules.published", "rules.total_published",
    "normative_documents.created", "normative_documents.published", "normative_documents.total_published",
    "licensing.last_year", "licensing.change", "licensing.decisions",
    "other_services.last_year", "other_services.change", "other_services.decisions",
    "penalty.last_year", "penalty.change", "penalty.decisions",
    "coercion.last_year", "coercion.change", "coercion.decisions",
    "fees.last_year", "fees.change",
    "procurement.items", "procurement.amount",
]

REVIEW_GROUPS = ["review", "suit_direct", "suit_after_review"]
REVIEW_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]
REVIEW_KEYS = [f"{g}.{c}" for g in REVIEW_GROUPS for c in REVIEW_COLUMNS]
REVIEW_COLUMN_LABELS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果",
                        "pending": "尚未审结", "total": "总计"}

CN_NUM = "一二三四五六七八九十"

#: the official section wordings and variants seen in real reports
SECTION_WORDINGS = {
    "overview": ["总体情况", "总体情况", "概述"],
    "proactive": ["主动公开政府信息情况", "主动公开政府信息情况", "主动公开政府信息的情况"],
    "requests": ["收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请情况",
                 "收到和处理政府信息公开申请的情况"],
    "review_litigation": ["政府信息公开行政复议、行政诉讼情况",
                          "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
                          "政府信息公开行政复议、行政诉讼的情况"],
    "problems": ["存在的主要问题及改进情况", "存在问题及下一步工作打算",
                 "工作中存在的问题及改进措施", "存在的主要问题及整改措施", "存在的问题和改进措施"],
    "other": ["其他需要报告的事项", "其他需报告的事项", "其他需要报告事项"],
}
SECTION_IDS = ["overview", "proactive", "requests", "review_litigation", "problems", "other"]

CATEGORIES = ["proactive_disclosure", "request_disclosure", "information_management", "platform",
              "supervision", "organization", "training", "policy_interpretation", "other"]
