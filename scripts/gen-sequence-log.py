#!/usr/bin/env python3
"""Writes a synthetic sequential interaction log (user_id,item_id,timestamp) with a known shape.

Each item has a few fixed successors; a user's next item follows a successor of the last item
(probability --follow), else comes from the user's taste cluster (--taste), else from the
popularity-skewed catalogue; items the user already has are redrawn (histories of distinct items).
Used for docs/sequential.md's third data set (few users, long histories):

    python3 scripts/gen-sequence-log.py --users 400 --length 250 --items 3000 --seed 1 > few-long.csv
"""
import argparse
import random


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--users", type=int, default=400)
    p.add_argument("--length", type=int, default=250, help="mean history length")
    p.add_argument("--items", type=int, default=3000)
    p.add_argument("--clusters", type=int, default=20)
    p.add_argument("--successors", type=int, default=5)
    p.add_argument("--follow", type=float, default=0.35)
    p.add_argument("--taste", type=float, default=0.35)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    rng = random.Random(a.seed)
    n = a.items
    successors = [[rng.randrange(n) for _ in range(a.successors)] for _ in range(n)]
    cluster_of = [rng.randrange(a.clusters) for _ in range(n)]
    members = [[i for i in range(n) if cluster_of[i] == c] for c in range(a.clusters)]
    pop_weights = [1.0 / (1 + i) ** 0.8 for i in range(n)]
    succ_weights = [1.0 / (1 + k) for k in range(a.successors)]
    print("user_id,item_id,timestamp")
    t = 1_600_000_000
    for u in range(a.users):
        taste = members[rng.randrange(a.clusters)]
        length = max(5, int(rng.expovariate(1.0 / a.length)))
        seen = set()
        last = None
        for _ in range(length):
            item = None
            for _ in range(20):
                r = rng.random()
                if last is not None and r < a.follow:
                    cand = rng.choices(successors[last], weights=succ_weights)[0]
                elif r < a.follow + a.taste:
                    cand = rng.choice(taste)
                else:
                    cand = rng.choices(range(n), weights=pop_weights)[0]
                if cand not in seen:
                    item = cand
                    break
            if item is None:
                continue
            seen.add(item)
            last = item
            t += rng.randrange(1, 600)
            print(f"u{u},i{item},{t}")


if __name__ == "__main__":
    main()
