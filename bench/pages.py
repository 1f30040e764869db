"""The pages the benchmark measures. Add yours here: one `Page` per (path, persona).

- `path` may hold `{placeholders}` filled from the ids that bench/populate.py reports after it has
  generated the organ (see `populate.sample_ids`), e.g. "/organization/units/{largest_unit_id}/".
- `persona` is the demo account that requests the page (None: not signed in). Demo accounts all
  have the password `Renda@2026demo` (apps/core/demo/organ.py).
- A page that answers 404 is skipped (its area is not built yet) and listed as skipped; any other
  status than 200 is reported as an error, never silently measured.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    path: str
    persona: str | None
    name: str


# The baseline every other page is compared with; it must stay first.
MINIMAL = Page("/bench/minimal/", None, "minimal view 最小视图")

PAGES: list[Page] = [
    MINIMAL,
    Page("/accounts/login/", None, "login page 登录页"),
    Page("/", "zhuren", "home 首页 (leader 主任)"),
    Page("/", "fagongwei_keyuan", "home 首页 (staff 科员)"),
    # Each role's first screen (issue 10): the leaders' dashboard counts the whole organ (figures,
    # per-unit table, trends), the unit head's desk his unit; both keep their query counts at scale.
    Page("/", "fagongwei_zhuren", "unit head desk 单位负责人首页"),
    Page("/", "sysadmin", "home 首页 (sysadmin 系统管理员)"),
    Page("/ledger/?figure=overdue", "zhuren", "ledger overdue 台账·超期未办结 (leader)"),
    Page("/organization/directory/", "fagongwei_keyuan", "address book 通讯录"),
    Page("/organization/directory/?q=科", "fagongwei_keyuan", "address book search 通讯录·查找"),
    Page("/search/?q=监督", "bgs_ganshi", "global search 全局搜索"),
    Page("/notifications/", "fagongwei_keyuan", "notifications 通知"),
    Page("/organization/", "bgs_ganshi", "units 机构"),
    Page("/organization/", "zhuren", "units 机构 (leader 主任)"),
    Page("/organization/units/{largest_unit_id}/", "bgs_ganshi", "largest unit 最大机构"),
    Page("/organization/people/", "bgs_ganshi", "people 人员"),
    Page("/organization/people/{person_id}/", "bgs_ganshi", "person 人员详情"),
    Page("/organization/leadership/", "bgs_ganshi", "leadership 领导职务"),
    Page("/organization/overview/", "zhuren", "overview 概况 (leader 主任)"),
    Page("/organization/task-groups/", "bgs_ganshi", "task groups 专项工作小组"),
    Page("/organization/task-groups/{largest_task_group_id}/", "bgs_ganshi", "task group 小组详情"),
    Page("/calendar/", "bgs_ganshi", "work calendar 工作日历"),
    Page("/calendar/2026/", "bgs_ganshi", "calendar year 年度日历"),
    # The ledger (issue 3): ~1,000 items at scale 1, ≥ 50,000 at scale 50 (bench/populate.py). The
    # office sees every item; the list must answer with the same number of queries at any size.
    Page("/ledger/", "bgs_ganshi", "ledger 台账"),
    Page("/ledger/?warning=red", "bgs_ganshi", "ledger red 台账·逾期"),
    Page("/ledger/?sort=warning", "bgs_ganshi", "ledger by warning 台账·按预警"),
    Page("/ledger/items/{ledger_item_id}/", "bgs_ganshi", "ledger item 事项详情"),
    Page("/ledger/statistics/", "bgs_ganshi", "ledger statistics 台账统计"),
    Page("/ledger/calendar/", "bgs_ganshi", "key-work calendar 行事历"),
    Page("/ledger/mine/", "fagongwei_keyuan", "my items 我的事项"),
    Page("/approvals/", "zhuren", "approvals inbox 待审批"),
    # Attendance (issue 4): the month of results populate writes for everyone (~5,000 at scale
    # 50); clock-in throughput (POST) is measured separately by bench/run.py.
    Page("/attendance/", "fagongwei_keyuan", "attendance 考勤"),
    Page("/attendance/notice/", "bgs_ganshi", "attendance notice 考勤通报"),  # this month
    Page("/attendance/notice/?month=2026-10", "bgs_ganshi", "attendance notice 考勤通报 (月)"),
    Page(
        "/attendance/notice/export.xlsx?month=2026-10",
        "bgs_ganshi",
        "attendance notice .xlsx 考勤通报导出",
    ),
    # Documents (issue 11): 2,000 outgoing documents at scale 1, 100,000 at scale 50; the office
    # sees them all. The list and the page of the longest timeline keep their query counts, and
    # the PDF of a ten-page document measures the layout engine (WeasyPrint, fonts embedded).
    Page("/documents/", "bgs_ganshi", "documents 发文"),
    Page("/documents/?status=issued", "bgs_ganshi", "documents issued 发文·已印发"),
    Page("/documents/{outgoing_document_id}/", "bgs_ganshi", "document 发文详情"),
    Page("/documents/incoming/", "bgs_ganshi", "incoming 收文"),
    Page("/documents/{ten_page_document_id}/document.pdf", "bgs_ganshi", "10-page PDF 十页公文PDF"),
    Page(
        "/documents/{ten_page_document_id}/document.docx",
        "bgs_ganshi",
        "10-page .docx 十页公文Word",
    ),
    # Growing people (issue 14): the study register (20 sessions a page, figures stored on each
    # session) and the growth file of the mentee with the longest log, over ≈ 250,000 roll rows at
    # scale 50; both must keep the same number of queries at any size.
    Page("/growth/study/", "bgs_ganshi", "study register 学习台账"),
    Page("/growth/files/{growth_person_id}/", "bgs_ganshi", "growth file 干部成长档案"),
    Page("/growth/study/first-topics/", "bgs_ganshi", "first topics 第一议题"),
    Page("/meetings/", "bgs_ganshi", "sessions 常委会会议"),
    Page("/meetings/{session_id}/", "bgs_ganshi", "session 会议详情 (ten years)"),
    Page("/meetings/measures/", "bgs_ganshi", "session measures 会议服务统计"),
    Page("/meetings/measures/?type=work_report", "bgs_ganshi", "measures drill-down 统计明细"),
    Page("/audit/", "auditadmin", "audit log 审计日志"),
    Page("/audit/?username=zhuren", "auditadmin", "audit search 审计查询"),
    # Not /audit/chain/: it re-hashes the whole chain on every request (seconds at 100k rows),
    # which is what it is for; time `manage.py verify_audit_chain` instead.
    Page("/accounts/manage/", "sysadmin", "accounts 账号管理"),
]
