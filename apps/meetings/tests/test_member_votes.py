"""表决 recorded member by member: one row per member, only members present cast a vote, the counts
computed from the rows and passing against all members; counts-only stays the default."""

import pytest
from django.core.exceptions import ValidationError

from apps.meetings import services
from apps.meetings.choices import AttendanceStatus, ItemType, MemberChoice, VoteMode
from apps.meetings.models import MemberVote, SessionEvent, Vote
from apps.organization.models import Unit

from .factories import make_members, make_session, open_session

pytestmark = pytest.mark.django_db

YES, NO, ABSTAIN, NOT_VOTED, ABSENT = (
    MemberChoice.YES,
    MemberChoice.NO,
    MemberChoice.ABSTAIN,
    MemberChoice.NOT_VOTED,
    MemberChoice.ABSENT,
)


@pytest.fixture
def running(personas, members):
    """An open session of 11 members: 7 present, 2 on leave, 2 not signed in."""
    session = open_session(personas, make_session(personas))
    for member in members[:7]:
        services.attendance_record(
            actor=personas.sun, session=session, member=member, status=AttendanceStatus.PRESENT
        )
    for member in members[7:9]:
        services.attendance_record(
            actor=personas.sun,
            session=session,
            member=member,
            status=AttendanceStatus.LEAVE,
            reason="出差",
        )
    return session


def _choices(vote):
    return dict(vote.member_votes.values_list("member__name", "choice"))


def test_counts_only_is_the_default(personas, members, running):
    item = running.items.first()
    vote = services.vote_record(actor=personas.sun, item=item, yes=6, no=1, abstain=0, not_voted=0)
    assert vote.mode == VoteMode.COUNTS == Vote._meta.get_field("mode").default
    assert not MemberVote.objects.exists()


def test_a_per_member_vote_has_one_row_per_member_and_computes_its_counts(
    personas, members, running
):
    item = running.items.first()
    given = {members[0]: YES, members[1]: YES, members[2]: YES, members[3]: YES}
    given |= {members[4]: NO, members[5]: ABSTAIN, members[7]: NOT_VOTED}  # 7 is on leave
    vote = services.vote_record_roll(actor=personas.sun, item=item, choices=given)
    assert vote.mode == VoteMode.ROLL
    assert MemberVote.objects.filter(vote=vote).count() == 11  # every member of the day
    rows = _choices(vote)
    assert rows["委员07"] == NOT_VOTED  # present, not given
    assert [rows[f"委员{n:02d}"] for n in (8, 9, 10, 11)] == [ABSENT] * 4
    assert (vote.yes, vote.no, vote.abstain, vote.not_voted, vote.present) == (4, 1, 1, 1, 7)
    # Four of seven present is a majority of those present, not of all eleven members.
    assert (vote.members_total, vote.passed) == (11, False)
    assert "逐人记录" in SessionEvent.objects.filter(kind="voted").get().note

    vote = services.member_votes_record(
        actor=personas.qian, vote=vote, choices={members[6]: YES, members[5]: YES}
    )
    assert (vote.yes, vote.no, vote.abstain, vote.not_voted, vote.present) == (6, 1, 0, 0, 7)
    assert vote.passed
    assert MemberVote.objects.filter(vote=vote).count() == 11
    assert MemberVote.objects.get(vote=vote, member=members[6]).recorded_by == personas.qian


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({7: YES}, "委员08未签到出席，不能登记为赞成"),
        ({9: ABSTAIN}, "委员10未签到出席，不能登记为弃权"),
        ({0: ABSENT}, "委员01已签到出席，不能登记为缺席"),
        ({0: "maybe"}, "委员01的表决情况无法识别"),
    ],
)
def test_bad_member_votes_are_refused_and_nothing_changes(
    personas, members, running, given, message
):
    item = running.items.first()
    choices = {members[n]: choice for n, choice in given.items()}
    with pytest.raises(ValidationError, match=message):
        services.vote_record_roll(actor=personas.sun, item=item, choices=choices)
    assert not Vote.objects.exists() and not MemberVote.objects.exists()

    vote = services.vote_record_roll(actor=personas.sun, item=item, choices={members[0]: YES})
    before = list(MemberVote.objects.order_by("id").values_list("member_id", "choice"))
    with pytest.raises(ValidationError, match=message):
        services.member_votes_record(actor=personas.sun, vote=vote, choices=choices)
    assert list(MemberVote.objects.order_by("id").values_list("member_id", "choice")) == before
    vote.refresh_from_db()
    assert (vote.yes, vote.not_voted) == (1, 6)


def test_a_member_out_of_term_cannot_vote(personas, members, running):
    outsider = make_members(1, start=running.date.replace(year=running.date.year + 1))[0]
    with pytest.raises(ValidationError, match="不是常委会组成人员"):
        services.vote_record_roll(
            actor=personas.sun, item=running.items.first(), choices={outsider: YES}
        )
    assert not Vote.objects.exists()


def test_a_per_member_vote_needs_a_quorum(personas, members):
    session = open_session(personas, make_session(personas))
    for member in members[:5]:  # 5 of 11
        services.attendance_record(
            actor=personas.sun, session=session, member=member, status=AttendanceStatus.PRESENT
        )
    with pytest.raises(ValidationError, match="不能表决"):
        services.vote_record_roll(
            actor=personas.sun, item=session.items.first(), choices={members[0]: YES}
        )
    assert not Vote.objects.exists()


def test_counts_only_votes_have_no_member_rows_to_correct(personas, members, running):
    vote = services.vote_record(
        actor=personas.sun, item=running.items.first(), yes=7, no=0, abstain=0, not_voted=0
    )
    with pytest.raises(ValidationError, match="只记票数"):
        services.member_votes_record(actor=personas.sun, vote=vote, choices={members[0]: NO})


def test_appointments_are_voted_person_by_person_in_both_modes(personas, members):
    session = make_session(personas, items=0)
    item = services.item_add(
        actor=personas.sun,
        session=session,
        spec=services.ItemSpec(
            title="人事任免案",
            item_type=ItemType.APPOINTMENT,
            committee=Unit.objects.get(name="办公室"),
            planned_minutes=10,
        ),
    )
    open_session(personas, session)
    for member in members[:7]:
        services.attendance_record(
            actor=personas.sun, session=session, member=member, status=AttendanceStatus.PRESENT
        )
    with pytest.raises(ValidationError, match="逐人表决"):
        services.vote_record_roll(actor=personas.sun, item=item, choices={members[0]: YES})
    services.vote_record(
        actor=personas.sun, item=item, subject="张某某", yes=7, no=0, abstain=0, not_voted=0
    )
    services.vote_record_roll(
        actor=personas.sun,
        item=item,
        subject="李某某",
        choices={m: YES for m in members[:6]},
    )
    with pytest.raises(ValidationError, match="已有表决结果"):
        services.vote_record_roll(
            actor=personas.sun, item=item, subject="张某某", choices={members[0]: YES}
        )
    assert list(item.votes.values_list("subject", "mode", "yes", "passed")) == [
        ("张某某", VoteMode.COUNTS, 7, True),
        ("李某某", VoteMode.ROLL, 6, True),
    ]


def test_the_item_page_and_the_form_record_a_per_member_vote(client, personas, members, running):
    item = running.items.first()
    client.force_login(personas.sun)
    page = client.get(f"/meetings/items/{item.pk}/").content.decode()
    assert 'data-testid="roll-vote-form"' in page and "只记票数，默认" in page
    form = {"mode": "roll", f"m{members[0].pk}": "yes", f"m{members[1].pk}": "no"}
    client.post(f"/meetings/items/{item.pk}/vote/", form)
    vote = Vote.objects.get()
    assert (vote.mode, vote.yes, vote.no, vote.not_voted) == (VoteMode.ROLL, 1, 1, 5)
    bad = {f"m{members[8].pk}": "yes", f"m{members[2].pk}": "yes"}
    response = client.post(f"/meetings/votes/{vote.pk}/members/", bad, follow=True)
    assert "委员09未签到出席" in response.content.decode()
    vote.refresh_from_db()
    assert vote.yes == 1
    client.post(f"/meetings/votes/{vote.pk}/members/", {f"m{members[2].pk}": "yes"})
    vote.refresh_from_db()
    assert vote.yes == 2
    page = client.get(f"/meetings/items/{item.pk}/").content.decode()
    assert 'data-testid="member-votes"' in page and "逐人记录" in page
    # A member reads the per-member table too.
    members[0].user = personas.dai
    members[0].save()
    client.force_login(personas.dai)
    page = client.get(f"/meetings/items/{item.pk}/").content.decode()
    assert 'data-testid="member-votes"' in page and "委员02" in page


def test_the_minutes_list_each_members_vote(personas, members, running):
    import io
    import zipfile

    from apps.meetings.documents import minutes_document

    item = running.items.first()
    services.vote_record_roll(
        actor=personas.sun, item=item, choices={members[0]: YES, members[1]: NO}
    )
    services.vote_record(
        actor=personas.sun, item=running.items.last(), yes=7, no=0, abstain=0, not_voted=0
    )
    services.session_close(actor=personas.sun, session=running, minutes="会议审议了两项报告。")
    running.refresh_from_db()
    xml = zipfile.ZipFile(io.BytesIO(minutes_document(running))).read("word/document.xml")
    text = xml.decode()
    assert "表决结果" in text and "委员01" in text and "委员02" in text and "缺席" in text
    assert "赞成7票" in text
