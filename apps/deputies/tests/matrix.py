"""What every role gets from each URL of the deputies' area (see apps/core/testing/url_matrix.py).

`dai` is linked here to a deputy who proposed one submitted suggestion and owns one draft; `gov`
(市人民政府) is the 主办 of that suggestion. The office (qian, sun) runs suggestions, zhao reads them;
other staff see the roster only. A second deputy's draft is out of everyone's reach but its author.
"""

from __future__ import annotations

from apps.core import clock
from apps.core.testing.url_matrix import BUSINESS, OFFICE, Case, fixed
from apps.deputies import services
from apps.deputies.factories import make_body, make_deputy, make_session
from apps.deputies.models import Station

READERS = OFFICE | {"zhao"}
ALL = BUSINESS | {"sysadmin", "secadmin", "auditadmin", "gov", "dai"}


def objects(p) -> dict[str, object]:
    session = make_session(p.sun, year=clock.today().year)  # the suite may run on any day
    station = Station.objects.create(name="城东代表之家", kind="home")
    deputy = make_deputy("戴代表", account=p.dai, station=station)
    other = make_deputy("马代表", username="deputy_ma")
    other_draft = services.suggestion_create(
        actor=other.account,
        spec=services.SuggestionSpec(checklist=session, title="他人草稿", content="内容"),
    )
    draft = services.suggestion_create(
        actor=p.dai, spec=services.SuggestionSpec(checklist=session, title="草稿", content="内容")
    )
    submitted = services.suggestion_create(
        actor=p.dai, spec=services.SuggestionSpec(checklist=session, title="建议", content="内容")
    )
    services.suggestion_submit(actor=p.dai, suggestion=submitted)
    services.suggestion_review(actor=p.sun, suggestion=submitted, decision="register")
    co_body, _ = make_body("市交通运输局", parent=p.government)
    services.suggestion_assign(
        actor=p.sun, suggestion=submitted, mode="joint", main=p.government, co=[co_body]
    )
    main = submitted.handlings.get(role="main")
    co = submitted.handlings.get(role="co")
    services.answer_submit(actor=p.gov, handling=main, klass="A", text="已办理。", signed_by="市长")
    letter = submitted.answers.get().letters.get(deputy=deputy)
    activity = services.activity_record(
        actor=p.sun,
        station=station,
        date=clock.today(),
        title="代表接待日",
        attendees=[deputy],
        matters="群众反映停车难",
    )
    return {
        "dep_deputy": deputy,
        "dep_station": station,
        "dep_matter": activity.matter_rows.get(),
        "dep_draft": draft,
        "dep_other_draft": other_draft,
        "dep_suggestion": submitted,
        "dep_main": main,
        "dep_co": co,
        "dep_letter": letter,
    }


MATRIX = {
    "deputies:my_home": Case(fixed("/deputies/me/"), ok={"dai"}),
    "deputies:my_suggestions": Case(fixed("/deputies/me/suggestions/"), ok={"dai"}),
    "deputies:my_suggestion_new": Case(
        fixed("/deputies/me/suggestions/new/"),
        ok={"dai"},
        post={"checklist": "x", "title": "", "content": ""},
    ),
    "deputies:my_suggestion": Case(
        lambda w: f"/deputies/me/suggestions/{w.dep_other_draft.pk}/",
        not_found={"dai"},
        post={"title": "改", "content": "改"},
    ),
    "deputies:my_suggestion_submit": Case(
        lambda w: f"/deputies/me/suggestions/{w.dep_other_draft.pk}/submit/",
        ok={"dai"},
        post_only=True,
        post={},
        allowed_post=set(),  # dai too is refused: the draft is another deputy's
    ),
    "deputies:my_feedback": Case(
        lambda w: f"/deputies/me/letters/{w.dep_letter.pk}/feedback/",
        ok={"dai"},
        post_only=True,
        post={"satisfaction": "satisfied"},
        allowed_post={"dai"},
    ),
    "deputies:body_list": Case(fixed("/deputies/body/"), ok={"gov"}),
    "deputies:body_detail": Case(lambda w: f"/deputies/body/{w.dep_main.pk}/", ok={"gov"}),
    "deputies:body_action": Case(
        lambda w: f"/deputies/body/{w.dep_co.pk}/opinion/",
        ok={"gov"},
        post_only=True,
        post={"text": "意见"},
        allowed_post=set(),  # gov too is refused: the 协办 part is another body's
    ),
    "deputies:suggestion_list": Case(fixed("/deputies/suggestions/"), ok=READERS),
    "deputies:suggestion_detail": Case(
        lambda w: f"/deputies/suggestions/{w.dep_suggestion.pk}/", ok=READERS
    ),
    "deputies:suggestion_action": Case(
        lambda w: f"/deputies/suggestions/{w.dep_suggestion.pk}/resolution/",
        ok=OFFICE,
        post_only=True,
        post={"resolved": "1"},
        allowed_post=OFFICE,
    ),
    "deputies:handling_action": Case(
        lambda w: f"/deputies/handlings/{w.dep_main.pk}/conclude/",
        ok=OFFICE,
        post_only=True,
        post={},
        allowed_post=OFFICE,
    ),
    "deputies:deputy_list": Case(fixed("/deputies/roster/"), ok=BUSINESS),
    "deputies:deputy_detail": Case(lambda w: f"/deputies/roster/{w.dep_deputy.pk}/", ok=BUSINESS),
    "deputies:station_list": Case(fixed("/deputies/stations/"), ok=BUSINESS),
    "deputies:station_detail": Case(
        lambda w: f"/deputies/stations/{w.dep_station.pk}/", ok=BUSINESS
    ),
    "deputies:station_action": Case(
        lambda w: f"/deputies/stations/{w.dep_station.pk}/rule/",
        ok=OFFICE,
        post_only=True,
        post={
            "nth": "1",
            "weekday": "4",
            "start": "09:00",
            "end": "11:30",
            "first_month": "2026-09-01",
            "months": "2",
        },
        allowed_post=OFFICE,
    ),
    "deputies:matter_action": Case(
        lambda w: f"/deputies/matters/{w.dep_matter.pk}/item/",
        ok=OFFICE,
        post={"unit": "", "deadline": "", "title": ""},
    ),
    "deputies:statistics": Case(fixed("/deputies/statistics/"), ok=READERS),
    "deputies:statistics_export": Case(fixed("/deputies/statistics/export.xlsx"), ok=READERS),
    "deputies:statistics_report": Case(fixed("/deputies/statistics/report.docx"), ok=READERS),
    "deputies:deputy_report": Case(
        lambda w: f"/deputies/roster/{w.dep_deputy.pk}/report.docx?year=2026", ok=BUSINESS
    ),
    "deputies:my_report": Case(fixed("/deputies/me/report.docx?year=9999"), ok={"dai"}),
}
