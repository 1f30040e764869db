import pytest

from apps.notices import services

from .factories import make_notice


@pytest.fixture
def notice(personas):
    """make_notice(**spec changes): a notice drafted by sun (office) and published by him, to the
    whole organ unless `units` is given; `publish=False` keeps it a draft."""

    def make(publish: bool = True, actor=None, **changes):
        draft = make_notice(personas, actor=actor, **changes)
        if publish:
            services.notice_publish(actor=actor or personas.sun, notice=draft)
            draft.refresh_from_db()
        return draft

    return make
