"""Template helpers of the portal: money in VND, time limits, online-level badges, the site name."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template.base import FilterExpression
from django.template.defaulttags import CsrfTokenNode
from django.template.loader_tags import BlockNode
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from motcua.catalog.constants import TimeUnit

register = template.Library()


@register.simple_tag
def site_name() -> str:
    return settings.MOTCUA_SYSTEM_NAME


@register.filter
def vnd(amount: int | None) -> str:
    """1250000 → "1.250.000 đ" (Vietnamese thousands separator)."""
    if amount is None:
        return ""
    return f"{int(amount):,} đ".replace(",", ".")


@register.filter
def time_limit(procedure: object) -> str:
    unit = getattr(procedure, "time_unit", "")
    amount = getattr(procedure, "processing_time", 0)
    if unit == TimeUnit.SAME_DAY:
        return _("Trong ngày")
    if not amount:
        return _("Không quy định")
    return f"{amount} {TimeUnit(unit).label}"


LEVEL_SHORT = {
    1: gettext_lazy("Cung cấp thông tin"),
    2: gettext_lazy("Cung cấp thông tin"),
    3: gettext_lazy("Một phần"),
    4: gettext_lazy("Toàn trình"),
}


@register.inclusion_tag("portal/_level_badge.html")
def level_badge(level: int) -> dict[str, object]:
    return {"level": level, "label": str(LEVEL_SHORT.get(level, LEVEL_SHORT[1]))}


# Fragments rendered once per process: parts of the layout that depend only on the code, the
# translations, the settings, the active language and the values named in the tag. They change
# with a deployment (new processes) or a settings change (tests), never between requests.
_MEMO: dict[tuple[object, ...], SafeString] = {}
MEMO_MAX_ENTRIES = 1000


class MemoNode(template.Node):
    # Nothing inside is a block to override: {% extends %} need not walk it on every render.
    child_nodelists = ()

    def __init__(self, nodelist: template.NodeList, name: str, vary_on: list[FilterExpression]):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context: template.Context) -> SafeString:
        if settings.DEBUG:  # templates edited while the development server runs
            return self.nodelist.render(context)
        key = (self.name, get_language(), *(v.resolve(context) for v in self.vary_on))
        html = _MEMO.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(_MEMO) >= MEMO_MAX_ENTRIES:
                _MEMO.clear()
            _MEMO[key] = html
        return html


@register.tag
def memo(parser: template.base.Parser, token: template.base.Token) -> MemoNode:
    """{% memo "name" var1 var2 %}…{% endmemo %}: render once per process, language and values.

    Only for markup that is the same for everyone sharing those values: no {% csrf_token %}, no
    {% block %}, nothing from the request or the user unless it is one of the values."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% memo %} needs a fragment name")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode) or nodelist.get_nodes_by_type(CsrfTokenNode):
        raise template.TemplateSyntaxError("{% memo %} cannot hold a {% block %} or a CSRF token")
    name = bits[1].strip("\"'")
    return MemoNode(nodelist, name, [parser.compile_filter(b) for b in bits[2:]])


def _forget_fragments(**_: object) -> None:
    _MEMO.clear()


setting_changed.connect(_forget_fragments, dispatch_uid="portal-memo-fragments")
