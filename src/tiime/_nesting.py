"""How deep parsed JSON or YAML nests, measured without recursion.

Input read from a user's file or command line (``--lines``, ``--from-file``, the stored
logins) is checked with :func:`nested_deeper_than` before anything walks it recursively
(an encoder, ``repr``): ten thousand nested lists would otherwise end in ``RecursionError``.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time: the CLI's start-up speed
if TYPE_CHECKING:
    from typing import Any

__all__ = ["nested_deeper_than"]


def nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether ``value`` holds lists or dicts nested more than ``limit`` levels deep.

    ``[]`` and ``{}`` are one level, ``[[]]`` two; scalars none. Shared and cyclic
    references (YAML anchors, ``&a [*a]``) are handled: a cycle is deeper than any limit.
    Each list or dict is looked into at most ``limit`` times, so the cost is bounded by
    ``limit`` times the number of references, not by the paths through them.
    """
    seen: dict[int, int] = {}  # id of a list or dict -> the deepest level it was looked at
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if level > limit:
            return True
        if seen.get(id(node), 0) >= level:
            continue
        seen[id(node)] = level
        stack.extend((child, level + 1) for child in children)
    return False
