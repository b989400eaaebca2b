"""Who acts on a case: roles, departments, and the actor carried by every input."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field, field_validator

from models.bounds import Line
from models.townships import normalise_township


class Role(StrEnum):
    office = "office"  # 领导小组办公室 leadership-group office
    county = "county"  # 县政府 county government
    township = "township"  # 林场、乡镇
    department = "department"  # 县直部门
    holder = "holder"  # 采矿权人 holder of the mining right
    expert = "expert"  # 省级专家库专家
    viewer = "viewer"
    leader = "leader"  # 挂点县领导 the county leader in charge of some mines (read-only: their mines)
    province = "province"  # 省级 the province (read-only: every county of the deployment, docs/province.md)
    system = "system"


ROLE_LABELS = {
    Role.office: ("领导小组办公室", "leadership-group office"),
    Role.county: ("县政府", "county government"),
    Role.township: ("林场、乡镇", "township or forest farm"),
    Role.department: ("县直部门", "county department"),
    Role.holder: ("采矿权人", "holder"),
    Role.expert: ("专家", "expert"),
    Role.viewer: ("查阅人", "viewer"),
    Role.leader: ("挂点县领导", "county leader in charge"),
    Role.province: ("省级", "province"),
    Role.system: ("系统", "system"),
}


class Department(StrEnum):
    natural_resources = "natural_resources"
    ecology_environment = "ecology_environment"
    water = "water"
    forestry = "forestry"
    agriculture = "agriculture"
    emergency = "emergency"
    industry_it = "industry_it"
    market_supervision = "market_supervision"
    public_security = "public_security"
    power_supply = "power_supply"
    government_office = "government_office"

    @property
    def label_zh(self) -> str:
        return DEPARTMENT_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return DEPARTMENT_LABELS[self][1]


DEPARTMENT_LABELS = {
    Department.natural_resources: ("县自然资源局", "natural resources bureau"),
    Department.ecology_environment: ("县生态环境局", "ecology and environment bureau"),
    Department.water: ("县水利局", "water resources bureau"),
    Department.forestry: ("县林业局", "forestry bureau"),
    Department.agriculture: ("县农业农村局", "agriculture and rural affairs bureau"),
    Department.emergency: ("县应急管理局", "emergency management bureau"),
    Department.industry_it: ("县工信局", "industry and IT bureau"),
    Department.market_supervision: ("县市场监管局", "market supervision bureau"),
    Department.public_security: ("县公安局", "public security bureau"),
    Department.power_supply: ("县供电公司", "power supply company"),
    Department.government_office: ("县政府办", "county government office"),
}


class Actor(BaseModel):
    """Who performs an input. The server checks it against the rule of the step."""

    role: Role
    name: Line = Field(max_length=100)
    department: Department | None = None
    township: Line | None = Field(default=None, max_length=50)

    @field_validator("township")
    @classmethod
    def _township_as_compared(cls, value: str | None) -> str | None:
        """A township as the case file keeps it (``models.townships.normalise_township``): finding 18."""
        return normalise_township(value) if value is not None else None

    def describe(self) -> str:
        label = ROLE_LABELS[self.role][0]
        if self.department:
            label = self.department.label_zh
        elif self.township:
            label = self.township
        return f"{label}·{self.name}"


SYSTEM = Actor(role=Role.system, name="minecase")
