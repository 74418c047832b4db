// Baseline for the load-time measurement: node start-up only.
process.exitCode = 0;
