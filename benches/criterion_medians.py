#!/usr/bin/env python3
"""Medians of the criterion benches `frame`, `keys` and `findings` (from target/criterion), and the ratios the README's performance goals name.

Run after `cargo bench --bench frame --bench keys --bench findings`:  python3 benches/criterion_medians.py
"""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion"


def median_ns(group: str, bench: str) -> float | None:
    path = ROOT / group / bench / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["median"]["point_estimate"]


def show(ns: float) -> str:
    return f"{ns / 1e6:.3f} ms" if ns >= 1e6 else f"{ns / 1e3:.1f} µs"


def main() -> int:
    found = False
    for group in ("frame", "keys", "data", "findings"):
        base = ROOT / group
        if not base.exists():
            continue
        for bench_dir in sorted(p for p in base.rglob("new") if (p / "estimates.json").exists()):
            name = bench_dir.parent.relative_to(base)
            print(f"{group}/{name}: median {show(median_ns(group, str(name)))}")
            found = True
    if not found:
        print("no criterion results under target/criterion; run cargo bench --bench frame --bench keys first")
        return 1

    baseline = median_ns("frame", "baseline_table")
    # criterion stores the bench `console/N` in the directory `console_N`.
    console = {n: median_ns("frame", f"console_{n}") for n in (100, 10000, 100000)}
    if baseline and console[10000]:
        ratio = console[10000] / baseline
        print(f"frame: console/10000 / baseline_table = {ratio:.2f} from criterion's separate stretches "
              "(goal 1a <= 1.3 is judged on the paired run printed at the end of `cargo bench --bench frame`)")
    if console[100] and console[100000]:
        ratio = console[100000] / console[100]
        print(f"frame: console/100000 / console/100 = {ratio:.2f} from criterion's separate stretches "
              "(goal 1b <= 1.2 is judged on the paired run)")
    keys = ROOT / "keys"
    if keys.exists():
        worst = max((median_ns("keys", p.parent.name) or 0.0, p.parent.name)
                    for p in keys.glob("*/new") if (p / "estimates.json").exists())
        print(f"goal 2: slowest key {worst[1]} median {show(worst[0])} (goal <= 2 ms) "
              f"{'PASS' if worst[0] <= 2e6 else 'FAIL'}")
    findings = median_ns("findings", "100000")
    if findings:
        print(f"findings: 100,000 tokens median {show(findings)} (goal <= 50 ms) "
              f"{'PASS' if findings <= 50e6 else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
