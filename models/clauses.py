"""The clauses of the plan (上府办发〔2023〕35号, seed 004) that the rules apply.

A clause is written ``<section>.<item>``: ``四.1`` is item 1 of section 四 (工作任务), ``七.2`` is
item （二） of section 七. A test reads 004 and checks every member names a real item, so a typo
like ``四.l`` cannot slip into a case file.
"""

from __future__ import annotations

from enum import StrEnum


class Clause(StrEnum):
    scope = "三"  # 三、整治范围: the mines in the campaign
    disposition = "四.1"  # 四.1 分类处置: cancel or continue; 6 + 3 months; deemed abandonment
    fixed_dates = "四.2"  # 四.2 注重实效: restoration plan and works by fixed dates; township takeover
    cancellation = "四.3"  # 四.3 注销程序: closure decision, 30 days to apply, notice, cancellation
    acceptance = "五.1"  # 五.1 验收机制: township, departments, experts; resuming production
    litigation = "五.2"  # 五.2 生态公益诉讼: referral led by the township
    collective = "五.3"  # 五.3 集体研究: one matter, one decision
    division_of_work = "六"  # 六、工作分工: supply controls, post-care
    experts = "七.2"  # 七（二）: experts from the provincial pool
    calendar = "—"  # not an act under the plan: the statutory calendar recomputed a date

    @property
    def section(self) -> str:
        return self.value.split(".")[0]

    @property
    def item(self) -> int | None:
        _, _, item = self.value.partition(".")
        return int(item) if item else None
