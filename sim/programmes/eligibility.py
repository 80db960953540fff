"""Eligibility: a rule over person state, written as data and checked.

A rule is a small boolean expression over the names in :data:`NAMES`, with comparisons,
``and``, ``or``, ``not``, numbers and quoted category names; ``all`` admits everyone::

    all
    smi
    n_conditions >= 2 and not smi
    lonely or housing == "insecure"

Nothing else is allowed (no calls, no attributes), so a scenario file cannot run code.
:func:`check_rule` rejects a bad rule when the parameters are validated;
:func:`evaluate` checks that the result is one boolean per target person.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable

import numpy as np

from netmob.sim.vocabulary import DIAGNOSES, EDUCATION, HOUSING, NETWORK_TYPES

NAMES = (
    "age",
    "male",
    "smi",
    "diagnosis",
    "n_conditions",
    "lives_alone",
    "has_partner",
    "housing",
    "education",
    "disability",
    "deprivation",
    "pet",
    "burden",
    "swemwbs",
    "ucla",
    "eq5d",
    "lonely",
    "network_size",
    "network_type",
    "attending",
)
CATEGORIES = {
    "housing": HOUSING,
    "education": EDUCATION,
    "diagnosis": DIAGNOSES,
    "network_type": NETWORK_TYPES,
}
_COMPARE: dict[type, Callable] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}

_ALLOWED = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.Compare,
    ast.Name,
    ast.Load,
    ast.Constant,
    *_COMPARE,
)


def check_rule(text: str) -> ast.Expression:
    """Parse and check a rule; raises ``ValueError`` with what is wrong and what is allowed."""
    if text.strip() == "all":
        return ast.parse("True", mode="eval")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as err:
        raise ValueError(
            f"not a valid rule ({err.msg}); e.g. 'n_conditions >= 2 and not smi'"
        ) from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in NAMES:
            raise ValueError(f"unknown name '{node.id}' in rule; names: {', '.join(NAMES)}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            continue
        if not isinstance(node, _ALLOWED):
            raise ValueError(
                f"'{ast.unparse(node)}' is not allowed in a rule; "
                "use names, numbers, comparisons, and, or, not"
            )
    return tree


def rule_names(text: str) -> list[str]:
    """The person-state names a rule uses."""
    tree = check_rule(text)
    return sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name)})


def evaluate(text: str, columns: dict[str, np.ndarray], n: int) -> np.ndarray:
    """The rule applied to per-person ``columns``: one boolean per target person."""
    tree = check_rule(text)
    out = np.broadcast_to(np.asarray(_eval(tree.body, columns), dtype=bool), (n,)).copy()
    if out.shape != (n,):
        raise ValueError(f"eligibility rule gave shape {out.shape}, expected ({n},)")
    return out


def _eval(node: ast.AST, cols: dict[str, np.ndarray]):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return cols[node.id]
    if isinstance(node, ast.UnaryOp):
        return ~np.asarray(_eval(node.operand, cols), dtype=bool)
    if isinstance(node, ast.BoolOp):
        vals = [np.asarray(_eval(v, cols), dtype=bool) for v in node.values]
        f = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
        out = vals[0]
        for v in vals[1:]:
            out = f(out, v)
        return out
    if isinstance(node, ast.Compare):
        left = _eval(node.left, cols)
        holds: np.ndarray | bool = True
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = _eval(right_node, cols)
            left_v, right_v = _categorical(node.left, left, right_node, right)
            holds = np.logical_and(holds, _COMPARE[type(op)](left_v, right_v))
            left = right
        return holds
    raise ValueError(f"not allowed: {ast.unparse(node)}")


def _categorical(lnode, left, rnode, right):
    """Compare a category column with its name, e.g. ``housing == "insecure"``."""
    for node, value, other in ((lnode, left, right), (rnode, right, left)):
        if isinstance(node, ast.Name) and node.id in CATEGORIES and isinstance(other, str):
            names = CATEGORIES[node.id]
            if other not in names:
                raise ValueError(f"'{other}' is not a {node.id}; allowed: {', '.join(names)}")
            code = names.index(other)
            return (value, code) if node is lnode else (code, value)
    return left, right
