from django.db import models


class RegionKind(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "地级市"
    DISTRICT = "district", "市辖区"
    COUNTY = "county", "县"
    BANNER = "banner", "旗"
    FUNCTIONAL_ZONE = "zone", "功能区"


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", "政法委"
    OFFICE = "office", "专项办"
    COURT = "court", "法院"
    DIVISION = "division", "庭室"
    PROCURATORATE = "procuratorate", "检察院"
    POLICE = "police", "公安"
    JUSTICE = "justice", "司法行政"
    DEPARTMENT = "department", "政府部门"
    MEDIATION = "mediation", "调解组织"


class Role(models.TextChoices):
    RECEPTIONIST = "receptionist", "接待员"
    JUDGE = "judge", "法官"
    CLERK = "clerk", "书记员"
    DIVISION_HEAD = "division_head", "庭长"
    COURT_LEADER = "court_leader", "院领导"
    OFFICE_OFFICER = "office_officer", "专项办干部"
    CASE_HANDLER = "case_handler", "承办人"
    LEAD_OFFICIAL = "lead_official", "包案领导"
    DEPARTMENT_LIAISON = "department_liaison", "部门联络员"
    MEDIATOR = "mediator", "调解员"
    ADMINISTRATOR = "administrator", "系统管理员"
    INTEGRATION = "integration", "系统接口"


class LineKind(models.TextChoices):
    FIXED = "fixed", "固定电话"
    WORK_PHONE = "work_phone", "法官工作手机"
    DEPUTIES = "deputies", "代表委员专线"
