"""Nested tuples/lists/dicts of values ("pytrees") flattened to a list of leaves and rebuilt.

The transforms take and return such structures (``grad`` of a function of a dict of parameters
returns a dict of gradients), so they work on the flat list of leaves in between.

>>> leaves, spec = tree_flatten({"w": 1, "b": (2, 3)})
>>> leaves
[1, 2, 3]
>>> tree_unflatten([10, 20, 30], spec)
{'w': 10, 'b': (20, 30)}
"""

from __future__ import annotations

LEAF = None  # the spec of a leaf


def tree_flatten(tree):
    """(leaves, spec): the leaves in order, and what ``tree_unflatten`` needs to rebuild ``tree``."""
    if isinstance(tree, (tuple, list)):
        children = [tree_flatten(x) for x in tree]
        return [leaf for leaves, _ in children for leaf in leaves], (type(tree), None, [s for _, s in children])
    if isinstance(tree, dict):
        children = [tree_flatten(v) for v in tree.values()]
        return [leaf for leaves, _ in children for leaf in leaves], (dict, list(tree), [s for _, s in children])
    return [tree], LEAF


def _count(spec):
    return 1 if spec is LEAF else sum(_count(s) for s in spec[2])


def tree_unflatten(leaves, spec):
    """The structure ``spec`` describes, filled with ``leaves`` in order."""
    leaves = list(leaves)
    if spec is LEAF:
        return leaves[0]
    kind, keys, children = spec
    parts, start = [], 0
    for child in children:
        n = _count(child)
        parts.append(tree_unflatten(leaves[start:start + n], child))
        start += n
    return dict(zip(keys, parts)) if kind is dict else kind(parts)


def tree_map(fn, tree):
    leaves, spec = tree_flatten(tree)
    return tree_unflatten([fn(x) for x in leaves], spec)


def broadcast_prefix(prefix, tree, error):
    """Repeat each leaf of ``prefix`` over the matching subtree of ``tree`` (``in_dims=0`` for a
    tuple of inputs means 0 for each); ``error()`` is raised where the structures disagree."""
    if prefix is None or isinstance(prefix, int):
        return [prefix] * len(tree_flatten(tree)[0])
    if isinstance(prefix, (tuple, list)) and isinstance(tree, (tuple, list)) and len(prefix) == len(tree):
        return [d for p, t in zip(prefix, tree) for d in broadcast_prefix(p, t, error)]
    if isinstance(prefix, dict) and isinstance(tree, dict) and set(prefix) == set(tree):
        return [d for k in tree for d in broadcast_prefix(prefix[k], tree[k], error)]
    raise error()
