"""Disjoint sets over ids in a plain dict (node -> parent): which groups confirmed links join."""


def root(parent: dict[int, int], node: int) -> int:
    """The set's name: its lowest id, as groups are named."""
    parent.setdefault(node, node)
    while parent[node] != node:
        parent[node] = parent[parent[node]]
        node = parent[node]
    return node


def union(parent: dict[int, int], a: int, b: int) -> None:
    ra, rb = root(parent, a), root(parent, b)
    parent[max(ra, rb)] = min(ra, rb)
