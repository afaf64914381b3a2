#!/usr/bin/python3
"""torch_peer.py - trains a dlaaw workflow document with PyTorch, under the same protocol.

The peer that dlaaw's benchmarks compare against: drop rows with an empty value, ordinal codes
of sorted distinct values for categorical columns, a seeded 80/20 split, min-max scaling fitted
on the training rows, Xavier-uniform weights and zero biases, binary cross-entropy on the logit,
SGD with momentum, and each epoch a fresh shuffle cut into `batches` mini-batches.

Prints one JSON line: {"workflow", "dataset", "threads", "train_s", "accuracy"}. Uses Debian's
python3-torch (run with /usr/bin/python3).
"""
import argparse
import csv
import json
import os
import time

import numpy as np
import torch

# The catalog of dlaaw (datasets/catalog.cpp), as the peer needs it.
CATALOG = {
    "breast_cancer": ("Breast_cancer_data.csv", True, None, "diagnosis", "1", []),
    "pima": ("diabetes.csv", True, None, "Outcome", "1", []),
    "banknote": ("data_banknote_authentication.txt", False,
                 ["variance", "skewness", "curtosis", "entropy", "class"], "class", "1", []),
    "grid_stability": ("Data_for_UCI_named.csv", True, None, "stabf", "unstable", []),
    "bank_marketing": ("bank-full.csv", True, None, "y", "yes",
                       ["job", "marital", "education", "default", "housing", "loan", "contact",
                        "month", "poutcome"]),
}


def load(dataset, data_dir):
    if "catalog" in dataset:
        file, header, names, label, positive, categorical = CATALOG[dataset["catalog"]]
    else:  # a file dataset as the workflow document describes it
        file, header, names = dataset["path"], dataset.get("header", True), None
        label, positive = dataset["label"], dataset.get("positive", "1")
        categorical = dataset.get("categorical", [])
    with open(os.path.join(data_dir, file), newline="") as f:
        sample = f.readline()
        f.seek(0)
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        rows = [r for r in csv.reader(f, delimiter=delimiter) if r]
    if header:
        names, rows = rows[0], rows[1:]
    rows = [r for r in rows if all(c.strip() != "" for c in r)]
    columns = list(zip(*rows))
    features = []
    for name, col in zip(names, columns):
        if name == label:
            y = np.array([1.0 if v == positive else 0.0 for v in col], dtype=np.float32)
        elif name in categorical:
            codes = {v: i for i, v in enumerate(sorted(set(col)))}
            features.append([codes[v] for v in col])
        else:
            features.append([float(v) for v in col])
    return np.array(features, dtype=np.float64).T, y


def build(network):
    layers = []
    for layer in network:
        kind = layer["type"]
        if kind == "Linear":
            linear = torch.nn.Linear(layer["in"], layer["out"])
            torch.nn.init.xavier_uniform_(linear.weight)
            torch.nn.init.zeros_(linear.bias)
            layers.append(linear)
        elif kind == "ReLU":
            layers.append(torch.nn.ReLU())
        elif kind == "Tanh":
            layers.append(torch.nn.Tanh())
        elif kind == "Sigmoid":
            layers.append(torch.nn.Sigmoid())
    # The final Sigmoid is folded into BCEWithLogitsLoss, as dlaaw does.
    return torch.nn.Sequential(*layers[:-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workflow")
    parser.add_argument("--data-dir", default=os.environ.get("DLAAW_DATA_DIR", "data"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()

    doc = json.load(open(args.workflow))
    training = doc["training"]
    seed = training.get("seed", 1)
    torch.set_num_threads(args.threads)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)

    x, y = load(doc["dataset"], args.data_dir)
    order = rng.permutation(len(y))
    test = int(round(doc["plan"].get("test_fraction", 0.2) * len(y)))
    train_rows, test_rows = order[:-test], order[-test:]
    lo, hi = x[train_rows].min(axis=0), x[train_rows].max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    scale = lambda rows: torch.tensor(np.where(hi > lo, (x[rows] - lo) / span, 0.0), dtype=torch.float32)
    x_train, x_test = scale(train_rows).to(args.device), scale(test_rows).to(args.device)
    y_train = torch.tensor(y[train_rows]).unsqueeze(1).to(args.device)
    y_test = y[test_rows]

    model = build(doc["network"]).to(args.device)
    optimizer = torch.optim.SGD(model.parameters(), lr=training.get("learning_rate", 0.1),
                                momentum=training.get("momentum", 0.9))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    n, batches = len(train_rows), training.get("batches", 6)
    bounds = [n * b // batches for b in range(batches + 1)]
    if args.device != "cpu":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(training["epochs"]):
        perm = torch.randperm(n, device=args.device)
        for b in range(batches):
            idx = perm[bounds[b]:bounds[b + 1]]
            optimizer.zero_grad()
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            loss.backward()
            optimizer.step()
    if args.device != "cpu":
        torch.cuda.synchronize()
    train_s = time.perf_counter() - start
    with torch.no_grad():
        scores = torch.sigmoid(model(x_test)).squeeze(1).cpu().numpy()
    accuracy = float(((scores >= 0.5) == (y_test > 0.5)).mean())
    dataset = doc["dataset"].get("catalog") or doc["dataset"].get("path")
    print(json.dumps({"workflow": doc["name"], "dataset": dataset,
                      "threads": args.threads, "device": args.device, "train_s": train_s,
                      "accuracy": accuracy}))


if __name__ == "__main__":
    main()
