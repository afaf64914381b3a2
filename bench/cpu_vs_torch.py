#!/usr/bin/python3
"""cpu_vs_torch.py - dlaaw's CPU backend against PyTorch on the CPU, the paper's five networks.

For each thread count (1 and 2 by default) and each examples/paper workflow (1000 epochs,
6 batches, seed 1): the training time of `dlaaw run` (its timings_ms.train) and of
bench/torch_peer.py (its training loop), the ratio torch / dlaaw, both test accuracies, and the
peak RSS of the whole `dlaaw run` process. Both are measured in this run, on this machine.

  bench/setup.sh && make build && bench/cpu_vs_torch.py [--threads 1 2] [--repeat 3]
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_dlaaw(binary, workflow, threads, data_dir):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "result.json")
        rss = os.path.join(tmp, "rss")
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss, binary, "run", workflow,
                        "--threads", str(threads), "--data-dir", data_dir, "--out", out, "--no-track"],
                       check=True, stdout=subprocess.DEVNULL)
        result = json.load(open(out))
        return (result["timings_ms"]["train"] / 1000.0, result["metrics"]["accuracy"],
                int(open(rss).read().split()[-1]) / 1024.0)


def run_torch(workflow, threads, data_dir):
    out = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "torch_peer.py"),
                          workflow, "--threads", str(threads), "--data-dir", data_dir],
                         check=True, capture_output=True, text=True).stdout
    r = json.loads(out.strip().splitlines()[-1])
    return r["train_s"], r["accuracy"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3, help="dlaaw runs per cell (best is kept)")
    parser.add_argument("--binary", default=os.path.join(ROOT, "build", "cli", "dlaaw"))
    parser.add_argument("--data-dir", default=os.environ.get(
        "DLAAW_DATA_DIR", os.path.join(ROOT, "..", "shared", "datasets")))
    args = parser.parse_args()
    workflows = sorted(glob.glob(os.path.join(ROOT, "examples", "paper", "nn*.json")))
    print(f"{'network':<20} {'thr':>3} {'dlaaw s':>8} {'torch s':>8} {'ratio':>7} "
          f"{'acc dlaaw':>9} {'acc torch':>9} {'RSS MB':>7}")
    worst = None
    for threads in args.threads:
        for wf in workflows:
            runs = [run_dlaaw(args.binary, wf, threads, args.data_dir) for _ in range(args.repeat)]
            ours = min(r[0] for r in runs)
            acc, rss = runs[0][1], max(r[2] for r in runs)
            theirs, their_acc = run_torch(wf, threads, args.data_dir)
            ratio = theirs / ours
            worst = ratio if worst is None else min(worst, ratio)
            name = json.load(open(wf))["name"]
            print(f"{name:<20} {threads:>3} {ours:>8.3f} {theirs:>8.3f} {ratio:>6.1f}x "
                  f"{acc:>9.3f} {their_acc:>9.3f} {rss:>7.1f}", flush=True)
    print(f"slowest ratio: {worst:.1f}x (target >= 10x)")


if __name__ == "__main__":
    sys.exit(main())
