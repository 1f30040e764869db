from django.db import models


class UnitKind(models.TextChoices):
    LEADERSHIP = "leadership", "常委会领导"
    OFFICE = "office", "办公室"
    COMMITTEE = "committee", "工作委员会"
    # External bodies the organ works with (一府一委两院 and the government's departments): they
    # report to the Standing Committee, answer deliberation opinions and handle deputies' suggestions.
    GOVERNMENT = "government", "人民政府"
    DEPARTMENT = "department", "政府部门"
    SUPERVISION = "supervision", "监察委员会"
    COURT = "court", "人民法院"
    PROCURATORATE = "procuratorate", "人民检察院"


ORGAN_UNIT_KINDS = frozenset({UnitKind.LEADERSHIP, UnitKind.OFFICE, UnitKind.COMMITTEE})
EXTERNAL_UNIT_KINDS = frozenset(set(UnitKind) - ORGAN_UNIT_KINDS)


class Rank(models.TextChoices):
    """Cadre ranks, highest first; the order is used for sorting."""

    BUREAU_CHIEF = "bureau_chief", "正厅级"
    BUREAU_DEPUTY = "bureau_deputy", "副厅级"
    DIVISION_CHIEF = "division_chief", "正处级"
    DIVISION_DEPUTY = "division_deputy", "副处级"
    SECTION_CHIEF = "section_chief", "正科级"
    SECTION_DEPUTY = "section_deputy", "副科级"
    CLERK = "clerk", "科员"
    PROBATION = "probation", "试用期人员"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class PoliticalStatus(models.TextChoices):
    CPC_MEMBER = "cpc", "中共党员"
    CPC_PROBATIONARY = "cpc_probationary", "中共预备党员"
    LEAGUE_MEMBER = "league", "共青团员"
    DEMOCRATIC_PARTY = "democratic", "民主党派"
    MASSES = "masses", "群众"


class LeadershipTitle(models.TextChoices):
    DIRECTOR = "director", "主任"
    DEPUTY_DIRECTOR = "deputy_director", "副主任"
    SECRETARY_GENERAL = "secretary_general", "秘书长"


class PartyGroupRole(models.TextChoices):
    SECRETARY = "secretary", "党组书记"
    DEPUTY_SECRETARY = "deputy_secretary", "党组副书记"
    MEMBER = "member", "党组成员"


class TaskGroupRole(models.TextChoices):
    LEADER = "leader", "组长"
    DEPUTY = "deputy", "副组长"
    MEMBER = "member", "成员"
