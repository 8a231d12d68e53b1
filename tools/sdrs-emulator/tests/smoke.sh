#!/usr/bin/env bash
# Smoke test of sdrs-emulator: every endpoint, every documented error, the status transitions,
# the admin API and a clean SIGTERM shutdown. Needs bash, curl, grep, sed.
# Usage: smoke.sh /path/to/sdrs-emulator
set -u

EMU=${1:?usage: smoke.sh /path/to/sdrs-emulator}
TMP=$(mktemp -d)
PASS=0
FAIL=0
PIDS=()

cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  rm -rf "$TMP"
}
trap cleanup EXIT

ok() { PASS=$((PASS + 1)); }
bad() { FAIL=$((FAIL + 1)); echo "FAIL: $*" >&2; }
expect_eq() { # desc got want
  if [[ "$2" == "$3" ]]; then ok; else bad "$1: got '$2', want '$3'"; fi
}
expect_match() { # desc got regex
  if [[ "$2" =~ $3 ]]; then ok; else bad "$1: '$2' does not match /$3/"; fi
}

# Starts an emulator; sets $BASE and $EPID. Extra args are passed through.
start_emu() {
  local out=$TMP/stdout.$RANDOM
  ERR=$TMP/stderr.$RANDOM
  "$EMU" --port 0 "$@" >"$out" 2>"$ERR" &
  EPID=$!
  PIDS+=("$EPID")
  local line=""
  for _ in $(seq 1 100); do
    line=$(head -n1 "$out" 2>/dev/null)
    [[ -n "$line" ]] && break
    sleep 0.05
  done
  if [[ ! "$line" =~ ^listening\ on\ 127\.0\.0\.1:([0-9]+)$ ]]; then
    echo "emulator did not start (stdout: '$line')" >&2
    exit 1
  fi
  PORT=${BASH_REMATCH[1]}
  BASE=http://127.0.0.1:$PORT
}

TOKEN=emulator-token
PRJ=0123456789abcdef0123456789abcdef
DOM_A=5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11

# req METHOD PATH [BODY] -> $STATUS, $BODY, $HDRS (token sent unless NOTOKEN=1).
req() {
  local args=(-s -m 5 -X "$1" -o "$TMP/body" -D "$TMP/hdrs" -w '%{http_code}')
  [[ "${NOTOKEN:-0}" == 1 ]] || args+=(-H "X-Auth-Token: ${TOK:-$TOKEN}")
  [[ $# -ge 3 ]] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
  STATUS=$(curl "${args[@]}" "$BASE$2")
  BODY=$(cat "$TMP/body")
  HDRS=$(cat "$TMP/hdrs")
}
api() { # METHOD SUBPATH [BODY]
  local m=$1 p=$2
  shift 2
  req "$m" "/v1/$PRJ$p" "$@"
}
# field NAME: first string/number/bool/null value of "NAME" in $BODY (strings without quotes).
field() {
  local v
  v=$(grep -o "\"$1\":\(\"[^\"]*\"\|[^,}]*\)" <<<"$BODY" | head -n1 | sed "s/^\"$1\"://")
  v=${v#\"}
  echo "${v%\"}"
}
expect_error() { # desc http class code
  expect_eq "$1 (http)" "$STATUS" "$2"
  expect_match "$1 (body)" "$BODY" "^\\{\"$3\":\\{\"code\":\"$4\",\"message\":\"[^\"]+\"\\}\\}$"
}
# wait_job ID -> final job body in $BODY, bounded to 5 s.
wait_job() {
  local st=""
  for _ in $(seq 1 100); do
    api GET "/jobs/$1"
    st=$(field status)
    [[ "$st" == SUCCESS || "$st" == FAIL ]] && return 0
    sleep 0.05
  done
  bad "job $1 did not finish (last status '$st')"
}
# in_flight DESC GID JOBID RUNNING FINAL: the group shows RUNNING while its job is not done.
# The group is read before the job, so a job seen unfinished proves the group read was early;
# on a slow machine the job may already be done, and then FINAL is allowed too.
in_flight() {
  local st js
  st=$(group_status "$2")
  api GET "/jobs/$3"
  js=$(field status)
  if [[ "$js" == INIT || "$js" == RUNNING ]]; then
    expect_eq "$1" "$st" "$4"
  else
    expect_match "$1 (job already $js)" "$st" "^($4|$5)\$"
  fi
}
group_status() {
  api GET "/server-groups/$1"
  field status
}
create_body() { # name [extra json members]
  echo "{\"server_group\":{\"name\":\"$1\",\"source_availability_zone\":\"eu-de-01\",\"target_availability_zone\":\"eu-de-02\",\"domain_id\":\"$DOM_A\",\"source_vpc_id\":\"vpc-1\"${2:+,$2}}}"
}
# create NAME -> $GID after the job succeeded.
create() {
  api POST /server-groups "$(create_body "$1")"
  expect_eq "create $1" "$STATUS" 200
  local jid
  jid=$(field job_id)
  wait_job "$jid"
  expect_eq "create $1 job" "$(field status)" SUCCESS
  GID=$(field server_group_id)
}
admin_set() { # id json
  req PUT "/_emulator/server-groups/$1" "$2"
  expect_eq "admin set $1" "$STATUS" 200
}
vol() { printf 'd0000000-0000-4000-8000-%012d' "$1"; }
pair_body() { # group volume name [extra]
  echo "{\"replication\":{\"server_group_id\":\"$1\",\"volume_id\":\"$2\",\"name\":\"$3\"${4:+,$4}}}"
}
# make_pair GID VOLUME -> $PAIR: a real pair (POST /replications) of a free fixture disk, done.
make_pair() {
  api POST /replications "$(pair_body "$1" "$2" "pair-of-$1")"
  expect_eq "pair create for $1" "$STATUS" 200
  wait_job "$(field job_id)"
  expect_eq "pair create job for $1" "$(field status)" SUCCESS
  PAIR=$(field replication_pair_id)
}
# drop_pair PAIR: deletes it and waits (the disk is free again).
drop_pair() {
  api DELETE "/replications/$1" '{"replication":{"delete_target_volume":false}}'
  expect_eq "pair delete $1" "$STATUS" 200
  wait_job "$(field job_id)"
  expect_eq "pair delete job $1" "$(field status)" SUCCESS
}
# action GID BODY RUNNING FINAL JOBTYPE [JOBSTATUS]
action() {
  api POST "/server-groups/$1/action" "$2"
  expect_eq "action $2 accepted" "$STATUS" 200
  local jid
  jid=$(field job_id)
  expect_match "action job id" "$jid" '^[0-9a-f]{32}$'
  in_flight "status while $2 runs" "$1" "$jid" "$3" "$4"
  wait_job "$jid"
  expect_eq "job type of $2" "$(field job_type)" "$5"
  expect_eq "job status of $2" "$(field status)" "${6:-SUCCESS}"
  expect_eq "job entity of $2" "$(field server_group_id)" "$1"
  expect_eq "status after $2" "$(group_status "$1")" "$4"
}

start_emu --quiet --job-init-ms 20 --job-run-ms 50 --port-file "$TMP/port"
expect_eq "port file" "$(cat "$TMP/port")" "$PORT"

# ---- version discovery, domains, auth ----
NOTOKEN=1 req GET /
expect_eq "GET /" "$STATUS" 200
expect_match "versions body" "$BODY" '^\{"versions":\[\{"id":"v1","links":\[\{"href":"http://127\.0\.0\.1:[0-9]+/v1","rel":"self"\}\],"version":"","min_version":"","status":"CURRENT","updated":"2018-05-30T15:00:00Z"\}\]\}$'
NOTOKEN=1 req GET /v1
expect_eq "GET /v1" "$STATUS" 200
expect_match "version body" "$BODY" '^\{"version":\{"id":"v1",'
expect_match "X-Request-Id" "$HDRS" $'X-Request-Id: [0-9a-f]{32}\r'
api GET /active-domains
expect_eq "domains" "$STATUS" 200
expect_match "domain a" "$BODY" '"id":"5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11","name":"dr-domain-a","description":"[^"]*","sold_out":false,"local_replication_cluster":\{"availability_zone":"eu-de-01"\},"remote_replication_cluster":\{"availability_zone":"eu-de-02"\}'
expect_match "domain b" "$BODY" '"id":"7a1e9c3d-2b4f-4d6a-8e0c-1f3b5d7a9c2e","name":"dr-domain-b","description":"[^"]*","sold_out":true,"local_replication_cluster":\{"availability_zone":"eu-de-02"\},"remote_replication_cluster":\{"availability_zone":"eu-de-03"\}'
NOTOKEN=1 api GET /server-groups
expect_error "no token" 401 error SDRS.0002
TOK=wrong api GET /server-groups
expect_error "bad token" 401 error SDRS.0002
req GET /v1/ffffffffffffffffffffffffffffffff/server-groups
expect_error "bad project" 400 error SDRS.0001
api GET /no-such-thing
expect_eq "unknown path" "$STATUS" 404
api PATCH /server-groups '{}'
expect_eq "bad method" "$STATUS" 405

# ---- create validation ----
api POST /server-groups '{"server_group":'
expect_error "malformed json" 400 badrequest SDRS.0201
api POST /server-groups '{"name":"x"}'
expect_error "no server_group" 400 badrequest SDRS.0201
api POST /server-groups "$(create_body 'bad name')"
expect_error "name with blank" 400 badrequest SDRS.0202
api POST /server-groups "$(create_body '')"
expect_error "empty name" 400 badrequest SDRS.0202
api POST /server-groups "$(create_body "$(printf 'a%.0s' {1..65})")"
expect_error "65-byte name" 400 badrequest SDRS.0202
api POST /server-groups "$(create_body "$(printf 'a%.0s' {1..64})")"
expect_eq "64-byte name" "$STATUS" 200
api POST /server-groups "$(create_body ok '"description":"a<b"')"
expect_error "description with <" 400 badrequest SDRS.0212
api POST /server-groups "$(create_body ok "\"description\":\"$(printf 'd%.0s' {1..65})\"")"
expect_error "65-byte description" 400 badrequest SDRS.0212
api POST /server-groups '{"server_group":{"name":"ok","source_availability_zone":"eu-de-01","target_availability_zone":"eu-de-02","domain_id":"nope","source_vpc_id":"v"}}'
expect_error "unknown domain" 400 badrequest SDRS.0205
api POST /server-groups '{"server_group":{"name":"ok","source_availability_zone":"eu-de-01","target_availability_zone":"eu-de-03","domain_id":"'$DOM_A'","source_vpc_id":"v"}}'
expect_error "AZ outside domain" 400 badrequest SDRS.0203
api POST /server-groups '{"server_group":{"name":"ok","source_availability_zone":"eu-de-01","target_availability_zone":"eu-de-01","domain_id":"'$DOM_A'","source_vpc_id":"v"}}'
expect_error "same AZs" 400 badrequest SDRS.0203
api POST /server-groups '{"server_group":{"name":"ok","source_availability_zone":"eu-de-01","target_availability_zone":"eu-de-02","domain_id":"'$DOM_A'","source_vpc_id":""}}'
expect_error "empty vpc" 400 badrequest SDRS.0204
api POST /server-groups "$(create_body ok '"dr_type":"replication"')"
expect_error "bad dr_type" 400 badrequest SDRS.0201
api POST /server-groups "$(create_body ok '"server_type":"BMS"')"
expect_error "bad server_type" 400 badrequest SDRS.0201

# ---- create, job, get ----
api POST /server-groups "$(create_body pg-one '"description":"first group","dr_type":"migration","server_type":"ECS"')"
expect_eq "create" "$STATUS" 200
expect_match "create body" "$BODY" '^\{"job_id":"[0-9a-f]{32}"\}$'
JID=$(field job_id)
api GET "/jobs/$JID"
expect_match "job just created" "$BODY" "^\\{\"job_id\":\"$JID\",\"job_type\":\"createProtectionGroupNoCG\",\"status\":\"(INIT|RUNNING|SUCCESS)\",\"begin_time\":\"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z\",\"end_time\":(null|\"[^\"]+\"),\"error_code\":null,\"fail_reason\":null,\"entities\":\\{\"server_group_id\":\"[0-9a-f-]{36}\"\\}\\}$"
GID=$(field server_group_id)
expect_match "group id is a v4 UUID" "$GID" '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
in_flight "status while creating" "$GID" "$JID" creating available
wait_job "$JID"
expect_match "job done" "$BODY" '"status":"SUCCESS","begin_time":"[^"]+","end_time":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z","error_code":null,"fail_reason":null'
api GET "/server-groups/$GID"
expect_eq "get" "$STATUS" 200
expect_match "group object" "$BODY" "^\\{\"server_group\":\\{\"id\":\"$GID\",\"name\":\"pg-one\",\"description\":\"first group\",\"status\":\"available\",\"progress\":0,\"source_availability_zone\":\"eu-de-01\",\"target_availability_zone\":\"eu-de-02\",\"domain_id\":\"$DOM_A\",\"domain_name\":\"dr-domain-a\",\"priority_station\":\"source\",\"protected_instance_num\":0,\"replication_num\":0,\"disaster_recovery_drill_num\":0,\"protected_status\":null,\"replication_status\":null,\"health_status\":null,\"source_vpc_id\":\"vpc-1\",\"target_vpc_id\":\"vpc-1\",\"test_vpc_id\":null,\"dr_type\":\"migration\",\"server_type\":\"ECS\",\"created_at\":\"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}\",\"updated_at\":\"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}\",\"protection_type\":\"replication-pair\",\"replication_model\":null\\}\\}$"
api GET /server-groups/00000000-0000-4000-8000-000000000000
expect_error "get unknown group" 400 itemNotFound SDRS.1013
api GET /jobs/0123456789abcdef0123456789abcdef
expect_error "unknown job" 404 itemNotFound SDRS.0408

# ---- rename ----
api PUT "/server-groups/$GID" '{"server_group":{"name":"pg-renamed"}}'
expect_eq "rename" "$STATUS" 200
expect_eq "renamed" "$(field name)" pg-renamed
expect_eq "rename keeps description" "$(field description)" "first group"
api PUT "/server-groups/$GID" '{"server_group":{"name":"no/slash"}}'
expect_error "rename bad name" 400 badrequest SDRS.0202
api PUT "/server-groups/$GID" '{"server_group":{}}'
expect_error "rename without name" 400 badrequest SDRS.0202
api PUT /server-groups/00000000-0000-4000-8000-000000000000 '{"server_group":{"name":"x"}}'
expect_error "rename unknown group" 400 itemNotFound SDRS.1013

# ---- action body and precondition errors (group available, no replication pair) ----
api POST "/server-groups/$GID/action" '{}'
expect_error "empty action" 400 badrequest SDRS.0206
api POST "/server-groups/$GID/action" '{"start-server-group":{},"stop-server-group":{}}'
expect_error "two actions" 400 badrequest SDRS.0206
api POST "/server-groups/$GID/action" '{"explode-server-group":{}}'
expect_error "unknown action" 400 badrequest SDRS.0206
api POST "/server-groups/$GID/action" 'nope'
expect_error "malformed action" 400 badrequest SDRS.0201
api POST "/server-groups/$GID/action" '{"reverse-server-group":{"priority_station":"middle"}}'
expect_error "bad priority_station" 400 badrequest SDRS.0216
api POST "/server-groups/$GID/action" '{"reverse-server-group":{}}'
expect_error "missing priority_station" 400 badrequest SDRS.0216
api POST "/server-groups/$GID/action" '{"start-server-group":{}}'
expect_error "enable without pair" 400 error SDRS.1002
api POST "/server-groups/$GID/action" '{"stop-server-group":{}}'
expect_error "disable when available" 400 error SDRS.1019
api POST "/server-groups/$GID/action" '{"failover-server-group":{}}'
expect_error "failover when available" 400 error SDRS.1022
api POST "/server-groups/$GID/action" '{"reverse-server-group":{"priority_station":"target"}}'
expect_error "reverse when available" 400 error SDRS.1023
api POST /server-groups/00000000-0000-4000-8000-000000000000/action '{"start-server-group":{}}'
expect_error "action on unknown group" 400 itemNotFound SDRS.1013

# ---- the protection life cycle ----
req PUT "/_emulator/server-groups/$GID" '{"replication_num":1}'
expect_error "admin replication_num refused" 400 badrequest SDRS.0201
expect_match "admin replication_num refusal names the API" "$BODY" 'follows the group.s real replication pairs \(create one with POST /v1/\{project\}/replications\)'
make_pair "$GID" "$(vol 22)"
api GET "/server-groups/$GID"
expect_eq "replication_num counts the real pair" "$(field replication_num)" 1
action "$GID" '{"start-server-group":{}}' starting protected startProtectionGroupNoCG
api POST "/server-groups/$GID/action" '{"start-server-group":{}}'
expect_error "enable when protected" 400 error SDRS.1021
action "$GID" '{"reverse-server-group":{"priority_station":"target"}}' reversing protected reverseProtectionGroupNoCG
api GET "/server-groups/$GID"
expect_eq "priority after reverse" "$(field priority_station)" target
api GET "/server-groups?availability_zone=eu-de-02"
expect_eq "current AZ filter (target)" "$(field count)" 1
api GET "/server-groups?availability_zone=eu-de-01&name=pg-renamed"
expect_eq "current AZ filter (source)" "$(field count)" 0
action "$GID" '{"failover-server-group":{}}' failing-over failed-over failoverProtectionGroupNoCG
api GET "/server-groups/$GID"
expect_eq "priority after failover" "$(field priority_station)" source
api POST "/server-groups/$GID/action" '{"stop-server-group":{}}'
expect_error "disable when failed-over" 400 error SDRS.1019
action "$GID" '{"start-server-group":{}}' reprotecting protected reprotectProtectionGroupNoCG
action "$GID" '{"stop-server-group":{}}' stopping available stopProtectionGroupNoCG

# ---- delete preconditions and delete ----
api DELETE "/server-groups/$GID"
expect_error "delete with pair" 400 error SDRS.1010
drop_pair "$PAIR"
api GET "/server-groups/$GID"
expect_eq "replication_num after the pair delete" "$(field replication_num)" 0
admin_set "$GID" '{"protected_instance_num":2}'
api DELETE "/server-groups/$GID"
expect_error "delete with instances" 400 error SDRS.1001
admin_set "$GID" '{"protected_instance_num":0,"disaster_recovery_drill_num":1}'
api DELETE "/server-groups/$GID"
expect_error "delete with drill" 400 error SDRS.1003
admin_set "$GID" '{"disaster_recovery_drill_num":0,"status":"starting"}'
api DELETE "/server-groups/$GID"
expect_error "delete while starting" 400 error SDRS.1002
admin_set "$GID" '{"status":"available"}'
api DELETE "/server-groups/$GID"
expect_eq "delete" "$STATUS" 200
JID=$(field job_id)
api GET "/server-groups/$GID"
expect_match "status while deleting" "$(field status)$STATUS" '^(deleting200|400)$'
wait_job "$JID"
expect_eq "delete job type" "$(field job_type)" deleteProtectionGroupNoCG
expect_eq "delete job status" "$(field status)" SUCCESS
expect_eq "delete job entity" "$(field server_group_id)" "$GID"
api GET "/server-groups/$GID"
expect_error "deleted group is gone" 400 itemNotFound SDRS.1013

# ---- failing jobs ----
api POST /server-groups "$(create_body fail-me)"
JID=$(field job_id)
wait_job "$JID"
expect_eq "fail- job" "$(field status)" FAIL
expect_eq "fail- error_code" "$(field error_code)" SDRS.1014
expect_match "fail- fail_reason" "$(field fail_reason)" '.+'
FGID=$(field server_group_id)
expect_eq "fail- group status" "$(group_status "$FGID")" error
api GET "/server-groups?query_type=status_abnormal"
expect_eq "status_abnormal" "$(field count)" 1
api DELETE "/server-groups/$FGID"
expect_eq "delete error group" "$STATUS" 200

create pg-two
make_pair "$GID" "$(vol 22)"
admin_set "$GID" '{"status":"protected"}'
req POST /_emulator/fail-next-jobs '{"count":1,"error_code":"SDRS.1030","fail_reason":"injected"}'
expect_eq "fail-next-jobs" "$STATUS" 200
action "$GID" '{"failover-server-group":{}}' failing-over error-failing-over failoverProtectionGroupNoCG FAIL
expect_eq "injected error_code" "$(field error_code)" SDRS.1030
expect_eq "injected fail_reason" "$(field fail_reason)" injected
action "$GID" '{"failover-server-group":{}}' failing-over failed-over failoverProtectionGroupNoCG
req POST /_emulator/fail-next-jobs '{"count":1}'
action "$GID" '{"start-server-group":{}}' reprotecting error-reprotecting reprotectProtectionGroupNoCG FAIL
expect_eq "default reprotect error_code" "$(field error_code)" SDRS.1032
action "$GID" '{"start-server-group":{}}' reprotecting protected reprotectProtectionGroupNoCG
req POST /_emulator/fail-next-jobs '{"count":1}'
action "$GID" '{"reverse-server-group":{"priority_station":"source"}}' reversing error-reversing reverseProtectionGroupNoCG FAIL
action "$GID" '{"reverse-server-group":{"priority_station":"source"}}' reversing protected reverseProtectionGroupNoCG
req POST /_emulator/fail-next-jobs '{"count":1}'
action "$GID" '{"stop-server-group":{}}' stopping error-stopping stopProtectionGroupNoCG FAIL
action "$GID" '{"stop-server-group":{}}' stopping available stopProtectionGroupNoCG
req POST /_emulator/fail-next-jobs '{"count":1}'
action "$GID" '{"start-server-group":{}}' starting error-starting startProtectionGroupNoCG FAIL
action "$GID" '{"start-server-group":{}}' starting protected startProtectionGroupNoCG

# ---- list: paging and filters ----
req POST /_emulator/reset '{}'
expect_eq "reset" "$STATUS" 200
req POST /_emulator/seed-groups '{"count":25,"name_prefix":"seed-","status":"available"}'
expect_eq "seed" "$STATUS" 200
expect_eq "seed count" "$(field count)" 25
create other-pg
admin_set "$GID" '{"status":"protected","disaster_recovery_drill_num":2}'
api GET /server-groups
expect_eq "list count" "$(field count)" 26
expect_eq "list first (creation order)" "$(field name)" seed-00000
api GET "/server-groups?limit=10&offset=20"
expect_eq "page count is total" "$(field count)" 26
expect_eq "page first" "$(field name)" seed-00020
expect_eq "page size" "$(grep -o '"name":' <<<"$BODY" | wc -l)" 6
api GET "/server-groups?limit=1000"
expect_eq "limit 1000" "$STATUS" 200
api GET "/server-groups?offset=100"
expect_eq "offset past end" "$(grep -c '"name":' <<<"$BODY")" 0
for v in 0 1001 -1 abc 1.5 ''; do
  api GET "/server-groups?limit=$v"
  expect_error "limit=$v" 400 badrequest SDRS.0221
done
for v in -1 x 2.0; do
  api GET "/server-groups?offset=$v"
  expect_error "offset=$v" 400 badrequest SDRS.0222
done
api GET "/server-groups?name=seed&limit=5&offset=3"
expect_eq "filtered page count" "$(field count)" 25
expect_eq "filtered page first" "$(field name)" seed-00003
expect_eq "filtered page size" "$(grep -o '"name":' <<<"$BODY" | wc -l)" 5
api GET "/server-groups?name=d-0001"
expect_eq "name substring" "$(field count)" 10
api GET "/server-groups?status=protected"
expect_eq "status filter" "$(field count)" 1
api GET "/server-groups?query_type=stop_protected"
expect_eq "stop_protected" "$(field count)" 25
api GET "/server-groups?query_type=period_no_dr_drill"
expect_eq "period_no_dr_drill" "$(field count)" 25
api GET "/server-groups?query_type=general"
expect_eq "general" "$(field count)" 26
api GET "/server-groups?query_type=weird"
expect_error "bad query_type" 400 badrequest SDRS.0201

# ---- admin ----
req GET /_emulator/stats
expect_match "stats" "$BODY" '^\{"requests":[0-9]+,"api_requests":[0-9]+,"groups":26,"jobs":1,"seeded_jobs":0,"creates":1,"connections":[0-9]+,"iam_token_requests":0,"auth_failures":0,"protected_instances":0,"replications":0,"failure_jobs":0,"worker_threads":[0-9]+\}$'
req POST /_emulator/config '{"job_init_ms":0,"job_run_ms":0}'
expect_eq "config" "$BODY" '{"job_init_ms":0,"job_run_ms":0,"job_run_spread_ms":0,"token_lifetime_ms":86400000}'
api POST /server-groups "$(create_body instant)"
JID=$(field job_id)
api GET "/jobs/$JID"
expect_eq "zero-duration job" "$(field status)" SUCCESS
req PUT /_emulator/server-groups/00000000-0000-4000-8000-000000000000 '{"status":"x"}'
expect_eq "admin unknown group" "$STATUS" 404

# Deterministic INIT and RUNNING: durations long enough that no machine is that slow.
req POST /_emulator/config '{"job_init_ms":600000}'
api POST /server-groups "$(create_body slow-init)"
JID=$(field job_id)
api GET "/jobs/$JID"
expect_match "INIT job" "$BODY" '"status":"INIT","begin_time":"[^"]+","end_time":null,"error_code":null,"fail_reason":null'
expect_eq "group while INIT" "$(group_status "$(field server_group_id)")" creating
req POST /_emulator/config '{"job_init_ms":0,"job_run_ms":600000}'
api POST /server-groups "$(create_body slow-run)"
JID=$(field job_id)
api GET "/jobs/$JID"
expect_match "RUNNING job" "$BODY" '"status":"RUNNING","begin_time":"[^"]+","end_time":null,"error_code":null,"fail_reason":null'
SGID=$(field server_group_id)
expect_eq "group while RUNNING" "$(group_status "$SGID")" creating
api DELETE "/server-groups/$SGID"
expect_error "delete while creating" 400 error SDRS.1002
api POST "/server-groups/$SGID/action" '{"start-server-group":{}}'
expect_error "enable while creating" 400 error SDRS.1021

# ---- protected instances, replication pairs, tags (spec-more 1-4, 6, 9, 10) ----
start_emu --quiet --job-init-ms 5 --job-run-ms 30
VPC_A=a0000000-0000-4000-8000-00000000000a
srv() { printf '5e000000-0000-4000-8000-%012d' "$1"; }
UUID_RE='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
# create_group NAME [VPC] -> $GID (available)
create_group() {
  api POST /server-groups "{\"server_group\":{\"name\":\"$1\",\"source_availability_zone\":\"eu-de-01\",\"target_availability_zone\":\"eu-de-02\",\"domain_id\":\"$DOM_A\",\"source_vpc_id\":\"${2:-$VPC_A}\"}}"
  local jid
  jid=$(field job_id)
  wait_job "$jid"
  GID=$(field server_group_id)
}
# job_done DESC JOBTYPE [STATUS]: waits for the job in $BODY; leaves the final job in $BODY.
job_done() {
  expect_eq "$1 (http)" "$STATUS" 200
  local jid
  jid=$(field job_id)
  wait_job "$jid"
  expect_eq "$1 (job type)" "$(field job_type)" "$2"
  expect_eq "$1 (job status)" "$(field status)" "${3:-SUCCESS}"
}
pi_body() { # group server name [extra members]
  echo "{\"protected_instance\":{\"server_group_id\":\"$1\",\"server_id\":\"$2\",\"name\":\"$3\"${4:+,$4}}}"
}
inst_field() { # id field
  api GET "/protected-instances/$1"
  field "$2"
}
pair_field() { # id field
  api GET "/replications/$1"
  field "$2"
}
count_of() { grep -o "$1" <<<"$BODY" | wc -l | tr -d ' '; }

req GET /_emulator/servers
expect_eq "fixture servers" "$(count_of '"role":')" 11
expect_match "fixture app-1" "$BODY" "\"id\":\"$(srv 1)\",\"name\":\"app-1\",\"status\":\"ACTIVE\",\"availability_zone\":\"eu-de-01\",\"vpc_id\":\"$VPC_A\",\"flavor\":\"s3.large.2\",\"role\":\"production\",\"protected_instance_id\":null,\"volumes\":\\[\\{\"volume_id\":\"$(vol 1)\",\"device\":\"/dev/vda\"\\},\\{\"volume_id\":\"$(vol 2)\",\"device\":\"/dev/vdb\"\\}\\],\"nics\":\\[\\]"
req GET /_emulator/volumes
expect_eq "fixture volumes" "$(count_of '"role":')" 24
expect_match "fixture shared-1" "$BODY" "\"id\":\"$(vol 20)\",\"name\":\"shared-1\",\"size\":100,\"volume_type\":\"SSD\",\"availability_zone\":\"eu-de-01\",\"status\":\"available\",\"bootable\":false,\"multiattach\":true,\"encrypted\":false,\"role\":\"production\",\"replication_id\":null,\"attachments\":\\[\\]"

create_group dr-one
G1=$GID

# Literal segments sit where an instance id goes; none may be taken as an id (spec-more 1).
api GET /protected-instances/tags
expect_eq "project tags" "$STATUS $BODY" '200 {"tags":[]}'
api PUT /protected-instances/tags '{}'
expect_eq "PUT literal tags" "$STATUS" 405
api DELETE /protected-instances/tags
expect_eq "DELETE literal tags" "$STATUS" 405
api POST /protected-instances/resource_instances/action '{"action":"count"}'
expect_eq "tag query count" "$STATUS $BODY" '200 {"total_count":0}'
api GET /protected-instances/resource_instances/action
expect_eq "GET tag query" "$STATUS" 405
api GET /protected-instances/resource_instances
expect_eq "resource_instances alone" "$STATUS" 404
for lit in batch delete; do
  api POST "/protected-instances/$lit" '{}'
  expect_error "POST $lit (CH only)" 404 error APIGW.0101
  api GET "/protected-instances/$lit"
  expect_eq "GET literal $lit" "$STATUS" 405
  api DELETE "/protected-instances/$lit"
  expect_eq "DELETE literal $lit" "$STATUS" 405
done

# ---- protected instance create: validation, then every precondition ----
api POST /protected-instances '{"protected_instance":'
expect_error "pi malformed" 400 badrequest SDRS.0201
api POST /protected-instances '{"name":"x"}'
expect_error "pi no wrapper" 400 badrequest SDRS.0201
api POST /protected-instances "{\"protected_instance\":{\"server_id\":\"$(srv 1)\",\"name\":\"a\"}}"
expect_error "pi no group" 400 badrequest SDRS.0207
api POST /protected-instances "{\"protected_instance\":{\"server_group_id\":\"$G1\",\"name\":\"a\"}}"
expect_error "pi no server" 400 badrequest SDRS.0210
api POST /protected-instances "$(pi_body "$G1" "$(srv 1)" 'bad name')"
expect_error "pi bad name" 400 badrequest SDRS.0202
api POST /protected-instances "$(pi_body "$G1" "$(srv 1)" a '"description":"<b>"')"
expect_error "pi bad description" 400 badrequest SDRS.0212
api POST /protected-instances "$(pi_body "$G1" "$(srv 1)" a '"primary_subnet_id":"net-1","primary_ip_address":"10.0.0.256"')"
expect_error "pi bad IP" 400 badrequest SDRS.0219
api POST /protected-instances "$(pi_body "$G1" "$(srv 1)" a '"flavorRef":""')"
expect_error "pi empty flavorRef" 400 badrequest SDRS.0201
ELEVEN=$(for i in $(seq 1 11); do printf '{"key":"k%d","value":"v"},' "$i"; done)
api POST /protected-instances "$(pi_body "$G1" "$(srv 1)" a "\"tags\":[${ELEVEN%,}]")"
expect_error "pi 11 tags" 400 badrequest SDRS.2203
api POST /protected-instances "$(pi_body "$G1" "$(srv 1)" a '"tags":[{"key":"","value":"v"}]')"
expect_error "pi empty tag key" 400 badrequest SDRS.2205
api POST /protected-instances "$(pi_body "$G1" "$(srv 1)" a '"tags":[{"key":"a=b","value":"v"}]')"
expect_error "pi bad tag key" 400 badrequest SDRS.2204
api POST /protected-instances "$(pi_body "$G1" "$(srv 1)" a '"tags":[{"key":"k","value":null}]')"
expect_error "pi null tag value" 400 badrequest SDRS.2208
api POST /protected-instances "$(pi_body "$G1" "$(srv 1)" a '"tags":[{"key":"k","value":"a/b"}]')"
expect_error "pi bad tag value" 400 badrequest SDRS.2207
api POST /protected-instances "$(pi_body "$G1" "$(srv 1)" a '"tags":[{"key":"k","value":"1"},{"key":"k","value":"2"}]')"
expect_error "pi duplicate tag keys" 400 badrequest SDRS.2209
api POST /protected-instances "$(pi_body 00000000-0000-4000-8000-000000000000 "$(srv 1)" a)"
expect_error "pi unknown group" 400 itemNotFound SDRS.1013
api POST /protected-instances "$(pi_body "$G1" 5e000000-0000-4000-8000-999999999999 a)"
expect_error "pi unknown server" 400 itemNotFound SDRS.1326
api POST /protected-instances "$(pi_body "$G1" "$(srv 7)" a)"
expect_error "pi other VPC" 400 badrequest SDRS.1304
api POST /protected-instances "$(pi_body "$G1" "$(srv 6)" a)"
expect_error "pi wrong AZ" 400 badrequest SDRS.1303
api POST /protected-instances "$(pi_body "$G1" "$(srv 8)" a)"
expect_error "pi ERROR server" 400 error SDRS.1333
api POST /protected-instances "$(pi_body "$G1" "$(srv 11)" a)"
expect_error "pi diskless server" 400 error SDRS.1321
api POST /protected-instances "$(pi_body "$G1" "$(srv 10)" a)"
expect_error "pi no system disk" 400 error SDRS.1339
api POST /protected-instances "$(pi_body "$G1" "$(srv 9)" a)"
expect_error "pi shared disk attached" 400 badrequest SDRS.1806
create_group dr-closed
GX=$GID
admin_set "$GX" '{"status":"failed-over"}'
api POST /protected-instances "$(pi_body "$GX" "$(srv 1)" a)"
expect_error "pi group failed-over" 400 error SDRS.1323

# ---- create with every field; the job builds the DR server, DR disks and attached pairs ----
api POST /protected-instances "$(pi_body "$G1" "$(srv 1)" pi-one '"description":"first","primary_subnet_id":"net-1","primary_ip_address":"10.0.0.15","flavorRef":"s3.xlarge.2","tags":[{"key":"env","value":"prod"}]')"
expect_eq "pi create" "$STATUS" 200
JID=$(field job_id)
api GET "/jobs/$JID"
expect_match "pi create job entities" "$BODY" "\"entities\":\\{\"server_group_id\":\"$G1\",\"protected_instance_id\":\"$UUID_RE\",\"native_server_id\":\"$UUID_RE\"\\}"
PI1=$(field protected_instance_id)
DR1=$(field native_server_id)
st=$(inst_field "$PI1" status)
api GET "/jobs/$JID"
[[ "$(field status)" =~ INIT|RUNNING ]] && expect_eq "pi creating" "$st" creating
wait_job "$JID"
expect_eq "pi create job type" "$(field job_type)" createProtectedInstanceNoCG
expect_eq "pi create job" "$(field status)" SUCCESS
api GET "/protected-instances/$PI1"
TS='[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}'
expect_match "pi object" "$BODY" "^\\{\"protected_instance\":\\{\"id\":\"$PI1\",\"name\":\"pi-one\",\"description\":\"first\",\"server_group_id\":\"$G1\",\"status\":\"available\",\"progress\":0,\"source_server\":\"$(srv 1)\",\"target_server\":\"$DR1\",\"created_at\":\"$TS\\.[0-9]{3}\",\"updated_at\":\"$TS\\.[0-9]{3}\",\"priority_station\":\"source\",\"attachment\":\\[\\{\"replication\":\"$UUID_RE\",\"device\":\"/dev/vda\"\\},\\{\"replication\":\"$UUID_RE\",\"device\":\"/dev/vdb\"\\}\\],\"tags\":\\[\\{\"key\":\"env\",\"value\":\"prod\"\\}\\],\"metadata\":\\{\\}\\}\\}$"
P1A=$(grep -o '"replication":"[^"]*","device":"/dev/vda"' <<<"$BODY" | cut -d'"' -f4)
P1B=$(grep -o '"replication":"[^"]*","device":"/dev/vdb"' <<<"$BODY" | cut -d'"' -f4)
api GET "/server-groups/$G1"
expect_eq "group instance counter" "$(field protected_instance_num)" 1
expect_eq "group pair counter" "$(field replication_num)" 2
req GET /_emulator/servers
expect_match "DR server" "$BODY" "\"id\":\"$DR1\",\"name\":\"app-1\",\"status\":\"SHUTOFF\",\"availability_zone\":\"eu-de-02\",\"vpc_id\":\"$VPC_A\",\"flavor\":\"s3.xlarge.2\",\"role\":\"dr\",\"protected_instance_id\":\"$PI1\",\"volumes\":\\[\\{\"volume_id\":\"$UUID_RE\",\"device\":\"/dev/vda\"\\},\\{\"volume_id\":\"$UUID_RE\",\"device\":\"/dev/vdb\"\\}\\],\"nics\":\\[\\{\"id\":\"$UUID_RE\",\"subnet_id\":\"net-1\",\"ip_address\":\"10.0.0.15\",\"primary\":true\\}\\]"
PRIMARY_NIC=$(grep -o "\"nics\":\\[{\"id\":\"[^\"]*\",\"subnet_id\":\"net-1\"" <<<"$BODY" | cut -d'"' -f6)
api GET "/replications/$P1A"
expect_match "pair object" "$BODY" "^\\{\"replication\":\\{\"id\":\"$P1A\",\"name\":\"pi-one-vda\",\"description\":null,\"replication_model\":\"hypermetro\",\"status\":\"available\",\"progress\":0,\"replication_status\":\"inactive\",\"attachment\":\\[\\{\"protected_instance\":\"$PI1\",\"device\":\"/dev/vda\"\\}\\],\"server_group_id\":\"$G1\",\"volume_ids\":\"$(vol 1),$UUID_RE\",\"priority_station\":\"source\",\"fault_level\":\"0\",\"created_at\":\"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}\",\"updated_at\":\"[^\"]+\",\"record_metadata\":\\{\"multiattach\":false,\"bootable\":true,\"volume_size\":40,\"volume_type\":\"SSD\"\\},\"failure_detail\":null\\}\\}$"
req POST /_emulator/config '{"volume_size_as_string":true}'
api GET "/replications/$P1B"
expect_match "volume_size as a string" "$BODY" '"volume_size":"100"'
req POST /_emulator/config '{"volume_size_as_string":false}'
api POST /protected-instances "$(pi_body "$G1" "$(srv 1)" again)"
expect_error "pi server already protected" 400 error SDRS.1305
api POST /protected-instances "$(pi_body "$G1" "$DR1" again)"
expect_error "pi DR server" 400 error SDRS.1305

# ---- get, rename ----
api GET /protected-instances/00000000-0000-4000-8000-000000000000
expect_error "pi get unknown" 400 itemNotFound SDRS.1320
api PUT "/protected-instances/$PI1" '{"protected_instance":{"name":"pi-one-renamed"}}'
expect_eq "pi rename" "$STATUS" 200
expect_eq "pi renamed" "$(field name)" pi-one-renamed
expect_match "pi rename time .S" "$BODY" "\"updated_at\":\"$TS\\.[0-9]\","
api PUT "/protected-instances/$PI1" '{"protected_instance":{"name":"a b"}}'
expect_error "pi rename bad name" 400 badrequest SDRS.0202
api PUT "/protected-instances/$PI1" '{"name":"x"}'
expect_error "pi rename no wrapper" 400 badrequest SDRS.0201
api PUT /protected-instances/00000000-0000-4000-8000-000000000000 '{"protected_instance":{"name":"x"}}'
expect_error "pi rename unknown" 400 itemNotFound SDRS.1320

# ---- a second instance (three disks), a second group ----
api POST /protected-instances "$(pi_body "$G1" "$(srv 2)" pi-two)"
job_done "pi-two create" createProtectedInstanceNoCG
PI2=$(field protected_instance_id)
create_group dr-two
G2=$GID
api POST /protected-instances "$(pi_body "$G2" "$(srv 3)" pi-three)"
job_done "pi-three create" createProtectedInstanceNoCG
PI3=$(field protected_instance_id)

# ---- list filters ----
api GET /protected-instances
expect_eq "pi list all" "$(field count)" 3
api GET "/protected-instances?server_group_id=$G1"
expect_eq "pi list by group" "$(field count)" 2
for enc in "%5B%22$G2%22%5D" "%5B%27$G2%27%5D" "%5B$G2%5D" "$G2"; do
  api GET "/protected-instances?server_group_ids=$enc"
  expect_eq "pi list server_group_ids=$enc" "$(field count)" 1
done
api GET "/protected-instances?server_group_ids=%5B%22$G1%22,%22$G2%22%5D"
expect_eq "pi list two groups" "$(field count)" 3
api GET "/protected-instances?server_group_ids=$G1&server_group_ids=$G2"
expect_eq "pi list repeated key" "$(field count)" 3
api GET "/protected-instances?server_group_ids=%5B%22$G2%22%5D&server_group_id=$G1"
expect_eq "server_group_ids overrides server_group_id" "$(field count)" 1
api GET "/protected-instances?protected_instance_ids=%5B%22$PI1%22,%22$PI3%22%5D"
expect_eq "pi list by ids" "$(field count)" 2
api GET "/protected-instances?protected_instance_ids=%5B%22$PI1%22%5D&server_group_id=$G2"
expect_eq "instance ids ignored with a group" "$(field count)" 1
api GET "/protected-instances?name=pi-t"
expect_eq "pi list name" "$(field count)" 2
api GET "/protected-instances?status=available&limit=1&offset=1"
expect_eq "pi list page count" "$(field count)" 3
expect_eq "pi list page size" "$(count_of '"source_server":')" 1
api GET "/protected-instances?availability_zone=eu-de-01"
expect_eq "pi list AZ" "$(field count)" 3
api GET "/protected-instances?availability_zone=eu-de-02"
expect_eq "pi list other AZ" "$(field count)" 0
api GET "/protected-instances?query_type=status_abnormal"
expect_eq "pi list abnormal" "$(field count)" 0
api GET "/protected-instances?query_type=odd"
expect_error "pi bad query_type" 400 badrequest SDRS.0201
api GET "/protected-instances?limit=0"
expect_error "pi limit=0" 400 badrequest SDRS.0221
api GET "/protected-instances?offset=-1"
expect_error "pi offset=-1" 400 badrequest SDRS.0222
IDS31=$(for i in $(seq 1 31); do printf '%%22id%d%%22,' "$i"; done)
api GET "/protected-instances?server_group_ids=%5B${IDS31%,}%5D"
expect_error "31 ids" 400 badrequest SDRS.0226
api GET "/protected-instances?server_group_ids=%5B%22a%22"
expect_error "unclosed id list" 400 badrequest SDRS.0201

# ---- replication pair create: validation, preconditions ----
api POST /replications '{"replication":1}'
expect_error "pair no wrapper" 400 badrequest SDRS.0201
api POST /replications "{\"replication\":{\"volume_id\":\"$(vol 20)\",\"name\":\"p\"}}"
expect_error "pair no group" 400 badrequest SDRS.0207
api POST /replications "{\"replication\":{\"server_group_id\":\"$G1\",\"name\":\"p\"}}"
expect_error "pair no volume" 400 badrequest SDRS.0211
api POST /replications "$(pair_body "$G1" "$(vol 20)" 'p q')"
expect_error "pair bad name" 400 badrequest SDRS.0202
api POST /replications "$(pair_body "$G1" "$(vol 20)" p '"description":"a>b"')"
expect_error "pair bad description" 400 badrequest SDRS.0212
api POST /replications "$(pair_body 00000000-0000-4000-8000-000000000000 "$(vol 20)" p)"
expect_error "pair unknown group" 400 itemNotFound SDRS.1013
api POST /replications "$(pair_body "$G1" d0000000-0000-4000-8000-999999999999 p)"
expect_error "pair unknown volume" 400 itemNotFound SDRS.0211
api POST /replications "$(pair_body "$G1" "$(vol 25)" p)"
expect_error "pair encrypted disk" 400 badrequest SDRS.1802
api POST /replications "$(pair_body "$G1" "$(vol 24)" p)"
expect_error "pair disk in other AZ" 400 badrequest SDRS.1810
api POST /replications "$(pair_body "$G1" "$(vol 2)" p)"
expect_error "pair disk already paired" 400 error SDRS.1811
api POST /replications "$(pair_body "$G1" "$(vol 16)" p)"
expect_error "pair disk in use" 400 error SDRS.1801
api POST /replications "$(pair_body "$G1" "$(vol 26)" p)"
expect_error "pair disk in error" 400 error SDRS.1801
api POST /replications "$(pair_body "$GX" "$(vol 20)" p)"
expect_error "pair group failed-over" 400 error SDRS.1024

api POST /replications "$(pair_body "$G1" "$(vol 20)" shared-pair '"description":"cluster disk","cluster_id":"pool-1"')"
expect_eq "pair create" "$STATUS" 200
JID=$(field job_id)
api GET "/jobs/$JID"
expect_match "pair job entities" "$BODY" "\"entities\":\\{\"server_group_id\":\"$G1\",\"replication_pair_id\":\"$UUID_RE\",\"volume_ids\":\"$(vol 20),$UUID_RE\"\\}"
PS=$(field replication_pair_id)
wait_job "$JID"
expect_eq "pair create job type" "$(field job_type)" createReplicationPairNoCG
expect_eq "pair create job" "$(field status)" SUCCESS
api GET "/replications/$PS"
expect_match "shared pair" "$BODY" '"status":"available","progress":0,"replication_status":"inactive","attachment":\[\],'
expect_match "shared pair metadata" "$BODY" '"record_metadata":\{"multiattach":true,"bootable":false,"volume_size":100,"volume_type":"SSD"\}'
api POST /replications "$(pair_body "$G2" "$(vol 22)" data-pair)"
job_done "pair in G2" createReplicationPairNoCG
PD=$(field replication_pair_id)
api GET "/server-groups/$G1"
expect_eq "G1 pairs (2 + 3 + shared)" "$(field replication_num)" 6

# ---- pair list, get, rename ----
api GET "/replications?server_group_id=$G1"
expect_eq "pairs of G1" "$(field count)" 6
api GET "/replications?protected_instance_id=$PI2"
expect_eq "pairs of pi-two" "$(field count)" 3
api GET "/replications?protected_instance_ids=%5B%22$PI1%22,%22$PI3%22%5D"
expect_eq "pairs of two instances" "$(field count)" 4
api GET "/replications?server_group_ids=%5B%27$G2%27%5D&name=data"
expect_eq "pairs by group list and name" "$(field count)" 1
api GET "/replications?volume_id=$(vol 22)"
expect_eq "pairs by volume" "$(field count)" 1
api GET "/replications?limit=1001"
expect_error "pairs limit=1001" 400 badrequest SDRS.0221
api GET /replications/00000000-0000-4000-8000-000000000000
expect_error "pair get unknown" 400 itemNotFound SDRS.1608
api PUT "/replications/$PS" '{"replication":{"name":"shared-renamed"}}'
expect_eq "pair rename" "$(field name)" shared-renamed
api PUT "/replications/$PS" '{"replication":{"name":""}}'
expect_error "pair rename bad name" 400 badrequest SDRS.0202

# ---- attach ----
api POST "/protected-instances/$PI1/attachreplication" "{\"replication_id\":\"$PS\",\"device\":\"/dev/vdc\"}"
expect_error "attach no wrapper" 400 badrequest SDRS.0201
api POST "/protected-instances/$PI1/attachreplication" '{"replicationAttachment":{"device":"/dev/vdc"}}'
expect_error "attach no pair" 400 badrequest SDRS.0213
api POST "/protected-instances/$PI1/attachreplication" "{\"replicationAttachment\":{\"replication_id\":\"$PS\",\"device\":\"vdc\"}}"
expect_error "attach bad device" 400 badrequest SDRS.0201
api POST /protected-instances/00000000-0000-4000-8000-000000000000/attachreplication "{\"replicationAttachment\":{\"replication_id\":\"$PS\",\"device\":\"/dev/vdc\"}}"
expect_error "attach unknown instance" 400 itemNotFound SDRS.1320
api POST "/protected-instances/$PI1/attachreplication" '{"replicationAttachment":{"replication_id":"nope","device":"/dev/vdc"}}'
expect_error "attach unknown pair" 400 itemNotFound SDRS.1608
api POST "/protected-instances/$PI1/attachreplication" "{\"replicationAttachment\":{\"replication_id\":\"$PD\",\"device\":\"/dev/vdc\"}}"
expect_error "attach pair of another group" 400 badrequest SDRS.1611
api POST "/protected-instances/$PI1/attachreplication" "{\"replicationAttachment\":{\"replication_id\":\"$PS\",\"device\":\"/dev/vdb\"}}"
expect_error "attach device in use" 400 error SDRS.1603
api POST "/protected-instances/$PI2/attachreplication" "{\"replicationAttachment\":{\"replication_id\":\"$P1B\",\"device\":\"/dev/vdf\"}}"
expect_error "attach non-shared pair attached elsewhere" 400 error SDRS.1603
api POST "/protected-instances/$PI1/attachreplication" "{\"replicationAttachment\":{\"replication_id\":\"$P1B\",\"device\":\"/dev/vdf\"}}"
expect_error "attach pair attached here" 400 error SDRS.1605
api POST "/protected-instances/$PI1/attachreplication" "{\"replicationAttachment\":{\"replication_id\":\"$PS\",\"device\":\"/dev/sdc\"}}"
expect_eq "attach" "$STATUS" 200
JID=$(field job_id)
st=$(pair_field "$PS" status)
api GET "/jobs/$JID"
[[ "$(field status)" =~ INIT|RUNNING ]] && expect_eq "pair attaching" "$st" attaching
expect_match "attach job entities" "$BODY" "\"entities\":\\{\"server_group_id\":\"$G1\",\"protected_instance_id\":\"$PI1\",\"replication_pair_id\":\"$PS\"\\}"
wait_job "$JID"
expect_eq "attach job" "$(field job_type) $(field status)" "attachReplicationPairNew SUCCESS"
api GET "/protected-instances/$PI1"
expect_match "attached, sd renamed to vd" "$BODY" "\\{\"replication\":\"$PS\",\"device\":\"/dev/vdc\"\\}"
api POST "/protected-instances/$PI2/attachreplication" "{\"replicationAttachment\":{\"replication_id\":\"$PS\",\"device\":\"/dev/vdd\"}}"
job_done "attach shared pair to a second instance" attachReplicationPairNew
api GET "/replications/$PS"
expect_match "shared pair attached twice" "$BODY" "\"attachment\":\\[\\{\"protected_instance\":\"$PI1\",\"device\":\"/dev/vdc\"\\},\\{\"protected_instance\":\"$PI2\",\"device\":\"/dev/vdd\"\\}\\]"
expect_eq "shared pair back to available" "$(field status)" available
req GET /_emulator/volumes
expect_match "shared disk on both servers" "$BODY" "\"id\":\"$(vol 20)\",[^}]*\"status\":\"in-use\""

# ---- detach ----
api DELETE "/protected-instances/$PI2/detachreplication/nope"
expect_error "detach unknown pair" 400 itemNotFound SDRS.1608
api DELETE "/protected-instances/$PI2/detachreplication/$P1A"
expect_error "detach pair not attached here" 400 error SDRS.1604
P2A=$(pair_field "$(api GET "/replications?protected_instance_id=$PI2&name=vda"; grep -o '"id":"[^"]*"' <<<"$BODY" | head -1 | cut -d'"' -f4)" id)
api DELETE "/protected-instances/$PI2/detachreplication/$P2A"
expect_error "detach system disk of a running server" 400 error SDRS.1316
api DELETE "/protected-instances/$PI2/detachreplication/$PS"
job_done "detach" detachReplicationPairNew
api GET "/replications/$PS"
expect_match "detached from pi-two" "$BODY" "\"attachment\":\\[\\{\"protected_instance\":\"$PI1\",\"device\":\"/dev/vdc\"\\}\\]"
req PUT "/_emulator/servers/$(srv 2)" '{"status":"SHUTOFF"}'
expect_eq "admin stop server" "$STATUS" 200
api DELETE "/protected-instances/$PI2/detachreplication/$P2A"
job_done "detach system disk of a stopped server" detachReplicationPairNew
req PUT "/_emulator/servers/$(srv 2)" '{"status":"ACTIVE"}'
api POST "/protected-instances/$PI2/attachreplication" "{\"replicationAttachment\":{\"replication_id\":\"$P2A\",\"device\":\"/dev/vda\"}}"
job_done "re-attach system disk" attachReplicationPairNew

# ---- NICs ----
api POST "/protected-instances/$PI1/nic" '{"security_groups":[{"id":"sg-1"}]}'
expect_error "nic no subnet" 400 badrequest SDRS.0201
api POST "/protected-instances/$PI1/nic" '{"subnet_id":"net-2","ip_address":"10.1.2"}'
expect_error "nic bad ip" 400 badrequest SDRS.0219
api POST "/protected-instances/$PI1/nic" '{"subnet_id":"net-2","security_groups":[{}]}'
expect_error "nic bad security group" 400 badrequest SDRS.0201
api POST "/protected-instances/$PI1/nic" '{"subnet_id":"net-1","ip_address":"10.0.0.15"}'
expect_error "nic ip in use" 400 badrequest SDRS.1334
api POST "/protected-instances/$PI1/nic" '{"subnet_id":"net-2","security_groups":[{"id":"sg-1"}],"ip_address":"10.0.2.40"}'
expect_eq "nic add" "$STATUS" 200
JID=$(field job_id)
st=$(inst_field "$PI1" status)
api GET "/jobs/$JID"
[[ "$(field status)" =~ INIT|RUNNING ]] && expect_eq "nic-creating" "$st" nic-creating
NIC=$(field nic_id)
wait_job "$JID"
expect_eq "nic add job" "$(field job_type) $(field status)" "addNicNew SUCCESS"
expect_eq "after nic add" "$(inst_field "$PI1" status)" available
req GET /_emulator/servers
expect_match "nic listed" "$BODY" "\\{\"id\":\"$NIC\",\"subnet_id\":\"net-2\",\"ip_address\":\"10.0.2.40\",\"primary\":false\\}"
api POST "/protected-instances/$PI1/nic/delete" '{}'
expect_error "nic delete no id" 400 badrequest SDRS.0223
api POST "/protected-instances/$PI1/nic/delete" '{"nic_id":"nope"}'
expect_error "nic delete unknown" 400 itemNotFound SDRS.1310
api POST "/protected-instances/$PI1/nic/delete" "{\"nic_id\":\"$PRIMARY_NIC\"}"
expect_error "nic delete primary" 400 badrequest SDRS.1311
api GET "/protected-instances/$PI1/nic/delete"
expect_eq "GET nic/delete" "$STATUS" 405
api POST "/protected-instances/$PI1/nic/delete" "{\"nic_id\":\"$NIC\"}"
job_done "nic delete" deleteNicNew
req GET /_emulator/servers
expect_eq "nic gone" "$(count_of "$NIC")" 0

# ---- resize ----
api POST "/protected-instances/$PI1/resize" '{"flavorRef":"s3.xlarge.2"}'
expect_error "resize no wrapper" 400 badrequest SDRS.0201
api POST "/protected-instances/$PI1/resize" '{"resize":{}}'
expect_error "resize nothing" 400 badrequest SDRS.0201
api POST "/protected-instances/$PI1/resize" '{"resize":{"production_flavorRef":"s3.large.2","dr_flavorRef":"s3.xlarge.2"}}'
expect_error "resize same flavor" 400 badrequest SDRS.1341
api POST "/protected-instances/$PI1/resize" '{"resize":{"production_flavorRef":"s3.2xlarge.2"}}'
expect_error "resize running production server" 400 error SDRS.1352
req PUT "/_emulator/servers/$DR1" '{"status":"ACTIVE"}'
api POST "/protected-instances/$PI1/resize" '{"resize":{"dr_flavorRef":"s3.2xlarge.2"}}'
expect_error "resize running DR server" 400 error SDRS.1342
req PUT "/_emulator/servers/$DR1" '{"status":"SHUTOFF"}'
api POST "/protected-instances/$PI1/resize" '{"resize":{"flavorRef":"s3.2xlarge.2","dr_flavorRef":"ignored"}}'
expect_error "resize flavorRef wins (production running)" 400 error SDRS.1352
api POST "/protected-instances/$PI1/resize" '{"resize":{"dr_flavorRef":"s3.2xlarge.2"}}'
job_done "resize" resizeProtectedInstanceNew
req GET /_emulator/servers
expect_match "DR flavor changed" "$BODY" "\"id\":\"$DR1\",[^}]*\"flavor\":\"s3.2xlarge.2\""

# ---- expand ----
api POST "/replications/$PD/action" '{"extend-replication":{"new_size":30},"x":{}}'
expect_error "expand two keys" 400 badrequest SDRS.0206
api POST "/replications/$PD/action" '{"extend-replication":{}}'
expect_error "expand no size" 400 badrequest SDRS.0201
api POST "/replications/$PD/action" '{"extend-replication":{"new_size":20}}'
expect_error "expand not larger" 400 badrequest SDRS.0201
api POST "/replications/$PS/action" '{"extend-replication":{"new_size":200}}'
expect_error "expand shared disk in use" 400 error SDRS.1818
api POST /replications/nope/action '{"extend-replication":{"new_size":200}}'
expect_error "expand unknown" 400 itemNotFound SDRS.1608
api POST "/replications/$PD/action" '{"extend-replication":{"new_size":30.7}}'
job_done "expand" expandReplicationPairNew
expect_eq "expand job entity" "$(field replication_pair_id)" "$PD"
api GET "/replications/$PD"
expect_match "expanded (fraction truncated)" "$BODY" '"volume_size":30,'

# ---- the group drives its instances and pairs ----
api POST "/server-groups/$G1/action" '{"start-server-group":{}}'
JID=$(field job_id)
s1=$(inst_field "$PI1" status)
s2=$(pair_field "$PS" status)
api GET "/jobs/$JID"
if [[ "$(field status)" =~ INIT|RUNNING ]]; then
  expect_eq "instance while starting" "$s1" starting
  expect_eq "pair while starting" "$s2" starting
fi
wait_job "$JID"
expect_eq "enable" "$(field status)" SUCCESS
api GET "/protected-instances/$PI1"
expect_match "instance protected" "$BODY" '"status":"protected","progress":100,'
api GET "/replications/$PS"
expect_match "pair protected" "$BODY" '"status":"protected","progress":100,"replication_status":"active",'
api POST /protected-instances "$(pi_body "$G1" "$(srv 4)" pi-four)"
job_done "create in a protected group" createProtectedInstanceNoCG
PI4=$(field protected_instance_id)
expect_eq "new instance protected" "$(inst_field "$PI4" status)" protected
api POST "/server-groups/$G1/action" '{"failover-server-group":{}}'
job_done "failover" failoverProtectionGroupNoCG
api GET "/protected-instances/$PI1"
expect_match "instance failed over" "$BODY" '"status":"failed-over",'
expect_eq "instance priority_station" "$(field priority_station)" target
api GET "/replications/$PS"
expect_match "pair failed over" "$BODY" '"status":"failed-over","progress":0,"replication_status":"active-stopped",'
req GET /_emulator/servers
expect_match "DR server started by failover" "$BODY" "\"id\":\"$DR1\",\"name\":\"app-1\",\"status\":\"ACTIVE\""
api POST "/protected-instances/$PI1/attachreplication" "{\"replicationAttachment\":{\"replication_id\":\"$PS\",\"device\":\"/dev/vdh\"}}"
expect_error "attach while failed-over" 400 error SDRS.1024
api POST /replications "$(pair_body "$G1" "$(vol 21)" p)"
expect_error "pair create while failed-over" 400 error SDRS.1024
api POST "/protected-instances/$PI1/nic" '{"subnet_id":"net-2"}'
expect_error "nic while failed-over" 400 error SDRS.1024
api DELETE "/protected-instances/$PI1" '{"delete_target_server":true}'
expect_error "delete DR server after failover" 400 error SDRS.1330
api DELETE "/protected-instances/$PI1" '{"delete_target_eip":true}'
expect_error "delete DR EIP after failover" 400 error SDRS.1338
api DELETE "/replications/$PD" '{"replication":{"delete_target_volume":true}}'
expect_eq "pair delete in other group is fine" "$STATUS" 200
wait_job "$(field job_id)"
api POST "/server-groups/$G1/action" '{"start-server-group":{}}'
job_done "re-protect" reprotectProtectionGroupNoCG
expect_eq "instance re-protected" "$(inst_field "$PI1" status)" protected
api POST "/server-groups/$G1/action" '{"reverse-server-group":{"priority_station":"source"}}'
job_done "planned failover back" reverseProtectionGroupNoCG
expect_eq "instance back at source" "$(inst_field "$PI1" priority_station)" source
req GET /_emulator/servers
expect_match "planned failover stops the DR server" "$BODY" "\"id\":\"$DR1\",\"name\":\"app-1\",\"status\":\"SHUTOFF\""
expect_match "planned failover runs the production server" "$BODY" "\"id\":\"$(srv 1)\",\"name\":\"app-1\",\"status\":\"ACTIVE\""
api POST "/server-groups/$G1/action" '{"stop-server-group":{}}'
job_done "disable" stopProtectionGroupNoCG
expect_eq "instance available again" "$(inst_field "$PI1" status)" available
expect_eq "pair available again" "$(pair_field "$PS" status)" available

# ---- deletes and their preconditions ----
api DELETE "/server-groups/$G1"
expect_error "group with instances" 400 error SDRS.1001
api DELETE "/replications/$PS"
expect_error "pair delete without body" 400 badrequest SDRS.0201
api DELETE "/replications/$PS" '{"delete_target_volume":true}'
expect_error "pair delete without wrapper" 400 badrequest SDRS.0201
api DELETE "/replications/$PS" '{"replication":{"delete_target_volume":"yes"}}'
expect_error "pair delete bad flag" 400 badrequest SDRS.0201
api DELETE "/replications/$PS" "{\"replication\":{\"server_group_id\":\"$G2\"}}"
expect_error "pair delete wrong group" 400 badrequest SDRS.1611
api DELETE "/replications/$PS" '{"replication":{}}'
expect_error "pair delete while attached" 400 error SDRS.1605
api DELETE /replications/nope '{"replication":{}}'
expect_error "pair delete unknown" 400 itemNotFound SDRS.1608
api DELETE "/protected-instances/$PI1" '{"delete_target_server":1}'
expect_error "pi delete bad flag" 400 badrequest SDRS.0201
api DELETE "/protected-instances/$PI1" '{"delete_target_server":true,"delete_target_eip":false}'
job_done "pi delete with its DR server" deleteProtectedInstanceNoCG
expect_eq "pi delete job entity" "$(field protected_instance_id)" "$PI1"
api GET "/protected-instances/$PI1"
expect_error "deleted instance is gone" 400 itemNotFound SDRS.1320
api GET "/replications/$P1B"
expect_error "its pairs went with it" 400 itemNotFound SDRS.1608
api GET "/replications/$PS"
expect_match "the explicit pair stays, detached" "$BODY" '"attachment":\[\],'
req GET /_emulator/servers
expect_eq "DR server deleted" "$(count_of "$DR1")" 0
expect_match "production server free" "$BODY" "\"id\":\"$(srv 1)\",[^}]*\"protected_instance_id\":null"
api GET "/server-groups/$G1"
expect_eq "counters follow (instances)" "$(field protected_instance_num)" 2
expect_eq "counters follow (pairs: pi-two 3, pi-four 2, shared)" "$(field replication_num)" 6
api DELETE "/protected-instances/$PI2"
job_done "pi delete keeping its DR server" deleteProtectedInstanceNoCG
req GET /_emulator/servers
expect_match "kept DR server" "$BODY" "\"name\":\"app-2\",\"status\":\"SHUTOFF\",\"availability_zone\":\"eu-de-02\",[^}]*\"role\":\"dr\",\"protected_instance_id\":null"
DRVOL=$(pair_field "$PS" volume_ids)
DRVOL=${DRVOL#*,}
api DELETE "/replications/$PS" "{\"replication\":{\"server_group_id\":\"$G1\",\"delete_target_volume\":true}}"
job_done "pair delete" deleteReplicationPairNoCG
expect_eq "pair delete entity" "$(field replication_pair_id)" "$PS"
api GET "/replications/$PS"
expect_error "deleted pair is gone" 400 itemNotFound SDRS.1608
req GET /_emulator/volumes
expect_eq "DR disk deleted with the pair" "$(count_of "$DRVOL")" 0
expect_match "production disk kept and free" "$BODY" "\"id\":\"$(vol 20)\",[^}]*\"status\":\"available\",[^}]*\"replication_id\":null"

# Transient states refuse (a job that does not end during the checks).
req POST /_emulator/config '{"job_run_ms":600000}'
api DELETE "/protected-instances/$PI4"
expect_eq "pi delete (slow job)" "$STATUS" 200
expect_eq "pi deleting" "$(inst_field "$PI4" status)" deleting
api DELETE "/protected-instances/$PI4"
expect_error "pi delete while deleting" 400 error SDRS.1301
api POST "/protected-instances/$PI3/resize" '{"resize":{"dr_flavorRef":"s3.xlarge.4"}}'
expect_eq "resize (slow job)" "$STATUS" 200
expect_eq "pi resizing" "$(inst_field "$PI3" status)" resizing
api POST "/protected-instances/$PI3/nic" '{"subnet_id":"net-9"}'
expect_error "nic while resizing" 400 error SDRS.1327
api POST "/protected-instances/$PI3/resize" '{"resize":{"dr_flavorRef":"s3.xlarge.8"}}'
expect_error "resize while resizing" 400 error SDRS.1328
api DELETE "/protected-instances/$PI3"
expect_error "delete while resizing" 400 error SDRS.1301
req POST /_emulator/reset '{}'
expect_eq "reset" "$STATUS" 200
req POST /_emulator/config '{"job_run_ms":30}'
api GET "/protected-instances"
expect_eq "reset forgets instances" "$(field count)" 0
req GET /_emulator/servers
expect_eq "reset restores fixtures" "$(count_of '"role":')" 11
expect_eq "reset frees servers" "$(count_of '"protected_instance_id":null')" 11

# ---- failed jobs and task-center records ----
create_group dr-fail
GF=$GID
req POST /_emulator/fail-next-jobs '{"count":1,"job_type":"createProtectedInstanceNoCG"}'
expect_eq "fail-next-jobs by type" "$STATUS" 200
api POST /replications "$(pair_body "$GF" "$(vol 21)" not-failing)"
job_done "other job types still succeed" createReplicationPairNoCG
api POST /protected-instances "$(pi_body "$GF" "$(srv 1)" pi-fails)"
job_done "pi create fails" createProtectedInstanceNoCG FAIL
expect_eq "pi create default error" "$(field error_code)" SDRS.1350
PIF=$(field protected_instance_id)
DRF=$(field native_server_id)
api GET "/protected-instances/$PIF"
expect_match "failed instance" "$BODY" '"status":"error",.*"attachment":\[\],'
req GET /_emulator/servers
expect_eq "failed create rolled back its DR server" "$(count_of "$DRF")" 0
api GET "/server-groups/$GF"
expect_eq "failed create keeps the instance counted" "$(field protected_instance_num)" 1
expect_eq "failed create's pairs are gone" "$(field replication_num)" 1
api GET "/protected-instances?query_type=status_abnormal"
expect_eq "abnormal instances" "$(field count)" 1
api POST /protected-instances "$(pi_body "$GF" "$(srv 1)" pi-retry)"
job_done "server free again after a failed create" createProtectedInstanceNoCG
api POST /replications "$(pair_body "$GF" "$(vol 22)" fail-pair)"
job_done "fail- pair" createReplicationPairNoCG FAIL
PF=$(field replication_pair_id)
api GET "/replications/$PF"
expect_match "failed pair" "$BODY" '"status":"error",.*"failure_detail":"SDRS.1609"'
req POST /_emulator/fail-next-jobs '{"count":1,"error_code":"SDRS.1607","fail_reason":"injected"}'
api DELETE "/replications/$PF" '{"replication":{}}'
job_done "pair delete fails" deleteReplicationPairNoCG FAIL
expect_eq "failed delete" "$(pair_field "$PF" status)" error-deleting
api DELETE "/replications/$PF" '{"replication":{}}'
job_done "pair delete retried" deleteReplicationPairNoCG
api DELETE "/protected-instances/$PIF"
job_done "failed instance deleted" deleteProtectedInstanceNoCG
req GET /_emulator/stats
expect_match "task-center records" "$BODY" '"protected_instances":1,"replications":3,"failure_jobs":3,'

# ---- tags ----
PT=$(api GET "/protected-instances?name=pi-retry"; grep -o '"id":"[^"]*"' <<<"$BODY" | head -1 | cut -d'"' -f4)
api POST "/protected-instances/$PT/tags" '{"tag":{"key":"env","value":"prod"}}'
expect_eq "add tag" "$STATUS:$BODY" "204:"
api POST "/protected-instances/$PT/tags" '{"tag":{"key":"env","value":"test"}}'
expect_eq "add existing tag" "$STATUS" 204
api POST "/protected-instances/$PT/tags" '{"tag":{"key":"","value":"x"}}'
expect_error "add blank key" 400 badrequest SDRS.2205
api POST "/protected-instances/$PT/tags" '{"tag":{"key":"k"}}'
expect_error "add tag without value" 400 badrequest SDRS.2208
api POST /protected-instances/nope/tags '{"tag":{"key":"k","value":"v"}}'
expect_error "tag unknown instance" 400 itemNotFound SDRS.1320
api POST "/protected-instances/$PT/tags/action" '{"action":"create","tags":[{"key":"tier","value":"app"},{"key":"team","value":"erp"}]}'
expect_eq "batch add" "$STATUS" 204
api POST "/protected-instances/$PT/tags/action" '{"action":"upsert","tags":[{"key":"a","value":"b"}]}'
expect_error "batch bad action" 400 badrequest SDRS.2201
api POST "/protected-instances/$PT/tags/action" '{"action":"create","tags":[]}'
expect_error "batch empty" 400 badrequest SDRS.2202
TWENTY=$(for i in $(seq 1 18); do printf '{"key":"n%d","value":"v"},' "$i"; done)
api POST "/protected-instances/$PT/tags/action" "{\"action\":\"create\",\"tags\":[${TWENTY%,}]}"
expect_error "more than 20 tags per instance" 400 badrequest SDRS.2203
api GET "/protected-instances/$PT/tags"
expect_eq "instance tags" "$BODY" '{"tags":[{"key":"env","value":"test"},{"key":"tier","value":"app"},{"key":"team","value":"erp"}]}'
api POST "/protected-instances/$PT/tags/action" '{"action":"delete","tags":[{"key":"tier","value":"other"},{"key":"team"},{"key":"missing"}]}'
expect_eq "batch delete" "$STATUS" 204
api GET "/protected-instances/$PT/tags"
expect_eq "batch delete by key, value must match" "$BODY" '{"tags":[{"key":"env","value":"test"},{"key":"tier","value":"app"}]}'
api DELETE "/protected-instances/$PT/tags/tier"
expect_eq "delete tag" "$STATUS" 204
api DELETE "/protected-instances/$PT/tags/tier"
expect_error "delete missing tag" 404 itemNotFound SDRS.2206
api GET /protected-instances/tags
expect_eq "project tags" "$BODY" '{"tags":[{"key":"env","values":["test"]}]}'
api POST /protected-instances/resource_instances/action '{"action":"filter","limit":"10","offset":"0","tags":[{"key":"env","values":["*es"]}],"matches":[{"key":"resource_name","value":"RETRY"}]}'
expect_match "tag query filter" "$BODY" "^\\{\"resources\":\\[\\{\"resource_id\":\"$PT\",\"resource_name\":\"pi-retry\",\"resource_detail\":\\{\"id\":\"$PT\",.*\\},\"tags\":\\[\\{\"key\":\"env\",\"value\":\"test\"\\}\\]\\}\\],\"total_count\":1\\}$"
api POST /protected-instances/resource_instances/action '{"action":"count","not_tags_any":[{"key":"env","values":[]}]}'
expect_eq "tag query count" "$BODY" '{"total_count":0}'
api POST /protected-instances/resource_instances/action '{"action":"list"}'
expect_error "tag query bad action" 400 badrequest SDRS.2210
api POST /protected-instances/resource_instances/action '{"action":"count","limit":"5"}'
expect_error "tag query count with limit" 400 badrequest SDRS.2211
api POST /protected-instances/resource_instances/action '{"action":"filter","limit":"0"}'
expect_error "tag query limit 0" 400 badrequest SDRS.2220
api POST /protected-instances/resource_instances/action '{"action":"filter","matches":[]}'
expect_error "tag query empty matches" 400 badrequest SDRS.2212
api POST /protected-instances/resource_instances/action '{"action":"filter","matches":[{"key":"id","value":"x"}]}'
expect_error "tag query bad match key" 400 badrequest SDRS.2214
api POST /protected-instances/resource_instances/action '{"action":"filter","tags":[{"key":"k","values":["a","a"]}]}'
expect_error "tag query duplicate value" 400 badrequest SDRS.2219

# ---- DR drills (spec-more 5) ----
VPC_DRILL=c0000000-0000-4000-8000-00000000000c
req GET /_emulator/vpcs
expect_eq "fixture VPCs" "$(count_of '"drill_made":false')" 5
drill_body() { # group name [extra]
  echo "{\"disaster_recovery_drill\":{\"server_group_id\":\"$1\",\"name\":\"$2\"${3:+,$3}}}"
}
api POST /disaster-recovery-drills '{"name":"d"}'
expect_error "drill no wrapper" 400 badrequest SDRS.0201
api POST /disaster-recovery-drills '{"disaster_recovery_drill":{"name":"d"}}'
expect_error "drill no group" 400 badrequest SDRS.0207
api POST /disaster-recovery-drills "$(drill_body "$GF" 'd d')"
expect_error "drill bad name" 400 badrequest SDRS.0202
api POST /disaster-recovery-drills "$(drill_body "$GF" d '"drill_vpc_id":""')"
expect_error "drill empty VPC id" 400 badrequest SDRS.0201
api POST /disaster-recovery-drills "$(drill_body 00000000-0000-4000-8000-000000000000 d)"
expect_error "drill unknown group" 400 itemNotFound SDRS.1013
api POST /disaster-recovery-drills "$(drill_body "$GF" d "\"drill_vpc_id\":\"$VPC_A\"")"
expect_error "drill in the group's VPC" 400 badrequest SDRS.1907
api POST /disaster-recovery-drills "$(drill_body "$GF" d '"drill_vpc_id":"vpc-nowhere"')"
expect_error "drill unknown VPC" 400 error SDRS.1928
api POST /disaster-recovery-drills "$(drill_body "$GF" d '"drill_vpc_id":"e0000000-0000-4000-8000-00000000000e"')"
expect_error "drill VPC without subnets" 400 badrequest SDRS.1908
api POST /disaster-recovery-drills "$(drill_body "$GF" d '"drill_vpc_id":"f0000000-0000-4000-8000-00000000000f"')"
expect_error "drill VPC without the CIDR" 400 badrequest SDRS.1909
create_group dr-busy
admin_set "$GID" '{"status":"stopping"}'
api POST /disaster-recovery-drills "$(drill_body "$GID" d "\"drill_vpc_id\":\"$VPC_DRILL\"")"
expect_error "drill while the group stops" 400 error SDRS.1002
api POST /disaster-recovery-drills "$(drill_body "$GF" drill-one "\"drill_vpc_id\":\"$VPC_DRILL\"")"
expect_eq "drill create" "$STATUS" 200
JID=$(field job_id)
api GET "/jobs/$JID"
expect_match "drill job entities" "$BODY" "\"entities\":\\{\"server_group_id\":\"$GF\",\"disaster_recovery_drill_id\":\"$UUID_RE\"\\}"
DRILL=$(field disaster_recovery_drill_id)
wait_job "$JID"
expect_eq "drill job" "$(field job_type) $(field status)" "createDisasterRecoveryDrill SUCCESS"
api GET "/disaster-recovery-drills/$DRILL"
expect_match "drill object" "$BODY" "^\\{\"disaster_recovery_drill\":\\{\"id\":\"$DRILL\",\"name\":\"drill-one\",\"status\":\"available\",\"drill_vpc_id\":\"$VPC_DRILL\",\"created_at\":\"$TS\\.[0-9]{3}\",\"updated_at\":\"$TS\\.[0-9]{3}\",\"server_group_id\":\"$GF\",\"drill_servers\":\\[\\{\"protected_instance\":\"$PT\",\"drill_server_id\":\"$UUID_RE\"\\}\\]\\}\\}$"
DS=$(field drill_server_id)
req GET /_emulator/servers
expect_match "drill server" "$BODY" "\"id\":\"$DS\",\"name\":\"pi-retry-drill\",\"status\":\"ACTIVE\",\"availability_zone\":\"eu-de-02\",\"vpc_id\":\"$VPC_DRILL\",[^}]*\"role\":\"drill\""
api GET "/server-groups/$GF"
expect_eq "drill counter" "$(field disaster_recovery_drill_num)" 1
api POST /disaster-recovery-drills "$(drill_body "$GF" d "\"drill_vpc_id\":\"$VPC_DRILL\"")"
expect_error "drill VPC already used" 400 error SDRS.1921
api POST /disaster-recovery-drills "$(drill_body "$GF" drill-two)"
job_done "drill with a VPC of its own" createDisasterRecoveryDrill
DRILL2=$(field disaster_recovery_drill_id)
req GET /_emulator/vpcs
expect_match "drill VPC made" "$BODY" '"name":"sdrs-drill-vpc","cidrs":\["192.168.0.0/24"\],"drill_made":true'
api GET "/disaster-recovery-drills?server_group_id=$GF"
expect_eq "drills of the group" "$(field count)" 2
api GET "/disaster-recovery-drills?drill_vpc_id=$VPC_DRILL&status=available&name=one"
expect_eq "drills by VPC, status, name" "$(field count)" 1
api GET "/disaster-recovery-drills?offset=x"
expect_error "drills bad offset" 400 badrequest SDRS.0222
api GET /disaster-recovery-drills/nope
expect_error "drill unknown" 400 itemNotFound SDRS.1902
api PUT "/disaster-recovery-drills/$DRILL" '{"disaster_recovery_drill":{"name":"drill-renamed"}}'
expect_eq "drill rename" "$STATUS $(field name)" "200 drill-renamed"
api PUT "/disaster-recovery-drills/$DRILL" '{"disaster_recovery_drill":{"name":"a<b"}}'
expect_error "drill rename bad name" 400 badrequest SDRS.0202
api DELETE "/server-groups/$GF"
expect_error "group with instances and drills" 400 error SDRS.1001
api DELETE "/disaster-recovery-drills/$DRILL"
job_done "drill delete" deleteDisasterRecoveryDrill
expect_eq "drill delete entity" "$(field disaster_recovery_drill_id)" "$DRILL"
api GET "/disaster-recovery-drills/$DRILL"
expect_error "deleted drill" 400 itemNotFound SDRS.1902
req GET /_emulator/servers
expect_eq "drill servers deleted" "$(count_of "$DS")" 0
req GET /_emulator/vpcs
expect_match "drill VPC kept" "$BODY" "\"id\":\"$VPC_DRILL\""
req POST /_emulator/config '{"job_run_ms":600000}'
api DELETE "/disaster-recovery-drills/$DRILL2"
api DELETE "/disaster-recovery-drills/$DRILL2"
expect_error "drill delete while deleting" 400 error SDRS.1913
req POST /_emulator/config '{"job_run_ms":30}'
api POST /disaster-recovery-drills "$(drill_body "$GF" fail-drill "\"drill_vpc_id\":\"$VPC_DRILL\"")"
job_done "failing drill" createDisasterRecoveryDrill FAIL
expect_eq "drill create default error" "$(field error_code)" SDRS.1922
FDRILL=$(field disaster_recovery_drill_id)
expect_eq "failed drill" "$(api GET "/disaster-recovery-drills/$FDRILL"; field status)" error

# ---- task center (spec-more 7) ----
api POST /server-groups "$(create_body fail-group)"
wait_job "$(field job_id)"
api GET /task-center/failure-jobs
expect_eq "group-level failures" "$(field count)" 1
expect_match "failure record" "$BODY" "^\\{\"failure_jobs\":\\[\\{\"job_id\":\"[0-9a-f]{32}\",\"job_type\":\"createProtectionGroupNoCG\",\"job_status\":\"FAIL\",\"resource_id\":\"$UUID_RE\",\"resource_name\":\"fail-group\",\"resource_type\":\"server_groups\",\"failure_status\":\"createFail\",\"begin_time\":\"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z\",\"error_code\":\"SDRS.1014\",\"fail_reason\":\"[^\"]+\"\\}\\],\"count\":1\\}$"
api GET "/task-center/failure-jobs?server_group_id=$GF"
expect_eq "failures inside the group" "$(field count)" 4
api GET "/task-center/failure-jobs?server_group_id=$GF&failure_status=deleteFail"
expect_eq "by failure_status" "$(field count)" 1
api GET "/task-center/failure-jobs?server_group_id=$GF&resource_type=replications"
expect_eq "by resource_type" "$(field count)" 2
api GET "/task-center/failure-jobs?server_group_id=$GF&resource_name=fail-drill"
expect_eq "by resource_name" "$(field count)" 1
expect_match "drill failure" "$BODY" '"resource_type":"disaster_recovery_drills","failure_status":"createFail",.*"error_code":"SDRS.1922"'
FJ=$(field job_id)
api GET "/task-center/failure-jobs?server_group_id=$GF&limit=2&offset=1"
expect_eq "paged" "$(field count) $(count_of '"job_id":')" "4 2"
api GET "/task-center/failure-jobs?failure_status=oops"
expect_error "bad failure_status" 400 badrequest SDRS.0201
api GET "/task-center/failure-jobs?resource_type=servers"
expect_error "bad resource_type" 400 badrequest SDRS.0201
api GET "/task-center/failure-jobs?limit=0"
expect_error "task center limit" 400 badrequest SDRS.0221
api GET /task-center/failure-jobs/batch
expect_eq "GET literal batch" "$STATUS" 405
api DELETE "/task-center/failure-jobs/$FJ"
expect_eq "delete one failure" "$STATUS:$BODY" "204:"
api GET "/task-center/failure-jobs?server_group_id=$GF"
expect_eq "one fewer" "$(field count)" 3
api DELETE "/task-center/failure-jobs/$PF"
expect_eq "delete by resource id (tolerant)" "$STATUS" 204
api GET "/task-center/failure-jobs?server_group_id=$GF"
expect_eq "the pair's two records gone" "$(field count)" 1
req POST /_emulator/fail-next-jobs '{"count":1}'
api POST "/server-groups/$GF/action" '{"start-server-group":{}}'
job_done "failing enable (a group-level failure of this group)" startProtectionGroupNoCG FAIL
api GET "/task-center/failure-jobs?failure_status=startFail"
expect_match "startFail is group-level" "$BODY" "\"resource_id\":\"$GF\",\"resource_name\":\"dr-fail\",\"resource_type\":\"server_groups\",\"failure_status\":\"startFail\""
api DELETE "/task-center/$GF/failure-jobs/batch"
expect_eq "delete the group's failures" "$STATUS" 204
api GET "/task-center/failure-jobs?server_group_id=$GF"
expect_eq "none left in the group" "$(field count)" 0
api GET /task-center/failure-jobs
expect_eq "group-level untouched (also this group's own)" "$(field count)" 2
api POST "/server-groups/$GF/action" '{"start-server-group":{}}'
job_done "enable after the failure" startProtectionGroupNoCG
api DELETE /task-center/failure-jobs/batch
expect_eq "delete group-level failures" "$STATUS" 204
api GET /task-center/failure-jobs
expect_eq "group-level gone" "$(field count)" 0

# ---- quotas (spec-more 8) ----
api GET /sdrs/quotas
expect_match "quotas" "$BODY" '^\{"quotas":\{"resources":\[\{"type":"server_groups","used":[0-9]+,"quota":100000,"min":0,"max":-1\},\{"type":"replications","used":[0-9]+,"quota":100000,"min":0,"max":-1\}\]\}\}$'
PAIRS_USED=$(grep -o '"type":"replications","used":[0-9]*' <<<"$BODY" | grep -o '[0-9]*$')
api POST /replications "$(pair_body "$GF" "$(vol 23)" counted)"
wait_job "$(field job_id)"
api GET /sdrs/quotas
expect_match "pairs used moves" "$BODY" "\"type\":\"replications\",\"used\":$((PAIRS_USED + 1)),"
req POST /_emulator/config "{\"quota_replications\":$((PAIRS_USED + 1)),\"quota_server_groups\":-1}"
expect_eq "quota config" "$STATUS" 200
api POST /replications "$(pair_body "$GF" "$(vol 20)" over)"
expect_error "pair quota" 400 error SDRS.0306
api POST /protected-instances "$(pi_body "$GF" "$(srv 3)" over)"
expect_error "pair quota on instance create" 400 error SDRS.0306
api GET /sdrs/quotas
expect_match "unlimited groups" "$BODY" '"type":"server_groups","used":[0-9]+,"quota":-1,'
req POST /_emulator/config '{"quota_server_groups":-2}'
expect_error "bad quota" 400 badrequest SDRS.0201
api PUT /sdrs/quotas '{}'
expect_eq "quotas read-only" "$STATUS" 405

# ---- fixtures: admin load, file, bad file ----
req POST /_emulator/fixtures '{"servers":[]}'
expect_error "fixtures while instances exist" 400 error SDRS.0209
cat >"$TMP/fixtures.json" <<JSON
{"volume_size_as_string": true,
 "volumes": [{"id": "vol-sys", "availability_zone": "eu-de-01", "size": 10, "bootable": true}],
 "servers": [{"id": "srv-one", "name": "one", "availability_zone": "eu-de-01", "vpc_id": "vpc-1",
              "volumes": [{"device": "/dev/vda", "volume_id": "vol-sys"}]}]}
JSON
start_emu --quiet --job-init-ms 0 --job-run-ms 0 --fixtures "$TMP/fixtures.json"
req GET /_emulator/servers
expect_eq "fixtures file" "$(count_of '"role":')" 1
create_group from-file vpc-1
api POST /protected-instances "$(pi_body "$GID" srv-one one)"
wait_job "$(field job_id)"
api GET "/replications?server_group_id=$GID"
expect_match "fixtures file volume_size_as_string" "$BODY" '"volume_size":"10"'
req POST /_emulator/reset '{}'
req POST /_emulator/fixtures '{"volumes":[{"id":"v","availability_zone":"eu-de-01"}],"servers":[{"id":"s","availability_zone":"eu-de-01","vpc_id":"x","volumes":[{"device":"/dev/vda","volume_id":"nope"}]}]}'
expect_error "admin fixtures unknown volume" 400 badrequest SDRS.0201
req POST /_emulator/fixtures '{"volumes":[{"id":"v","availability_zone":"eu-de-01"}]}'
expect_eq "admin fixtures" "$BODY" '{"servers":0,"volumes":1}'
echo '{"servers":[{"id":"s"}]}' >"$TMP/bad.json"
"$EMU" --port 0 --fixtures "$TMP/bad.json" >/dev/null 2>"$TMP/bad.err"
expect_eq "bad fixtures exit code" "$?" 2
expect_match "bad fixtures message" "$(cat "$TMP/bad.err")" 'servers\[0\]\.availability_zone: missing'

# ---- fault injection: kinds, SDRS-code bodies, per-route selection, counts ----
start_emu --quiet --job-init-ms 0 --job-run-ms 0
fault() { # JSON -> $STATUS, $BODY
  req POST /_emulator/faults "$1"
}
clear_faults() { req DELETE /_emulator/faults; }
fault '{"kind":"explode"}'
expect_match "bad kind" "$STATUS $BODY" '^400 \{"badrequest":\{"code":"SDRS.0201","message":"kind: must be one of'
fault '{"kind":"status","route":"GET jobs"}'
expect_match "bad route" "$STATUS $BODY" '^400 .*"message":"route: must be'
fault '{"kind":"status","route":"GET /a/**/b"}'
expect_match "** not last" "$STATUS $BODY" '^400 .*"message":"route: '
fault '{"kind":"status","error_shape":"round"}'
expect_match "bad error_shape" "$STATUS $BODY" '^400 .*"message":"error_shape: '
fault '{"kind":"status","after":-1}'
expect_match "bad after" "$STATUS $BODY" '^400 .*"message":"after: '

fault '{"kind":"status","status":500,"route":"GET /active-domains","code":"SDRS.0013","message":"internal"}'
expect_match "fault added" "$BODY" '^\{"id":[0-9]+\}$'
api GET /active-domains
expect_eq "500 with an SDRS code" "$STATUS $BODY" '500 {"error":{"code":"SDRS.0013","message":"internal"}}'
api GET /active-domains
expect_eq "count 1 used up" "$STATUS" 200
fault '{"kind":"status","status":429,"code":"SDRS.0003","error_class":"forbidden","retry_after":"2","route":"* /active-domains"}'
api GET /active-domains
expect_eq "429 with a code of another class" "$STATUS $BODY" '429 {"forbidden":{"code":"SDRS.0003","message":"injected fault: HTTP 429"}}'
expect_match "Retry-After" "$HDRS" $'Retry-After: 2\r'
fault '{"kind":"status","status":503,"code":"SDRS.1030","error_shape":"flat","route":"GET /active-domains"}'
api GET /active-domains
expect_eq "flat error body" "$STATUS $BODY" '503 {"error_code":"SDRS.1030","error_msg":"injected fault: HTTP 503"}'
fault '{"kind":"status","status":504,"body":"","route":"GET /active-domains"}'
api GET /active-domains
expect_eq "504 with an empty body" "$STATUS:$BODY" "504:"
fault '{"kind":"status","status":502,"route":"GET /active-domains"}'
api GET /active-domains
expect_match "502 default HTML" "$STATUS $HDRS" $'^502 .*Content-Type: text/html'
fault '{"kind":"status","status":503,"route":"GET /active-domains"}'
api GET /active-domains
expect_eq "503 default body" "$STATUS $BODY" '503 {"error":{"code":"SDRS.0013","message":"injected fault: HTTP 503"}}'

# Per route: only POST /server-groups; GET of the same path and other POSTs pass.
fault '{"kind":"status","status":503,"count":-1,"route":"POST /server-groups"}'
api GET /server-groups
expect_eq "route: other method passes" "$STATUS" 200
api POST /server-groups/x/action '{}'
expect_eq "route: longer path passes" "$STATUS" 400
api POST /server-groups "$(create_body routed)"
expect_eq "route: POST /server-groups faulted" "$STATUS" 503
api POST /server-groups "$(create_body routed)"
expect_eq "route: count -1 keeps faulting" "$STATUS" 503
clear_faults
api POST /server-groups "$(create_body routed)"
expect_eq "cleared" "$STATUS" 200
JID=$(field job_id)
fault '{"kind":"status","status":500,"code":"SDRS.0013","count":2,"route":"GET /jobs/*"}'
api GET "/jobs/$JID"
expect_eq "GET /jobs/* faulted" "$STATUS" 500
api GET /server-groups
expect_eq "GET /jobs/* leaves other GETs" "$STATUS" 200
api GET "/jobs/$JID"
expect_eq "GET /jobs/* second" "$STATUS" 500
api GET "/jobs/$JID"
expect_eq "GET /jobs/* used up" "$STATUS" 200
fault '{"kind":"status","status":503,"route":"/v1/**","method":"DELETE"}'
api DELETE /server-groups/nope
expect_eq "absolute ** route with method" "$STATUS" 503
fault '{"kind":"status","status":503,"after":2,"count":1,"route":"GET /active-domains"}'
api GET /active-domains
expect_eq "after: first passes" "$STATUS" 200
api GET /active-domains
expect_eq "after: second passes" "$STATUS" 200
api GET /active-domains
expect_eq "after: third faulted" "$STATUS" 503
api GET /active-domains
expect_eq "after: count used up" "$STATUS" 200
req GET /_emulator/faults
expect_match "listing" "$BODY" '"kind":"status","method":"","path":"","path_regex":"","remaining":0,"hits":1,"route":"GET /active-domains","after":2,"passed":2\}'
req GET /_emulator/stats
expect_eq "admin paths are never faulted" "$STATUS" 200
clear_faults

# The kinds (with issue 19's names); each once on the domain list.
fault '{"kind":"close_before","route":"GET /active-domains"}'
curl -s -m 5 -H "X-Auth-Token: $TOKEN" "$BASE/v1/$PRJ/active-domains" >/dev/null
expect_eq "close_before: empty reply" "$?" 52
req GET /_emulator/stats
CREATES=$(field creates)
fault '{"kind":"close_after","route":"POST /server-groups"}'
curl -s -m 5 -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' --data-binary "$(create_body lost)" "$BASE/v1/$PRJ/server-groups" >/dev/null
expect_eq "close_after: empty reply" "$?" 52
req GET /_emulator/stats
expect_eq "close_after: the create happened" "$(field creates)" $((CREATES + 1))
fault '{"kind":"truncated_body","route":"GET /active-domains"}'
api GET /active-domains
expect_match "truncated_body: status kept, body cut" "$STATUS $BODY" '^200 \{"domains":\[\{"id":'
if [[ "$BODY" == *'}]}' ]]; then bad "truncated_body: body is complete"; else ok; fi
fault '{"kind":"garbage_200","route":"GET /active-domains"}'
api GET /active-domains
expect_match "garbage_200" "$STATUS $BODY" '^200 \{"job_id": "0123", "server_group": \{,,\} oops$'
fault '{"kind":"oversized_200","size":5000,"route":"GET /active-domains"}'
api GET /active-domains
expect_eq "oversized_200 size" "$STATUS ${#BODY}" "200 5000"
fault '{"kind":"wrong_content_type","route":"GET /active-domains"}'
api GET /active-domains
expect_match "wrong_content_type" "$HDRS" $'Content-Type: text/html; charset=utf-8\r'
fault '{"kind":"slow_response","delay_ms":300,"route":"GET /active-domains"}'
T=$(curl -s -m 5 -o /dev/null -w '%{time_total} %{http_code}' -H "X-Auth-Token: $TOKEN" "$BASE/v1/$PRJ/active-domains")
expect_match "slow_response: late but complete" "$T" '^(0\.[3-9]|[1-4]\.)[0-9]* 200$'
fault '{"kind":"slow_body","delay_ms":20,"chunk":64,"route":"GET /active-domains"}'
T=$(curl -s -m 5 -o "$TMP/slow" -w '%{time_total} %{http_code}' -H "X-Auth-Token: $TOKEN" "$BASE/v1/$PRJ/active-domains")
expect_match "slow_body: slow" "$T" '^(0\.[1-9]|[1-4]\.)[0-9]* 200$'
expect_match "slow_body: complete" "$(cat "$TMP/slow")" '^\{"domains":\[.*\]\}$'
fault '{"kind":"stalled_transfer","delay_ms":2000,"route":"GET /active-domains"}'
curl -s -m 1 -o /dev/null -H "X-Auth-Token: $TOKEN" "$BASE/v1/$PRJ/active-domains"
expect_eq "stalled_transfer: the client times out mid-body" "$?" 28
clear_faults

# ---- keep-alive: two requests, one connection ----
V=$(curl -sv -m 5 -H "X-Auth-Token: $TOKEN" "$BASE/v1/$PRJ/active-domains" "$BASE/v1/$PRJ/active-domains" 2>&1 >/dev/null)
expect_match "keep-alive reuse" "$V" 'Re-using existing connection'

# ---- quota (and the request log, on by default) ----
start_emu --max-groups 2
req POST /_emulator/seed-groups '{"count":2}'
api POST /server-groups "$(create_body over)"
expect_error "quota" 400 error SDRS.0305
sleep 0.1
expect_match "request log" "$(cat "$ERR")" "POST /v1/$PRJ/server-groups 400 [0-9]+\.[0-9]{3}ms"

# ---- job run spread and seeded jobs over HTTP (issue 18; the unit test emulator_jobs has
# the bounds, fail_every and the 10,000-job case) ----
start_emu --quiet --job-init-ms 0 --job-run-ms 600000 --job-run-spread-ms 250
req POST /_emulator/config '{}'
expect_eq "spread from the command line" "$BODY" '{"job_init_ms":0,"job_run_ms":600000,"job_run_spread_ms":250,"token_lifetime_ms":86400000}'
req POST /_emulator/config '{"job_run_spread_ms":"x"}'
expect_error "bad job_run_spread_ms" 400 badrequest SDRS.0201
expect_match "bad job_run_spread_ms names it" "$BODY" job_run_spread_ms
req POST /_emulator/seed-jobs '{"count":4,"init_ms":0,"run_ms_min":0,"fail_every":2,"job_type":"enableProtection"}'
expect_eq "seed-jobs" "$STATUS" 200
expect_match "seed-jobs answer" "$BODY" '^\{"count":4,"job_ids":\["[0-9a-f]{32}"(,"[0-9a-f]{32}"){3}\]\}$'
SEEDED=($(grep -o '"[0-9a-f]\{32\}"' <<<"$BODY" | tr -d '"'))
api GET "/jobs/${SEEDED[0]}"
expect_match "seeded job 1 succeeded" "$BODY" '"job_type":"enableProtection","status":"SUCCESS".*"entities":\{\}\}$'
api GET "/jobs/${SEEDED[1]}"
expect_match "seeded job 2 failed" "$BODY" '"status":"FAIL".*"error_code":"SDRS.1014","fail_reason":"[^"]+"'
NOTOKEN=1 api GET "/jobs/${SEEDED[0]}"
expect_eq "seeded job needs a token" "$STATUS" 401
req POST /_emulator/seed-jobs '{"count":4,"fail_every":"2"}'
expect_error "seed-jobs bad fail_every" 400 badrequest SDRS.0201
expect_match "seed-jobs bad fail_every names it" "$BODY" fail_every
req POST /_emulator/reset '{}'
api GET "/jobs/${SEEDED[0]}"
expect_error "reset forgets seeded jobs" 404 itemNotFound SDRS.0408
"$EMU" --job-run-spread-ms -1 >/dev/null 2>&1
expect_eq "bad --job-run-spread-ms exit code" "$?" 2

# ---- many connections: each holds a worker thread; the pool grows to --threads ----
start_emu --quiet --threads 301
CONN_FDS=()
for _ in $(seq 1 300); do
  exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
  CONN_FDS+=("$fd")
done
ANSWERED=0
for fd in "${CONN_FDS[@]}"; do
  printf 'GET /v1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' >&"$fd"
done
for fd in "${CONN_FDS[@]}"; do
  IFS= read -r -t 5 LINE <&"$fd" && [[ "$LINE" == HTTP/1.1\ 200* ]] && ANSWERED=$((ANSWERED + 1))
done
expect_eq "300 open connections all answered" "$ANSWERED" 300
req GET /_emulator/stats
expect_eq "worker threads for 300 connections + this one" "$(field worker_threads)" 301
for fd in "${CONN_FDS[@]}"; do exec {fd}>&-; done

# ---- bad options ----
"$EMU" --port 70000 >/dev/null 2>&1
expect_eq "bad port exit code" "$?" 2
"$EMU" --bogus >/dev/null 2>&1
expect_eq "unknown option exit code" "$?" 2

# ---- SIGTERM / SIGINT, with an idle keep-alive connection open (must not delay the exit) ----
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET /v1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' >&3
IFS= read -r -t 5 LINE <&3
expect_match "raw keep-alive request" "$LINE" '^HTTP/1.1 200'
SIGS=(TERM INT)
for i in "${!PIDS[@]}"; do
  p=${PIDS[$i]}
  kill -"${SIGS[$((i % 2))]}" "$p"
  rc=124
  # Bound: 3 s (the emulator allows in-flight requests 0.3 s, then drops idle connections).
  for _ in $(seq 1 60); do
    if ! kill -0 "$p" 2>/dev/null; then
      wait "$p"
      rc=$?
      break
    fi
    sleep 0.05
  done
  expect_eq "exit code after SIG${SIGS[$((i % 2))]}" "$rc" 0
done
PIDS=()
exec 3>&-

echo "$PASS passed, $FAIL failed"
[[ $FAIL -eq 0 ]]
