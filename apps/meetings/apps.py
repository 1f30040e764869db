from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "apps.meetings"
    label = "meetings"
    verbose_name = "常委会会议"

    def ready(self) -> None:
        from apps.audit.registry import track

        from .models import (
            AgendaItem,
            Attendance,
            CommitteeMember,
            DirectorsMeeting,
            Material,
            Observer,
            Opinion,
            Session,
            Speech,
            Vote,
        )

        # Ratings are written in bulk and counted per opinion; events are the timeline itself.
        for model in (
            CommitteeMember,
            DirectorsMeeting,
            Session,
            AgendaItem,
            Material,
            Attendance,
            Observer,
            Speech,
            Vote,
            Opinion,
        ):
            track(model)
