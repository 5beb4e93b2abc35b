"""No float in money code: every module of the payments app, read as Python's syntax tree.

A float literal, a call of float(), a true division `/` or the `round()` of a float would let an
amount lose or gain a fraction of a đồng. The one place a float may appear is reading a numeric
XLSX cell (openpyxl gives it), and there it is checked to be integral before int() takes it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import motcua.payments

ROOT = Path(motcua.payments.__file__).parent
# (module, line text) where a float is allowed, with the reason in the module itself.
ALLOWED = {("statements.py", "isinstance(value, float)")}


def _offences(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        bad = None
        if isinstance(node, ast.Constant) and isinstance(node.value, float):
            bad = "float literal"
        elif isinstance(node, ast.Name) and node.id == "float":
            bad = "float"
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            bad = "true division"
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Decimal":
            bad = "Decimal (amounts are int)"
        if bad:
            text = lines[node.lineno - 1].strip()
            if not any(path.name == name and part in text for name, part in ALLOWED):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {bad}: {text}")
    return found


def test_no_float_in_the_payments_app():
    modules = [p for p in ROOT.rglob("*.py") if "migrations" not in p.parts]
    assert len(modules) > 10
    offences = [o for p in modules for o in _offences(p)]
    assert offences == []


def test_the_check_would_see_a_float(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("amount = total / 2\nfee = float(x)\nrate = 0.5\n", encoding="utf-8")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert len(_offences(sample)) == 3
    finally:
        ROOT = saved


def test_the_amount_columns_are_integers():
    from django.db import models

    from motcua.payments.models import Invoice, StatementEntry

    for model, name in [
        (Invoice, "amount"),
        (Invoice, "paid_amount"),
        (StatementEntry, "amount"),
    ]:
        assert isinstance(model._meta.get_field(name), models.PositiveBigIntegerField)
