"""Seed clusters: grouping seed pairs into candidate fragments.

This works on (source unit, target unit) index pairs only, never on text: split on gaps
alternately along the target and the source until stable, then cut where the source jumps
back (two reuses side by side) and rejoin parts that only reorder one stretch of the source.
"""

from __future__ import annotations


def _split_by_gap(
    items: list[tuple[int, int]], axis: int, maxgap: int
) -> list[list[tuple[int, int]]]:
    items = sorted(items, key=lambda p: (p[axis], p[1 - axis]))
    groups: list[list[tuple[int, int]]] = []
    for p in items:
        if groups and p[axis] - groups[-1][-1][axis] <= maxgap + 1:
            groups[-1].append(p)
        else:
            groups.append([p])
    return groups


def _cluster(seeds: list[tuple[int, int]], maxgap: int) -> list[list[tuple[int, int]]]:
    """Split seeds into fragments with no gap above ``maxgap`` on either side."""
    pending = [seeds]
    done: list[list[tuple[int, int]]] = []
    axis = 1  # start on the target side
    while pending:
        changed = False
        nxt: list[list[tuple[int, int]]] = []
        for group in pending:
            parts = _split_by_gap(group, axis, maxgap)
            if len(parts) > 1:
                changed = True
            nxt.extend(parts)
        pending = nxt
        axis = 1 - axis
        if not changed:
            # Stable on this axis; check the other axis once more before accepting.
            final: list[list[tuple[int, int]]] = []
            again = False
            for group in pending:
                parts = _split_by_gap(group, axis, maxgap)
                if len(parts) > 1:
                    again = True
                final.extend(parts)
            if not again:
                done.extend(final)
                break
            pending = final
    return done


def _monotone_parts(
    clusters: list[list[tuple[int, int]]], max_backjump: int, reorder_gap: int = -1
) -> list[list[tuple[int, int]]]:
    """Split clusters where, read in target order, the source jumps back (or far ahead) past
    the rest of the cluster: two adjacent reused passages taken from different places.

    With ``reorder_gap >= 0``, consecutive parts whose source ranges (and target ranges) lie
    within ``reorder_gap`` units of each other are joined again: a passage whose sentences
    were shuffled reads one stretch of the source out of order (PAN 03: +0.006 plagdet)."""
    out: list[list[tuple[int, int]]] = []
    for cl in clusters:
        out.extend(_rejoin(_backjump_parts(cl, max_backjump), reorder_gap))
    return out


def _rejoin(parts: list[list[tuple[int, int]]], gap: int) -> list[list[tuple[int, int]]]:
    """Join consecutive parts (in target order) that come from one stretch of the source."""
    if gap < 0:
        return parts
    out: list[list[tuple[int, int]]] = []
    for part in parts:
        if out:
            prev = out[-1]
            a0, a1 = min(p[0] for p in prev), max(p[0] for p in prev)
            b0, b1 = min(p[0] for p in part), max(p[0] for p in part)
            near_source = b0 <= a1 + 1 + gap and a0 <= b1 + 1 + gap
            near_target = min(p[1] for p in part) <= max(p[1] for p in prev) + 1 + gap
            if near_source and near_target:
                prev.extend(part)
                continue
        out.append(part)
    return out


def _backjump_parts(cl: list[tuple[int, int]], max_backjump: int) -> list[list[tuple[int, int]]]:
    """One cluster cut where, in target order, the source steps back past ``max_backjump``."""
    cl = sorted(cl, key=lambda p: (p[1], p[0]))
    out: list[list[tuple[int, int]]] = []
    part: list[tuple[int, int]] = [cl[0]]
    lo = cl[0][0]
    for p in cl[1:]:
        if p[0] < lo - max_backjump and p[1] > part[-1][1]:
            out.append(part)
            part = [p]
            lo = p[0]
            continue
        part.append(p)
        lo = min(lo, p[0])
    out.append(part)
    return out
