#!/usr/bin/python3
"""paper_table.py - the paper's Table I as dlaaw and the PyTorch peer reproduce it, on this CPU.

For each examples/paper workflow and seeds 1..5 (80/20 split, 1000 epochs, 6 batches): test
accuracy mean ± std over the seeds and the mean training time, dlaaw (`dlaaw run`, CPU backend)
next to bench/torch_peer.py, both on the same number of threads, measured in this run.

  bench/setup.sh && make build && bench/paper_table.py [--threads 1] [--seeds 5]
"""
import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--binary", default=os.path.join(ROOT, "build", "cli", "dlaaw"))
    parser.add_argument("--data-dir", default=os.environ.get(
        "DLAAW_DATA_DIR", os.path.join(ROOT, "..", "shared", "datasets")))
    args = parser.parse_args()
    print(f"{'network':<20} {'dlaaw accuracy':>16} {'dlaaw s':>8} {'torch accuracy':>16} {'torch s':>8} {'speed-up':>8}")
    for wf in sorted(glob.glob(os.path.join(ROOT, "examples", "paper", "nn*.json"))):
        ours, theirs = [], []
        for seed in range(1, args.seeds + 1):
            doc = json.load(open(wf))
            doc["training"]["seed"] = seed
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "wf.json")
                out = os.path.join(tmp, "result.json")
                json.dump(doc, open(path, "w"))
                subprocess.run([args.binary, "run", path, "--no-track", "--threads", str(args.threads),
                                "--data-dir", args.data_dir, "--out", out], check=True, stdout=subprocess.DEVNULL)
                r = json.load(open(out))
                ours.append((r["metrics"]["accuracy"], r["timings_ms"]["train"] / 1000))
                peer = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "torch_peer.py"), path,
                                       "--threads", str(args.threads), "--data-dir", args.data_dir],
                                      check=True, capture_output=True, text=True).stdout
                p = json.loads(peer.strip().splitlines()[-1])
                theirs.append((p["accuracy"], p["train_s"]))
        acc = lambda v: f"{statistics.mean(a for a, _ in v):.3f} ± {statistics.stdev(a for a, _ in v):.3f}"
        secs = lambda v: statistics.mean(t for _, t in v)
        print(f"{json.load(open(wf))['name']:<20} {acc(ours):>16} {secs(ours):>8.3f} {acc(theirs):>16} "
              f"{secs(theirs):>8.3f} {secs(theirs) / secs(ours):>7.1f}x", flush=True)


if __name__ == "__main__":
    main()
