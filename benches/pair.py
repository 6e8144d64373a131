#!/usr/bin/env python3
"""Paired whole-process times of two builds against one `serve --tokens N` (served by the second build),
alternating which runs first, the simulator's clock advanced before each run (past its rate limit).

    python3 benches/pair.py 10000 16 /tmp/old-build target/release/mailtrap-tokens --dump-screen 120x40

Prints both medians and the median of the per-pair ratios (second / first): a before-and-after that the
machine's load moves for both alike.
"""
import os
import statistics
import subprocess
import sys
import time
import urllib.request


def main() -> int:
    if len(sys.argv) < 6:
        print(__doc__, file=sys.stderr)
        return 2
    tokens, runs, first, second = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    args = sys.argv[5:]
    serve = subprocess.Popen(
        [second, "serve", "--tokens", tokens],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        env = dict(os.environ)
        # `serve` prints MAILTRAP_API_URL, MAILTRAP_API_TOKEN and MAILTRAP_ACCOUNT_ID first.
        for _ in range(3):
            key, value = serve.stdout.readline().strip().split("=", 1)
            env[key] = value
        clock = env["MAILTRAP_API_URL"] + "/__sim/clock"

        def run(binary: str) -> float:
            advance = urllib.request.Request(
                clock,
                data=b'{"advance_seconds":11}',
                method="POST",
                headers={"content-type": "application/json"},
            )
            urllib.request.urlopen(advance).read()
            start = time.perf_counter()
            subprocess.run([binary, *args], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=True)
            return (time.perf_counter() - start) * 1000

        times = {first: [], second: []}
        ratios = []
        run(first)
        run(second)
        for i in range(runs):
            for binary in (first, second) if i % 2 == 0 else (second, first):
                times[binary].append(run(binary))
            ratios.append(times[second][-1] / times[first][-1])
    finally:
        serve.terminate()
    print(
        f"{' '.join(args)} at {tokens} tokens: first median {statistics.median(times[first]):.1f} ms, "
        f"second median {statistics.median(times[second]):.1f} ms, second / first median of pairs "
        f"{statistics.median(ratios):.3f} ({runs} pairs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
