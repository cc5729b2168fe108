#!/usr/bin/env bash
# Grade a class on a Slurm cluster: one array task per shard, then the merge as a dependent job.
#
#   deploy/slurm/submit.sh [--shards N] [--cpus C] [--workers W] [--wait] [-- ASSIGNMENT ...]
#
# Run it from the course root (or set COURSE_ROOT), which every node must see at the same path
# (a shared file system). --shards: array tasks (default 4); --cpus: CPUs per task (default 2);
# --workers: grading workers per task (default CPUs + 1); --wait: return when the merge has
# finished, with its exit status. GRADING_PYTHON names the course's Python (default: python3);
# other sbatch options go in SBATCH_ARGS (e.g. "--partition=short --time=02:00:00").
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "${COURSE_ROOT:-.}" && pwd)
shards=4 cpus=2 workers="" wait=""
while [ $# -gt 0 ]; do
    case "$1" in
        --shards) shards=$2; shift 2 ;;
        --cpus) cpus=$2; shift 2 ;;
        --workers) workers=$2; shift 2 ;;
        --wait) wait=--wait; shift ;;
        --) shift; break ;;
        *) echo "submit.sh: unknown option $1 (see the comment at the top of $0)" >&2; exit 2 ;;
    esac
done
if [ ! -f "$root/nbgrader_config.py" ]; then
    echo "submit.sh: $root is not a course directory (no nbgrader_config.py):" \
         "run it from the course root or set COURSE_ROOT" >&2
    exit 2
fi
mkdir -p "$root/gradebook-shards"  # Slurm writes the jobs' output there

export GRADING_PYTHON=${GRADING_PYTHON:-python3} GRADING_WORKERS=$workers
# shellcheck disable=SC2086  # SBATCH_ARGS holds several options
array=$(sbatch --parsable --chdir="$root" --array="0-$((shards - 1))" \
    --cpus-per-task="$cpus" ${SBATCH_ARGS:-} "$here/grade-shard.sbatch" "$@")
array=${array%%;*}
echo "shards: job array $array ($shards tasks)"
status=0
# shellcheck disable=SC2086
merge=$(sbatch --parsable --chdir="$root" --dependency="afterany:$array" \
    ${SBATCH_ARGS:-} $wait "$here/merge.sbatch") || status=$?
echo "merge: job ${merge%%;*} (after every shard of $array)${wait:+, exit status $status}"
echo "output: $root/gradebook-shards/slurm-*.out; chart: $root/grading-run.png"
exit "$status"
