"""The names of the units a case names: a township acts in the name of its own body.

The ledger names a mine's township as the place (``泗溪镇``, ``敖阳街道``, ``上高县林场``); a document
names the body that acts there. A town or township acts as its people's government (乡镇人民政府), a
sub-district as its office (街道办事处, the county's agency), and a forest farm in its own name
(林场). Legal audit E8: ``f"{township}人民政府（林场）"`` gave "上高县林场人民政府（林场）" and
"敖阳街道人民政府（林场）".
"""

from __future__ import annotations

_ALREADY_A_BODY = ("人民政府", "办事处", "林场")


def unit_name(township: str) -> str:
    """The body a township acts as: ``泗溪镇`` → ``泗溪镇人民政府``, ``敖阳街道`` → ``敖阳街道办事处``,
    ``上高县林场`` → ``上高县林场``. A name already naming a body, or of no known kind, is given back as it is."""
    name = township.strip()
    if name.endswith(_ALREADY_A_BODY):
        return name
    if name.endswith("街道"):
        return f"{name}办事处"
    if name.endswith(("镇", "乡")):
        return f"{name}人民政府"
    return name
