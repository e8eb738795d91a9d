"""Amounts of money as the calculator shows them: "13,800.00" (text only, no markup)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from youjie.fees.calculator import money as format_money

register = template.Library()


@register.filter
def money(value: Decimal | None) -> str:
    return "" if value is None else format_money(value)
