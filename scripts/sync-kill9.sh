#!/usr/bin/env bash
# R1 of issue 11: kill -9 `cpmctl sync` at random points of a first-time sync of 10,000 objects
# and of a steady-state sync of 2,000 changes (50 kills each that land while the run is going; a
# run that finishes before its kill is checked and drawn again), each followed by a plain
# `sync DIR`; prints how many converged (check exit 0, no duplicate file, nothing lost) and fails
# if any did not, or if fewer than 50 kills of either kind landed mid-run. The driver is the ignored test `r1_kill_9_at_random_points` in
# tests/it/sync_crash.rs (the in-process reference server, the real binary); a short version of it
# runs with the test suite.
#
# Sizes: CPMCTL_R1_OBJECTS (10000), CPMCTL_R1_CHANGES (2000), CPMCTL_R1_POINTS (50),
# CPMCTL_R1_SEED (kill points are reproducible for one seed).
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo test --release --locked --test it -- --ignored --nocapture sync_crash::r1_kill_9_at_random_points
