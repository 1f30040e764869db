import datetime

import pytest

from apps.growth import services

D = datetime.date
T = datetime.time


@pytest.fixture
def make_session(personas):
    """make_session(date, kind="organ", **fields): a session arranged by the office (sun)."""

    def make(day: datetime.date | None = None, kind: str = "organ", **fields):
        user = fields.pop("user", personas.sun)
        spec = services.SessionSpec(
            kind=kind,
            title=fields.pop("title", "机关集中学习"),
            date=day or D(2026, 3, 2),
            start_time=fields.pop("start_time", T(15, 0)),
            end_time=fields.pop("end_time", T(17, 0)),
            place="第一会议室",
            topics=fields.pop(
                "topics",
                [
                    services.TopicSpec("重要讲话精神", is_first_topic=True),
                    services.TopicSpec("监督法"),
                ],
            ),
            **fields,
        )
        return services.session_create(user=user, spec=spec)

    return make
