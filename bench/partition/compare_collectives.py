#!/usr/bin/env python3
"""Runs one partitioned model with each collective algorithm (the MPI
library's, Kiln's ring, Kiln's parameter server), alternating, and prints
the step time and the time per collective call side by side.

    compare_collectives.py DIR --ranks N --input name=file.npy ...
        [--rounds 5] [--runs 20] [--threads 1] [--mpirun "mpirun ... -np"]
        [--kiln-run build/bin/kiln-run]

Each round runs every algorithm once (kiln-run --bench RUNS --profile);
the table gives the median over rounds of the step's median, and of each
collective's mean time per call on the rank where it was shortest: the
rank that arrives last at a collective waits least for its peers, so its
time is closest to the algorithm's own.
"""

import argparse
import re
import shlex
import statistics
import subprocess
import sys

ALGORITHMS = ["library", "ring", "ps"]


def profile(args, algorithm):
    command = (shlex.split(args.mpirun) + [str(args.ranks), args.kiln_run,
               args.model, "--collectives=" + algorithm, "--profile",
               "--bench", str(args.runs), "--threads", str(args.threads)] +
               ["--input=" + i for i in args.input])
    text = subprocess.run(command, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=True).stdout
    median = None
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.split()[:2] == ["runs", "median_ms"]:
            median = float(lines[i + 1].split()[1])
    # collective axis algorithm group calls payload sent received time_ms
    per_call = {}
    bytes_per_call = {}
    for line in lines:
        fields = line.split()
        if len(fields) == 9 and fields[2] == algorithm and fields[4].isdigit():
            key = (fields[0], fields[1])
            calls = int(fields[4])
            if calls == 0:
                continue
            ms = float(fields[8]) / calls
            per_call[key] = min(per_call.get(key, ms), ms)
            bytes_per_call[key] = int(fields[5]) // calls
    return median, per_call, bytes_per_call


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--ranks", type=int, required=True)
    parser.add_argument("--input", action="append", default=[])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per rank (one core each, as a device)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--mpirun",
                        default="mpirun --allow-run-as-root --oversubscribe -np")
    parser.add_argument("--kiln-run", default="kiln-run")
    args = parser.parse_args()

    steps = {a: [] for a in ALGORITHMS}
    calls = {a: {} for a in ALGORITHMS}
    sizes = {}
    for _ in range(args.rounds):
        for algorithm in ALGORITHMS:
            median, per_call, bytes_per_call = profile(args, algorithm)
            steps[algorithm].append(median)
            for key, ms in per_call.items():
                calls[algorithm].setdefault(key, []).append(ms)
            sizes.update(bytes_per_call)

    print("%s on %d ranks, %d rounds of %d runs, medians" %
          (args.model, args.ranks, args.rounds, args.runs))
    header = "%-12s %-6s %12s" % ("collective", "axis", "bytes/call")
    for algorithm in ALGORITHMS:
        header += " %12s" % (algorithm + " ms")
    header += " %10s %10s" % ("ring/lib", "ps/lib")
    print(header)
    lib = statistics.median(steps["library"])
    row = "%-12s %-6s %12s" % ("step", "-", "-")
    for algorithm in ALGORITHMS:
        row += " %12.3f" % statistics.median(steps[algorithm])
    row += " %10.2f %10.2f" % (statistics.median(steps["ring"]) / lib,
                               statistics.median(steps["ps"]) / lib)
    print(row)
    for key in sorted(sizes):
        times = {a: statistics.median(calls[a][key]) if key in calls[a]
                 else float("nan") for a in ALGORITHMS}
        row = "%-12s %-6s %12d" % (key[0], key[1], sizes[key])
        for algorithm in ALGORITHMS:
            row += " %12.4f" % times[algorithm]
        row += " %10.2f %10.2f" % (times["ring"] / times["library"],
                                   times["ps"] / times["library"])
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
