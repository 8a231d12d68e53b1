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
admin_set "$GID" '{"replication_num":1}'
expect_eq "admin set replication_num" "$(field replication_num)" 1
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
admin_set "$GID" '{"replication_num":0,"protected_instance_num":2}'
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
admin_set "$GID" '{"replication_num":1,"status":"protected"}'
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
expect_match "stats" "$BODY" '^\{"requests":[0-9]+,"api_requests":[0-9]+,"groups":26,"jobs":1,"creates":1,"connections":[0-9]+,"iam_token_requests":0,"auth_failures":0\}$'
req POST /_emulator/config '{"job_init_ms":0,"job_run_ms":0}'
expect_eq "config" "$BODY" '{"job_init_ms":0,"job_run_ms":0,"token_lifetime_ms":86400000}'
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
