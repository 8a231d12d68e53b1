#!/usr/bin/env bash
# End-to-end tests of the CLI's many-job waits (`sdrs job wait ID ID ...` and --wait on the
# commands that take several ids) against a local sdrs-emulator (127.0.0.1 only).
# Usage: watch_test.sh <sdrs-binary> <sdrs-emulator-binary>
# Needs: jq, curl (admin calls to the emulator), script (util-linux, for the tty test).
set -u

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
take_args "$@"
require_tools jq curl script timeout
start_emulator --job-init-ms 20 --job-run-ms 80 --job-run-spread-ms 400
# Waits on many jobs outlast the usual bound; their outputs are long, so failures show a part.
RUN_TIMEOUT_S=120
SHOW_BYTES=3000

# seed_jobs BODY: seeds synthetic jobs (POST /_emulator/seed-jobs); their ids go to JOBS.
JOBS=()
seed_jobs() {
  local answer
  answer=$(curl -sf -X POST -H 'Content-Type: application/json' -d "$1" "$BASE/_emulator/seed-jobs") ||
    { fail "admin: seed-jobs $1"; return; }
  mapfile -t JOBS < <(jq -r '.job_ids[]' <<<"$answer")
}

# ---- 50 jobs whose running times spread from 0.1 to 2.5 s, every 10th failing ----
# 1 s in INIT first: on a loaded machine the CLI may take a while to start, and the jobs must
# still be running when its wait begins.
seed_jobs '{"count": 50, "init_ms": 1000, "run_ms_min": 100, "run_ms_max": 2500, "fail_every": 10}'
MANY=("${JOBS[@]}")
is "50 jobs seeded (${#MANY[@]})" test "${#MANY[@]}" -eq 50

start=$(date +%s%N)
expect "job wait --json on 50 jobs, 5 failing: exit 5" 5 job wait "${MANY[@]}" --interval-ms 50 --json
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
is "all 50 followed at once (took ${elapsed_ms} ms; the longest job lasts at most 3.5 s)" \
  test "$elapsed_ms" -lt 15000
is "--json: an array of 50 results in argument order" json_true --argjson ids \
  "$(printf '%s\n' "${MANY[@]}" | jq -R . | jq -s .)" '[.[].job_id] == $ids'
is "--json: 45 SUCCESS without error" json_true \
  '[.[] | select(.status == "SUCCESS" and .error == null and .job.status == "SUCCESS")] | length == 45'
is "--json: 5 FAIL with error code, reason and SDRS_EJOBFAILED" json_true \
  '[.[] | select(.status == "FAIL" and .error_code == "SDRS.1014" and (.fail_reason | length > 0)
    and .error.name == "SDRS_EJOBFAILED" and .error.api_code == "SDRS.1014")] | length == 5'
is "--json: the failed ones are every 10th" json_true \
  '[to_entries[] | select(.value.status == "FAIL") | .key] == [9, 19, 29, 39, 49]'
# The job that ended first (by its end_time) is reported before the one that ended last.
EARLY=$(jq -r 'min_by(.job.end_time) | .job_id' <<<"$OUT")
LATE=$(jq -r 'max_by(.job.end_time) | .job_id' <<<"$OUT")
EARLY_AT=$(grep -E "\] job $EARLY " <<<"$ERR" | sed -E 's/^\[ *([0-9.]+)s\].*/\1/')
LATE_AT=$(grep -E "\] job $LATE " <<<"$ERR" | sed -E 's/^\[ *([0-9.]+)s\].*/\1/')
is "the first job to end is reported before the last (${EARLY_AT}s < ${LATE_AT}s)" \
  awk -v a="$EARLY_AT" -v b="$LATE_AT" 'BEGIN { exit !(a != "" && b != "" && a < b) }'

# stderr is not a terminal here: one line per job as it ends, then the summary; no \r.
is "one stderr line per ended job" test "$(grep -Ec '^\[ *[0-9]+\.[0-9]s\] job [0-9a-f]{32} (SUCCESS|FAIL)' <<<"$ERR")" -eq 50
is "failed jobs' lines carry the error code" test "$(grep -Ec '\] job [0-9a-f]{32} FAIL SDRS\.1014: ' <<<"$ERR")" -eq 5
is "summary line" bash -c 'tail -1 <<<"$1" | grep -Eq "^jobs: 0 running, 50 done \(45 success, 5 failed\), 0 errors, [0-9]+ s$"' _ "$ERR"
is "no carriage returns when stderr is not a terminal" bash -c '! grep -q $'"'\r'"' <<<"$1"' _ "$ERR"
is "the per-job lines' times never go back" bash -c \
  'grep -Eo "^\[ *[0-9.]+s\]" <<<"$1" | tr -d "[]s " | sort -nc' _ "$ERR"
FIRST_LINE=$(grep -m1 -Eo '^\[ *[0-9.]+s\]' <<<"$ERR" | tr -d '[]s ')
LAST_LINE=$(grep -Eo '^\[ *[0-9.]+s\]' <<<"$ERR" | tail -1 | tr -d '[]s ')
is "the lines come as the jobs end (first ${FIRST_LINE}s, last ${LAST_LINE}s)" \
  awk -v a="$FIRST_LINE" -v b="$LAST_LINE" 'BEGIN { exit !(a != "" && b != "" && b - a >= 1.0) }'

expect "job wait on 50 ended jobs, 5 failed: exit 5" 5 job wait "${MANY[@]}" --interval-ms 50
is "table header" bash -c 'head -1 <<<"$1" | grep -Eq "^JOB_ID +STATUS +ERROR +DETAIL$"' _ "$OUT"
is "one row per job" test "$(tail -n +2 <<<"$OUT" | wc -l)" -eq 50
is "rows in argument order" test "$(tail -n +2 <<<"$OUT" | awk '{print $1}')" = \
  "$(printf '%s\n' "${MANY[@]}")"
is "45 SUCCESS rows" test "$(grep -Ec '^[0-9a-f]{32} +SUCCESS +- +-$' <<<"$OUT")" -eq 45
is "5 FAIL rows with the job's error code" test "$(grep -Ec '^[0-9a-f]{32} +FAIL +SDRS\.1014 ' <<<"$OUT")" -eq 5
is "the FAIL rows are every 10th job" test "$(tail -n +2 <<<"$OUT" | awk '$2 == "FAIL" {print NR}' | tr '\n' ' ')" = \
  "10 20 30 40 50 "

SUCCEEDED=()
for j in "${MANY[@]:0:9}" "${MANY[@]:10:9}"; do SUCCEEDED+=("$j"); done
expect "job wait on 18 successful jobs: exit 0" 0 job wait "${SUCCEEDED[@]}" --interval-ms 20
is "18 SUCCESS rows" test "$(grep -Ec '^[0-9a-f]{32} +SUCCESS ' <<<"$OUT")" -eq 18

# ---- one job: the output of earlier versions ----
expect "job wait (one id)" 0 job wait "${MANY[0]}" --interval-ms 20
is "one id prints the job" grep -Eq '^status: +SUCCESS$' <<<"$OUT"
is "one id prints no table" bash -c '! grep -q "^JOB_ID" <<<"$1"' _ "$OUT"
is "one id: nothing on stderr when it is not a terminal" test -z "$ERR"
expect "job wait --json (one id)" 0 job wait "${MANY[0]}" --interval-ms 20 --json
is "one id --json is the job object" json_true ".job_id == \"${MANY[0]}\" and .status == \"SUCCESS\""
expect "job wait (one failed id)" 5 job wait "${MANY[9]}" --interval-ms 20
is "one failed id prints the job" grep -Eq '^status: +FAIL$' <<<"$OUT"
is "one failed id reports SDRS_EJOBFAILED" err_has "sdrs: SDRS_EJOBFAILED:"

# ---- the status line on a terminal (script gives the command a pty) ----
script -qec "timeout 60 '$SDRS' job wait ${MANY[*]:0:20} --interval-ms 20" /dev/null >"$WORK/tty" 2>&1
is "tty: status line updated in place" grep -qE $'\rjobs: [0-9]+ running, [0-9]+ done \\([0-9]+ success, [0-9]+ failed\\), 0 errors, [0-9]+ s' "$WORK/tty"
is "tty: final state" grep -qE 'jobs: 0 running, 20 done \(18 success, 2 failed\), 0 errors' "$WORK/tty"
is "tty: no per-job lines" bash -c '! grep -qE "\] job [0-9a-f]{32} SUCCESS" "$1"' _ "$WORK/tty"
script -qec "timeout 60 '$SDRS' job wait ${MANY[0]} --interval-ms 20" /dev/null >"$WORK/tty" 2>&1
is "tty, one id: the single-job line" grep -qE "\[ *[0-9]+\.[0-9]s\] job ${MANY[0]} SUCCESS" "$WORK/tty"

# ---- mixes: the exit code is the worst result ----
seed_jobs '{"count": 12, "init_ms": 60000}'
SLOW=("${JOBS[@]}")
MISSING=0123456789abcdef0123456789abcdee
expect "success + timeout: exit 6" 6 job wait "${MANY[0]}" "${SLOW[0]}" --timeout 1 --interval-ms 50 --json
is "the slow job timed out" json_true '.[1].error.name == "SDRS_ETIMEOUT" and .[1].status == "INIT" and .[0].status == "SUCCESS"'
expect "fail + timeout: exit 5 (a failed job outranks a timeout)" 5 \
  job wait "${SLOW[0]}" "${MANY[9]}" --timeout 1 --interval-ms 50
expect "unknown job + fail: exit 4 (an error outranks a failed job)" 4 \
  job wait "${MANY[9]}" "$MISSING" --interval-ms 50 --json
is "the unknown job's error" json_true '.[1].error.name == "SDRS_ENOTFOUND" and .[1].error.http_status == 404 and .[1].job == null'
is "the failed job's result" json_true '.[0].status == "FAIL"'

# ---- bad input: before any request ----
BEFORE=$(api_requests)
expect "an id given twice: usage error" 2 job wait "${MANY[0]}" "${MANY[1]}" "${MANY[0]}"
is "the duplicate is named with both positions" err_has "job id '${MANY[0]}' given twice (arguments 1 and 3)"
expect "a bad id: exit 3" 3 job wait "${MANY[0]}" 'a/b' "${MANY[1]}"
is "the bad id's argument is named" err_has "argument 2 ('a/b'): job_id"
expect "an empty id: exit 3" 3 job wait "${MANY[0]}" ''
is "the empty id's argument is named" err_has "argument 2 (''): job_id"
expect "--max-polls-per-sec 0: exit 3" 3 job wait "${MANY[0]}" "${MANY[1]}" --max-polls-per-sec 0
expect "--max-polls-per-sec x: exit 2" 2 job wait "${MANY[0]}" --max-polls-per-sec x
expect "pg delete with an id twice: usage error" 2 pg delete g1 g2 g1
is "the duplicate group id is named" err_has "group id 'g1' given twice"
expect "pg delete with a bad id among several: exit 3" 3 pg delete g1 'g 2' --wait
is "the bad group id's argument is named" err_has "argument 2 ('g 2'): server_group_id"
expect "pg planned-failover on several ids with a bad station: exit 3" 3 \
  pg planned-failover g1 g2 --priority-station middle --wait
is "the bad station is named, not an id" bash -c 'grep -qF "priority_station" <<<"$1" && ! grep -qF "argument 1" <<<"$1"' _ "$ERR"
is "no request reached the emulator ($BEFORE -> $(api_requests))" test "$(api_requests)" -eq "$BEFORE"
expect "--max-polls-per-sec 5 is accepted" 0 job wait "${MANY[0]}" "${MANY[1]}" --max-polls-per-sec 5 \
  --interval-ms 20

# ---- Ctrl-C: every job ends canceled, the results are printed, exit 6 ----
interrupt_after 1.5 job wait "${MANY[0]}" "${SLOW[@]}" --interval-ms 50 --json
is "Ctrl-C exits 6" test "$RC" -eq 6
is "Ctrl-C stops within 2 s (took ${elapsed_ms} ms)" test "$elapsed_ms" -lt 2000
is "Ctrl-C: all 12 slow jobs end SDRS_ECANCELED" json_true \
  '[.[1:][] | select(.error.name == "SDRS_ECANCELED")] | length == 12'
is "Ctrl-C: the job that had ended keeps its result" json_true '.[0].status == "SUCCESS" and .[0].error == null'
is "Ctrl-C: summary printed" bash -c 'tail -1 <<<"$1" | grep -Eq "^jobs: 0 running, 1 done \(1 success, 0 failed\), 12 errors, [0-9]+ s$"' _ "$ERR"

# ---- --wait on a command given several ids ----
admin POST /_emulator/seed-groups '{"count": 4, "name_prefix": "multi-", "status": "protected"}' ||
  fail "admin: seed groups"
run pg list --name multi- --json
mapfile -t GIDS < <(jq -r '.server_groups[].id' <<<"$OUT")
is "4 protected groups (${#GIDS[@]})" test "${#GIDS[@]}" -eq 4
expect "pg disable 4 groups --wait --json" 0 pg disable "${GIDS[@]}" --wait --interval-ms 20 --json
is "one result per group, in argument order, with its id" json_true --argjson ids \
  "$(printf '%s\n' "${GIDS[@]}" | jq -R . | jq -s .)" '[.[].id] == $ids and ([.[].status] | unique) == ["SUCCESS"]'
is "each job belongs to its group" json_true '[.[] | select(.job.entities.server_group_id == .id)] | length == 4'
is "per-job lines name the group" bash -c 'grep -Eq "\] job [0-9a-f]{32} \(pg $1\) SUCCESS" <<<"$2"' _ "${GIDS[0]}" "$ERR"
expect "the groups are available again" 0 pg list --name multi- --status available --json
is "4 available" json_true '.count == 4'
expect "pg delete 2 groups (no wait): a table of job ids" 0 pg delete "${GIDS[0]}" "${GIDS[1]}"
is "ID and JOB_ID columns" bash -c 'head -1 <<<"$1" | grep -Eq "^ID +JOB_ID$"' _ "$OUT"
is "one job id per group" test "$(grep -Ec "^(${GIDS[0]}|${GIDS[1]}) +[0-9a-f]{32}$" <<<"$OUT")" -eq 2
DELETE_JOBS=($(tail -n +2 <<<"$OUT" | awk '{print $2}'))
expect "job wait on the two deletes" 0 job wait "${DELETE_JOBS[@]}" --interval-ms 20
expect "pg delete --json (no wait), one group missing: exit 4" 4 pg delete "${GIDS[2]}" "$MISSING" --json
is "--json: an array, the missing group without a job" json_true \
  "length == 2 and .[0].id == \"${GIDS[2]}\" and (.[0].job_id | length == 32) and .[0].error == null
   and .[1].id == \"$MISSING\" and .[1].job_id == null and .[1].error.name == \"SDRS_ENOTFOUND\""
is "the failed start is reported with its group" err_has "sdrs: SDRS_ENOTFOUND: pg $MISSING: "
# That delete was not waited for: wait for it here, or "none left" below races its job.
DELETE_JOB2=$(jq -r '.[0].job_id' <<<"$OUT")
expect "job wait on that delete" 0 job wait "$DELETE_JOB2" --interval-ms 20
expect "pg delete --wait, one group missing: the other is still deleted, exit 4" 4 \
  pg delete "$MISSING" "${GIDS[3]}" --wait --interval-ms 20 --json
is "--wait: the missing group's result has no job" json_true \
  ".[0].id == \"$MISSING\" and .[0].job_id == null and .[0].error.name == \"SDRS_ENOTFOUND\" and .[1].status == \"SUCCESS\""
is "--wait: the failed start is reported once, on its per-job line" bash -c \
  '! grep -q "^sdrs: SDRS_ENOTFOUND" <<<"$1" && grep -Eq "\] job - \(pg $2\) SDRS_ENOTFOUND: " <<<"$1"' _ "$ERR" "$MISSING"
expect "all 4 groups are gone" 0 pg list --name multi- --json
is "none left" json_true '.count == 0'

# ---- one id: --wait keeps its output (the job, then the resource) ----
admin POST /_emulator/seed-groups '{"count": 1, "name_prefix": "single-", "status": "protected"}' ||
  fail "admin: seed groups"
run pg list --name single- --json
GID=$(jq -r '.server_groups[0].id' <<<"$OUT")
expect "pg disable (one id) --wait --json" 0 pg disable "$GID" --wait --interval-ms 20 --json
is "one id: {job, server_group}" json_true '.job.status == "SUCCESS" and .server_group.status == "available"'

finish
