#!/usr/bin/env python3
"""Checks kiln-run --profile and --trace output.

    check_profile.py table PROFILE.txt   the kind table's shares, summed
    check_profile.py trace TRACE.json    the trace's events, counted by kind
"""

import json
import sys


def table(path):
    rows, inside = [], False
    for line in open(path):
        fields = line.split()
        if fields[:2] == ["kind", "sites"]:
            inside = True
            continue
        if inside and (not fields or fields[0] == "top"):
            break
        if inside:
            rows.append(fields)
    # kind sites calls total_ms share% ...
    total = sum(float(row[4]) for row in rows)
    print("kinds: %d, shares sum to %s" % (
        len(rows), "100" if abs(total - 100) < 0.1 else "%.2f" % total))


def trace(path):
    events = json.load(open(path))["traceEvents"]
    kinds = {}
    for event in events:
        assert event["ph"] == "X" and event["dur"] >= 0 and event["ts"] >= 0
        assert {"bytes", "flops", "entry", "site"} <= set(event["args"])
        kinds[event["cat"]] = kinds.get(event["cat"], 0) + 1
    print("events: %d" % len(events))
    for kind in sorted(kinds):
        print("%s: %d" % (kind, kinds[kind]))


if __name__ == "__main__":
    {"table": table, "trace": trace}[sys.argv[1]](sys.argv[2])
