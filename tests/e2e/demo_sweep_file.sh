# Sourced by the sweep tests (local and Slurm): writes a sweep file of the demo
# configuration on a synthetic corpus, small enough for a test.
# Usage: demo_sweep_file FILE RUNS_DIR POSTS_CSV "SEEDS" EPOCHS GCN_EPOCHS
demo_sweep_file() {
  cat > "$1" <<INI
[sweep]
runs = $2
datasets = csv
seeds = $4
students = none, text+audio
config.csv = experiments/demo/demo.ini
options = --input $3 --epochs $5 --emotion-epochs $5 --audio-epochs 2 --gcn-epochs $6 --teachers text,audio
INI
}
