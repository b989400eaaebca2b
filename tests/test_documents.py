"""The documents a case issues (casefile/templates), rendered from its data as the case file keeps them.

Each decision names its legal basis (the county plan, 上府办发〔2023〕35号, and its clause) and is signed by
the body that decides, dated in Chinese, under the text (GB/T 9704: 发文机关署名, 成文日期). A decision
addressed to the holder tells it its remedies (行政复议 within 60 days, 行政诉讼 within 6 months). Once
served, a document shows how, when and by whom. The referral is the township's, to the procuratorate alone.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from casefile.documents import chinese_date, html_to_pdf, legal_basis, render_html
from models.calendar import CST
from models.case import CaseDocument
from models.kinds import DocumentKind
from models.roles import Actor, Role

PLAN = "上高县人民政府办公室《关于印发上高县停产非煤矿山生态环境整治专项行动方案的通知》（上府办发〔2023〕35号）"
REMEDY_REVIEW = "六十日内依法申请行政复议"
REMEDY_SUIT = "六个月内依法向人民法院提起行政诉讼"
HOLDER = "测试矿业有限公司（虚构）"
MINE = {"mine_name": "测试石灰岩矿（虚构）", "permit_no": "C9999000000000000000001", "holder": HOLDER, "township": "敖阳街道",
        "issued_on": "2030-04-01"}
ISSUED = dt.datetime(2030, 4, 1, 10, 0, tzinfo=CST)
CLERK = Actor(role=Role.office, name="张三")

# kind → (title, clause, fields, addressee, the clause's words in the basis, signed by, remedies told)
DOCUMENTS = {
    DocumentKind.closure_decision: (
        "关闭决定书", "四.3", {"restoration_party": HOLDER, "plan_deadline": "2030-06-01", "restoration_deadline": "2030-09-01",
                             "supervisor": "敖阳街道办事处", "application_window_days": 30, "post_care_party": "敖阳街道办事处",
                             "post_care_years": 3, "never_produced": False, "document_no": "上府办发〔2023〕35号"},
        "", "第四部分第3项", "上高县人民政府", True),
    DocumentKind.continuation_notice: (
        "延续整改通知书", "四.1", {"months": 6, "items": ["开发利用方案", "二合一方案", "环评报告", "水土保持方案"]}, HOLDER,
        "第四部分第1项", "上高县人民政府", True),
    DocumentKind.extension_notice: (
        "整改通知书", "四.1", {"months": 3, "from_day": "2030-10-08"}, HOLDER, "第四部分第1项", "上高县人民政府", True),
    DocumentKind.deemed_abandonment_decision: (
        "视为自动放弃矿权决定书", "四.1", {"last_day": "2031-01-08"}, HOLDER, "第四部分第1项", "上高县人民政府", True),
    DocumentKind.cancellation_notice: (
        "注销公告", "四.3", {"reason": "逾期未完成矿山生态环境整治任务", "published_on": None}, HOLDER, "第四部分第3项",
        "上高县人民政府", True),
    DocumentKind.takeover_decision: (
        "接手整治决定书", "四.2", {"duty": "restoration_works", "last_day": "2030-09-01", "takeover_by": "于2030-11-01前"},
        "敖阳街道", "第四部分第2项", "上高县人民政府", False),
    DocumentKind.substitute_performance_decision: (
        "代履行决定书", "四.2", {"duty": "restoration_works", "last_day": "2030-09-01", "takeover_by": "于2030-11-01前"},
        HOLDER, "第四部分第2项", "上高县人民政府", True),
    DocumentKind.referral: (
        "线索移送函（生态公益诉讼）", "五.2", {"referred_to": "县人民检察院", "duty": "采区、厂区、堆料区裸露区整治完成并通过验收",
                                        "due": "2030-09-01", "bare_area_mu": 12.5, "issuer": "敖阳街道"},
        "县人民检察院", "第五部分第2项", "敖阳街道办事处", False),
}


def document(kind: DocumentKind, **service) -> CaseDocument:
    title, clause, fields, addressee, *_ = DOCUMENTS[kind]
    return CaseDocument(id="C9999000000000000000001-D01", kind=kind, title_zh=title, title_en=kind.value, issued_at=ISSUED,
                        clause=clause, fields={**MINE, **fields}, addressee=addressee, **service)


def text(html: str) -> str:
    """The words of a page, without its tags and line breaks."""
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html.split("<body>")[1]))


def signature(html: str) -> str:
    block = re.search(r'<div class="signature">(.*?)</div>\s*</div>', html, re.S)
    assert block, "no signature block"
    return text("<body>" + block.group(1))


def test_a_date_is_written_as_a_chinese_document_writes_it_with_the_year_in_full_and_no_leading_zeros():
    assert chinese_date("2027-05-24") == "2027年5月24日"
    assert chinese_date(dt.date(2030, 1, 1)) == "2030年1月1日"
    assert chinese_date(dt.datetime(2030, 3, 31, 17, 0, tzinfo=dt.UTC)) == "2030年4月1日"  # 01:00 in China
    assert chinese_date("于2030-11-01前完成，自2030-09-02起") == "于2030年11月1日前完成，自2030年9月2日起"
    assert chinese_date("自决定之日起2个月内") == "自决定之日起2个月内"
    assert chinese_date(None) == ""


def test_the_legal_basis_is_the_county_plan_by_its_title_and_number_and_the_clauses_applied():
    assert legal_basis("四.3") == f"{PLAN}所附方案第四部分第3项（依法依规，明确注销程序）"
    assert legal_basis("四.2", "六").endswith("第四部分第2项（注重实效，优化矿山环境）、第六部分（工作分工）")


@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_every_document_cites_its_basis_and_is_signed_and_dated_in_chinese_under_the_text(kind):
    *_, clause_words, signed_by, remedies = DOCUMENTS[kind]
    html = render_html(document(kind))
    words = text(html)
    assert PLAN in words and clause_words in words
    assert signature(html) == f"{signed_by}2030年4月1日"
    assert html.index('class="signature"') > html.index("</h1>")
    assert "2030-04-01" not in words and "送达记录" not in words  # not served yet
    assert (REMEDY_REVIEW in words and REMEDY_SUIT in words) == remedies


@pytest.mark.parametrize("kind", [DocumentKind.closure_decision, DocumentKind.deemed_abandonment_decision])
def test_a_decision_addressed_to_the_holder_tells_it_its_remedies_in_the_words_of_the_law(kind):
    words = text(render_html(document(kind)))
    assert words.startswith(f"示例数据，虚构/sampledata,fictional{DOCUMENTS[kind][0]}{HOLDER}：")
    assert "如不服本决定，可在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。" in words


@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_a_served_document_shows_how_when_and_by_whom_it_was_served(kind):
    method = "announcement" if kind == DocumentKind.cancellation_notice else "post"
    url = "http://www.shanggao.gov.cn/gsgg/2030/1.html" if method == "announcement" else None
    html = render_html(document(kind, served_on=dt.date(2030, 4, 3), served_by=CLERK, service_method=method, url=url))
    words = text(html)
    assert "送达记录" in words and html.index("送达记录") > html.index('class="signature"')
    assert f"送达方式{'公告送达' if url else '邮寄送达'}" in words
    assert "送达日期2030年4月3日" in words and "送达人领导小组办公室·张三" in words
    assert (f"发布网址{url}" in words) == bool(url)
    addressee = DOCUMENTS[kind][3]
    assert (f"受送达人{addressee}" in words) == bool(addressee)


def test_the_document_number_is_shown_under_the_title_when_it_has_one():
    class Numbered(CaseDocument):  # the register of 文号 comes later; the template is ready for it
        number: str | None = None

    title, clause, fields, addressee, *_ = DOCUMENTS[DocumentKind.deemed_abandonment_decision]
    numbered = Numbered(id="C9999000000000000000001-D03", kind=DocumentKind.deemed_abandonment_decision, title_zh=title,
                        title_en="", issued_at=ISSUED, clause=clause, fields={**MINE, **fields}, addressee=addressee,
                        number="上府决字〔2030〕7号")
    html = render_html(numbered)
    assert '<div class="number">上府决字〔2030〕7号</div>' in html and html.index("上府决字") > html.index("</h1>")
    assert 'class="number"' not in render_html(document(DocumentKind.deemed_abandonment_decision))


def test_the_extension_notice_gives_the_holder_the_three_month_period_from_the_first_periods_last_day():
    words = text(render_html(document(DocumentKind.extension_notice)))
    assert "给予你单位3个月的整改期限，自原期限届满之日（2030年10月8日）起计算" in words
    assert "收到本通知书之日起六十日内依法申请行政复议" in words


def test_the_extension_notice_counts_the_three_months_from_its_service_when_the_campaign_says_so():
    served = document(DocumentKind.extension_notice)
    served.fields["counted_from"] = "service"
    words = text(render_html(served))
    assert "给予你单位3个月的整改期限，自本通知书送达之日起计算" in words and "自原期限届满之日" not in words


def test_the_continuation_notice_gives_the_six_months_from_its_service_and_says_review_time_is_not_the_holders():
    words = text(render_html(document(DocumentKind.continuation_notice)))
    assert "请你单位自本通知书送达之日起6个月内完善《开发利用方案》、《二合一方案》、《环评报告》、《水土保持方案》等审批手续" in words
    assert "审批、验收所用时间不计入你单位的期限" in words and "敖阳街道办事处" in words


def test_a_never_produced_mines_thirty_days_to_apply_count_from_service_of_the_closure_decision():
    decision = document(DocumentKind.closure_decision)
    decision.fields.update(never_produced=True, application_counted_from="service")
    assert "自本决定书送达之日起30日内向相关部门提交注销申请" in text(render_html(decision))


def test_the_deemed_abandonment_decision_names_the_period_that_ended_and_keeps_the_duty_to_restore():
    words = text(render_html(document(DocumentKind.deemed_abandonment_decision)))
    assert "至2031年1月8日期限届满仍未完成" in words and "视为你单位自动放弃该矿山采矿权" in words
    assert "由敖阳街道办事处作出注销矿权申请" in words and "不因采矿权终止而免除" in words


def test_substitute_performance_is_decided_towards_the_holder_with_what_the_administrative_coercion_law_asks():
    words = text(render_html(document(DocumentKind.substitute_performance_decision)))
    assert "《中华人民共和国行政强制法》第五十条、第五十一条" in words
    assert "代履行的标的采区、厂区、堆料区等裸露区环境整治并通过验收" in words
    assert "代履行人敖阳街道办事处" in words and "于2030年11月1日前完成" in words
    assert "按照成本合理确定，由你单位承担" in words and "停止代履行" in words


def test_the_takeover_decision_is_addressed_to_the_townships_body_and_leaves_the_cost_with_the_holder():
    words = text(render_html(document(DocumentKind.takeover_decision)))
    assert f"接手整治决定书敖阳街道办事处：{MINE['mine_name']}" in words
    assert "采区、厂区、堆料区等裸露区环境整治并通过验收的期限2030年9月1日已届满" in words
    assert "转由你单位按照属地原则于2030年11月1日前完成" in words
    assert f"整治费用仍由原采矿权人{HOLDER}承担" in words


def test_under_due_process_the_referral_is_the_townships_own_letter_to_the_procuratorate_alone():
    html = render_html(document(DocumentKind.referral))
    words = text(html)
    assert "县人民检察院：" in words and "法院" not in words.replace("向人民法院提起", "")
    assert "敖阳街道办事处决定将该线索移送你院" in words
    assert signature(html) == "敖阳街道办事处2030年4月1日" and "上高县人民政府" not in signature(html)
    assert "期限2030年9月1日" in words


def test_a_referral_issued_before_due_process_keeps_its_text_to_the_procuratorate_and_court_signed_by_the_county():
    old = document(DocumentKind.referral).model_copy(update={"addressee": ""})
    old.fields = {k: v for k, v in old.fields.items() if k != "issuer"} | {"referred_to": "县人民检察院、县人民法院"}
    html = render_html(old)
    words = text(html)
    assert "县人民检察院、县人民法院：" in words and "现由敖阳街道牵头，将有关线索移送" in words
    assert signature(html) == "上高县人民政府2030年4月1日"


def test_the_closure_decision_dates_its_deadlines_in_chinese_and_names_who_supervises():
    words = text(render_html(document(DocumentKind.closure_decision)))
    assert "生态修复方案编制期限2030年6月1日前" in words and "修复期限（完成整治并通过验收）2030年9月1日前" in words
    assert "修复监管主体敖阳街道办事处" in words and "后期管护责任主体敖阳街道办事处（管护期3年）" in words


def test_no_document_relies_on_colour_to_be_read():
    for kind in DOCUMENTS:
        html = render_html(document(kind, served_on=dt.date(2030, 4, 3), served_by=CLERK, service_method="direct"))
        colours = set(re.findall(r"(?:color|background)\s*:\s*([^;}\s]+)", html))
        assert colours <= {"#000", "#fff"}, (kind, colours)


def test_a_served_decision_prints_to_pdf():
    html = render_html(document(DocumentKind.deemed_abandonment_decision, served_on=dt.date(2030, 4, 3), served_by=CLERK,
                                service_method="direct"))
    pdf = html_to_pdf(html)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


@pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")), reason="PDF needs Chromium")
@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_every_kind_of_document_prints_as_a_pdf(kind):
    pdf = html_to_pdf(render_html(document(kind, number="上府决字〔2030〕7号")))
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
