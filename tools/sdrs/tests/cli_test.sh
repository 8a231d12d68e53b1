#!/usr/bin/env bash
# End-to-end tests of the sdrs CLI against a local sdrs-emulator (127.0.0.1 only).
# Usage: cli_test.sh <sdrs-binary> <sdrs-emulator-binary>
# Needs: jq, curl (admin calls to the emulator), script (util-linux, for the tty test).
set -u

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
take_args "$@"
SRC_ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
require_tools jq curl script timeout groff
start_emulator --job-init-ms 20 --job-run-ms 80 \
  --user alice:alice-Pa55word-x:emulator-domain \
  --aksk OTCEXAMPLEAK00000001:OtcExampleSecretKey0000000000000000000001

CREATE_ARGS=(--source-az eu-de-01 --target-az eu-de-02 --domain-id "$DOMAIN" --vpc-id vpc-1)

# ---- help and version ----
expect "help" 0 --help
is "help lists commands and exit codes" out_has "pg planned-failover"
is "help documents exit code 6" out_has "6  timeout or canceled"
is "help documents exit code 7" out_has "7  outcome unknown"
PROGRAM_HELP=$OUT
is "sdrs --help stays within 80 columns" bash -c '! grep -qE "^.{81}" <<<"$1"' _ "$OUT"
# The commands as `sdrs --help` lists them (the leading lowercase words of each row).
mapfile -t HELP_COMMANDS < <(awk '/^Commands:/{on=1; next} on && /^$/{exit}
  on && /^  [a-z]/{path=""; for (i = 1; i <= NF && $i ~ /^[a-z][a-z-]*$/; i++) path = path (path ? " " : "") $i; print path}' \
  <<<"$PROGRAM_HELP")
help_lists() { printf '%s\n' "${HELP_COMMANDS[@]}" | grep -qx -- "$1"; }
is "help lists at least the 49 commands (${#HELP_COMMANDS[@]})" test "${#HELP_COMMANDS[@]}" -ge 49
for cmd in "domain list" "pg create" "pg find-created" "pg show" "pg list" "pg rename" \
  "pg delete" "pg enable" "pi create" "pi list" "pi show" "pi rename" "pi delete" "pi attach" \
  "pi detach" "pi add-nic" "pi delete-nic" "pi resize" "pair create" "pair list" "pair show" \
  "pair rename" "pair delete" "pair expand" \
  "pg disable" "pg failover" "pg planned-failover" "job show" "job wait" "version" \
  "api-versions" "auth token" "drill create" "drill show" "drill list" "drill rename" \
  "drill delete" "tag add" "tag delete" "tag list" "tag batch-add" "tag batch-delete" \
  "tag project" "tag query" "task list" "task delete" "task delete-group" \
  "task delete-group-level" "quota"; do
  is "help lists $cmd" help_lists "$cmd"
done
for cmd in "${HELP_COMMANDS[@]}"; do
  # shellcheck disable=SC2086
  expect "$cmd --help" 0 $cmd --help
  is "$cmd --help shows usage" out_has "Usage: sdrs $cmd"
  is "$cmd --help has an example" bash -c 'awk "/^Examples:/{on=1; next} on" <<<"$1" | grep -qF "sdrs $2"' _ "$OUT" "$cmd"
  is "$cmd --help refers to the global options" out_has "see 'sdrs --help'"
  is "$cmd --help does not repeat the global options" bash -c '! grep -qE -- "--project-id ID|--ca-file FILE|^Environment|^Exit codes" <<<"$1"' _ "$OUT"
  is "$cmd --help stays within 100 columns" bash -c '! grep -qE "^.{101}" <<<"$1"' _ "$OUT"
done
expect "pg create --help" 0 pg create --help
is "pg create --help is short ($(wc -l <<<"$OUT") lines)" test "$(wc -l <<<"$OUT")" -le 30
is "pg create --help shows a full create command" out_has "sdrs pg create --name "
expect "-h" 0 pg create -h
is "pg create -h names required options" out_has "--source-az AZ"
expect "group help" 0 pg --help
is "group help lists pg commands" out_has "pg rename"
is "group help refers to the global options" out_has "see 'sdrs --help'"
is "group help does not repeat the global options" bash -c '! grep -qF -- "--project-id ID" <<<"$1"' _ "$OUT"

# The environment block names every variable the library's environment source and the CLI
# read, each once, beside the other names of the same setting, under the right heading.
ENV_BLOCK=$(awk '/^Environment/{on=1; next} on && /^$/{exit} on' <<<"$PROGRAM_HELP")
mapfile -t READ_VARS < <(grep -ohE '"(OS|SDRS)_[A-Z_]+"' "$SRC_ROOT/src/auth/sources.cpp" \
  "$SRC_ROOT/tools/sdrs/src/context.cpp" | tr -d '"' | sort -u)
is "variables found in the sources (${#READ_VARS[@]})" test "${#READ_VARS[@]}" -ge 30
for var in "${READ_VARS[@]}"; do
  is "environment help lists $var once" test "$(grep -ow -- "$var" <<<"$ENV_BLOCK" | wc -l)" -eq 1
done
# One line per setting, "Heading|NAME  text; also ALIAS, ..." (continuation lines joined).
ENV_ENTRIES=$(awk '/^  [^ ]/{heading=$0; next} /^    [^ ]/{if (e) print e; e=heading "|" $0; next}
  /^      /{e=e " " $0} END{if (e) print e}' <<<"$ENV_BLOCK")
heading_of() {  # the heading a library setting belongs under
  case $1 in
    endpoint | region | project_id | project_name) echo "Service" ;;
    token) echo "Token authentication" ;;
    auth_url | username | user_id | password | user_domain_name | user_domain_id) echo "Password" ;;
    access_key | secret_key | security_token) echo "AK/SK" ;;
    *) echo "no heading known for setting '$1': add it to heading_of in cli_test.sh" ;;
  esac
}
settings=0
while read -r setting names; do
  settings=$((settings + 1))
  first=${names%% *}
  entry=$(grep -w -- "$first" <<<"$ENV_ENTRIES")
  for var in $names; do
    is "$var is listed beside $first" grep -qw -- "$var" <<<"$entry"
  done
  is "$first is under '$(heading_of "$setting")'" grep -qF "  $(heading_of "$setting")" <<<"${entry%%|*}"
done < <(sed -nE 's/^ *\{"([a-z_]+)", \{(("OS_[A-Z_]+",? ?)+)\}\},.*/\1 \2/p' \
  "$SRC_ROOT/src/auth/sources.cpp" | tr -d '",')
is "settings of load_env found in sources.cpp ($settings)" test "$settings" -ge 14
is "OS_CLOUD is under clouds.yaml" grep -qE '^  clouds.yaml:\|    OS_CLOUD ' <<<"$ENV_ENTRIES"
is "OS_CLIENT_CONFIG_FILE is under clouds.yaml" grep -qE '^  clouds.yaml:\|    OS_CLIENT_CONFIG_FILE ' <<<"$ENV_ENTRIES"
# Aligned: every description starts in the same column, continuation lines included.
columns=$(awk '/^    [^ ]/{match($0, /^    [^ ]+ +/); print RLENGTH} /^      /{match($0, /^ +/); print RLENGTH}' \
  <<<"$ENV_BLOCK" | sort -u)
is "environment descriptions aligned (columns: $(echo $columns))" test "$(wc -l <<<"$columns")" -eq 1

# ---- man pages and bash completion follow the command table ----
MAN_DIR=$SRC_ROOT/tools/sdrs/man
COMPLETION=$SRC_ROOT/tools/sdrs/completion/sdrs.bash
# The page as text, one long line per paragraph, without hyphenation or overstriking.
man_text() { groff -man -Tutf8 -rLL=400n -rHY=0 -P-cbou "$1" 2>/dev/null; }
SDRS_MAN=$(man_text "$MAN_DIR/sdrs.1")
EMULATOR_MAN=$(man_text "$MAN_DIR/sdrs-emulator.1")
for page in sdrs.1 sdrs-emulator.1; do
  warnings=$(groff -man -Tutf8 -ww -z "$MAN_DIR/$page" 2>&1)
  is "$page: groff -ww without warnings ($warnings)" test -z "$warnings"
done
# complete WORD...: the completion's replies for `WORD...` (the last word being completed).
complete_words() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _sdrs
    printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$COMPLETION" "$@"
}
# help_option_labels HELP TITLE: the labels ("--name NAME", "--wait") of a help block whose
# heading starts with TITLE ("Options:", "Global options").
help_option_labels() {
  awk -v title="$2" 'index($0, title) == 1 {on=1; next} on && /^$/{exit}
    on && /^  -/{sub(/^  (-h, )?/, ""); split($0, label, /  +/); print label[1]}' <<<"$1"
}
help_options() { help_option_labels "$@" | awk '{print $1}' | sort; }
value_options() { help_option_labels "$@" | awk 'NF > 1 {print $1}'; }
is "completion script loads and registers _sdrs" \
  bash -c 'source "$1" && complete -p sdrs | grep -q "_sdrs sdrs"' _ "$COMPLETION"
is "completing 'sdrs p' offers pair, pg and pi" test "$(complete_words sdrs p)" = $'pair\npg\npi'
is "completing 'sdrs pa' offers pair" test "$(complete_words sdrs pa)" = pair
GLOBAL_OPTIONS=$(help_options "$PROGRAM_HELP" "Global options")
is "global options found in the help ($(wc -l <<<"$GLOBAL_OPTIONS"))" test "$(wc -l <<<"$GLOBAL_OPTIONS")" -ge 14
VALUE_OPTIONS=$(value_options "$PROGRAM_HELP" "Global options")
for cmd in "${HELP_COMMANDS[@]}"; do
  # Word by word: each word of the command is offered after the words before it.
  read -ra words <<<"$cmd"
  for ((i = 0; i < ${#words[@]}; i++)); do
    is "completion offers '${words[i]}' after 'sdrs ${words[*]:0:i}'" \
      bash -c 'grep -qx -- "$1" <<<"$2"' _ "${words[i]}" "$(complete_words sdrs "${words[@]:0:i}" "")"
  done
  run "${words[@]}" --help
  own=$(help_options "$OUT" "Options:")
  want=$(sort -u <<<"$GLOBAL_OPTIONS"$'\n'"$own" | sed '/^$/d')
  got=$(complete_words sdrs "${words[@]}" --)
  is "completion offers exactly the options of '$cmd'" test "$got" = "$want"
  [ "$got" = "$want" ] || diff <(echo "$want") <(echo "$got") >&2
  VALUE_OPTIONS+=$'\n'$(value_options "$OUT" "Options:")
  is "man page shows 'sdrs $cmd'" grep -qF "sdrs $cmd" <<<"$SDRS_MAN"
  for option in $own; do
    is "man page documents $option of '$cmd'" grep -qF -- "$option" <<<"$SDRS_MAN"
  done
done
VALUE_OPTIONS=$(sed '/^$/d' <<<"$VALUE_OPTIONS" | sort -u)
is "options that take a value found in the help ($(wc -l <<<"$VALUE_OPTIONS"))" \
  test "$(wc -l <<<"$VALUE_OPTIONS")" -ge 25
# shellcheck disable=SC2016
COMPLETION_VALUE_OPTIONS=$(bash -c 'source "$1"; printf "%s\n" $_sdrs_value_options | sort -u' _ "$COMPLETION")
is "completion knows which options take a value" test "$COMPLETION_VALUE_OPTIONS" = "$VALUE_OPTIONS"
[ "$COMPLETION_VALUE_OPTIONS" = "$VALUE_OPTIONS" ] ||
  diff <(echo "$VALUE_OPTIONS") <(echo "$COMPLETION_VALUE_OPTIONS") >&2
is "completion offers source/target after --priority-station" \
  test "$(complete_words sdrs pg planned-failover ID --priority-station "")" = $'source\ntarget'
is "completion skips option values (sdrs --timeout 5 pa)" test "$(complete_words sdrs --timeout 5 pa)" = pair
for option in $GLOBAL_OPTIONS; do
  is "man page documents global option $option" grep -qF -- "$option" <<<"$SDRS_MAN"
done
for var in "${READ_VARS[@]}"; do
  is "man page documents $var" grep -qw -- "$var" <<<"$SDRS_MAN"
done
for code in 0 2 3 4 5 6 7; do
  is "man page documents exit status $code" grep -qE "^ +$code +[a-z]" <<<"$SDRS_MAN"
done
EMULATOR_OPTIONS=$("$EMULATOR" --help 2>&1 | grep -oE -- '--[a-z][a-z-]*' | sort -u)
is "emulator options found in its --help ($(wc -l <<<"$EMULATOR_OPTIONS"))" test "$(wc -l <<<"$EMULATOR_OPTIONS")" -ge 18
for option in $EMULATOR_OPTIONS; do
  is "sdrs-emulator.1 documents $option" grep -qF -- "$option" <<<"$EMULATOR_MAN"
done

expect "version" 0 version
is "version names libsdrs" out_has "libsdrs "
expect "version --json" 0 version --json
is "version --json" json_true '(.library_version|type=="string") and (.abi==1)'

# ---- usage errors: exit 2 ----
expect "no command" 2
is "no command message" err_has "sdrs: usage: missing command"
expect "unknown command" 2 frobnicate
expect "missing subcommand" 2 pg
expect "unknown option" 2 pg list --bogus
is "unknown option message" err_has "unknown option --bogus"
expect "missing positional" 2 pg show
expect "extra positional" 2 pg show a b
expect "missing option value" 2 pg show x --endpoint
expect "bad number" 2 pg list --limit abc
is "bad number message" err_has "--limit: not a whole number"
is "bad number points to the command's help" err_has "Run 'sdrs pg list --help'"
expect "bad interval" 2 job wait x --interval-ms 1.5
expect "bad timeout" 2 pg list --timeout soon
expect "missing required option" 2 pg create --name x
is "missing required option message" err_has "missing required option --source-az"
expect "flag with value" 2 pg list --all=yes
run pg list --token=s3cret-value --bogus=s3cret-value
is "usage error exit 2 with inline values" test "$RC" -eq 2
is "usage error never echoes a value" test "${ERR/s3cret-value/}" = "$ERR"
SDRS_ENDPOINT= expect "no endpoint" 2 domain list
is "no endpoint names flag and variable" err_has "--endpoint URL or set SDRS_ENDPOINT"
OS_AUTH_TOKEN= expect "no token" 2 domain list

# ---- validation errors: exit 3 ----
expect "bad name" 3 pg create --name 'bad name!' "${CREATE_ARGS[@]}"
is "bad name message" err_has "sdrs: SDRS_EVALIDATION: name"
expect "same AZs" 3 pg create --name same --source-az eu-de-01 --target-az eu-de-01 \
  --domain-id "$DOMAIN" --vpc-id vpc-1
expect "description with <" 3 pg create --name d "${CREATE_ARGS[@]}" --description '<b>'
expect "id with slash" 3 pg show a/b
is "id with slash names server_group_id" err_has "server_group_id"
expect "limit out of range" 3 pg list --limit 0
SDRS_ALLOW_HTTP= expect "http without --allow-http" 3 domain list
SDRS_ALLOW_HTTP= expect "--allow-http flag" 0 domain list --allow-http
expect "limit above 1000" 3 pg list --limit 1001
expect "bad priority station" 3 pg planned-failover some-id --priority-station middle
is "bad priority station names the field" err_has "priority_station"
expect "job id with whitespace" 3 job show 'a b'
expect "missing CA file" 3 domain list --ca-file "$WORK/no-such-ca.pem"
expect "bad project id" 3 domain list --project-id ../x
expect "bad wait interval" 3 job wait 0123456789abcdef0123456789abcdef --interval-ms 1

# ---- validation of instance and pair input: exit 3 (2 for the command line), and no request
# ---- reaches the emulator ----
BEFORE=$(api_requests)
PI_ARGS=(--group some-group --server some-server --name app)
expect "pi create: bad IP" 3 pi create "${PI_ARGS[@]}" --primary-subnet net-1 --primary-ip 300.1.2.3
is "bad IP names primary_ip_address" err_has "SDRS_EVALIDATION: primary_ip_address"
expect "pi create: IP without subnet" 3 pi create "${PI_ARGS[@]}" --primary-ip 10.0.0.5
is "IP without subnet names primary_ip_address" err_has "primary_ip_address"
expect "pi create: bad name" 3 pi create --group g --server s --name 'app 1'
is "bad name names the field" err_has "SDRS_EVALIDATION: name"
expect "pi create: tag key twice" 3 pi create "${PI_ARGS[@]}" --tag env=a --tag env=b
is "tag key twice names tags" err_has "tags"
expect "pi create: --tag without =" 2 pi create "${PI_ARGS[@]}" --tag env
is "--tag without = says KEY=VALUE" err_has "--tag: expected KEY=VALUE"
expect "pi create: --name twice" 2 pi create "${PI_ARGS[@]}" --name other
is "a single-valued option given twice is refused" err_has "option --name given twice"
expect "pi attach: bad device" 3 pi attach some-instance --pair some-pair --device /dev/hda
is "bad device names device" err_has "SDRS_EVALIDATION: device"
expect "pi attach: device without /dev/" 3 pi attach some-instance --pair some-pair --device vdb
expect "pair expand: size 0" 3 pair expand some-pair --new-size 0
is "size 0 names new_size" err_has "SDRS_EVALIDATION: new_size"
expect "pair expand: size above 32768" 3 pair expand some-pair --new-size 32769
expect "pair expand: size not a number" 2 pair expand some-pair --new-size 10GB
for verb in show delete rename attach detach add-nic delete-nic resize; do
  case $verb in
    rename) extra=(new-name) ;;
    attach) extra=(--pair p --device /dev/vdb) ;;
    detach) extra=(--pair p) ;;
    add-nic) extra=(--subnet s) ;;
    delete-nic) extra=(--nic n) ;;
    resize) extra=(--flavor f) ;;
    *) extra=() ;;
  esac
  expect "pi $verb: instance id \"tags\"" 3 pi "$verb" tags "${extra[@]}"
  is "pi $verb tags: names the instance id" err_has "protected_instance_id"
done
expect "pi show: instance id \"batch\"" 3 pi show batch
expect "pi show: id with slash" 3 pi show a/b
expect "pair show: id with slash" 3 pair show a/b
expect "pi resize: no flavor" 3 pi resize some-instance
expect "pi resize: --flavor with --dr-flavor" 3 pi resize some-instance --flavor a --dr-flavor b
expect "pi add-nic: bad IP" 3 pi add-nic some-instance --subnet s --ip 10.0.0
expect "pair create: bad name" 3 pair create --group g --volume v --name 'shared disk'
mapfile -t MANY_GROUPS < <(for i in $(seq 1 31); do printf -- '--group-id\ng%02d\n' "$i"; done)
expect "pi list: 31 group ids" 3 pi list "${MANY_GROUPS[@]}"
is "31 group ids names server_group_ids" err_has "server_group_ids"
expect "pair list: limit 0" 3 pair list --limit 0
expect "pi list: query type" 3 pi list --query-type stop_protected
expect "pg find-created: missing --since" 2 pg find-created --name x "${CREATE_ARGS[@]}"
is "no request reached the emulator ($BEFORE -> $(api_requests))" test "$(api_requests)" -eq "$BEFORE"

# ---- service and transport errors: exit 4 ----
expect "group not found" 4 pg show no-such-group
is "not found report" err_has "sdrs: SDRS_ENOTFOUND:"
is "not found carries SDRS code" err_has "SDRS code SDRS.1013"
is "not found carries request id" err_has "request id "
is "not found carries http status" err_has "http status "
expect "wrong token (flag overrides env)" 4 domain list --token wrong-s3cret-token
is "wrong token is an auth error" err_has "SDRS_EAUTH"
is "token never printed" test "${ERR/wrong-s3cret-token/}" = "$ERR"
expect "connection refused" 4 domain list --endpoint http://127.0.0.1:1
is "connection refused is a transport error" err_has "SDRS_ETRANSPORT"
expect "unknown job" 4 job show 0123456789abcdef0123456789abcdef
expect "wrong project id (flag overrides env)" 4 domain list --project-id other-project
SDRS_ENDPOINT=http://127.0.0.1:1 expect "--endpoint overrides SDRS_ENDPOINT" 0 domain list \
  --endpoint "$BASE"

# ---- domains and API versions ----
expect "domain list" 0 domain list
is "domain table" out_has "dr-domain-a"
is "domain table header" out_has "LOCAL_AZ"
expect "domain list --json" 0 domain list --json
is "domain list --json" json_true ".domains[0].id == \"$DOMAIN\""

expect "api-versions" 0 api-versions
is "api-versions lists v1" out_has "CURRENT"
expect "api-versions --json" 0 api-versions --json
is "api-versions --json" json_true '.versions[0].id == "v1"'

# ---- the DR workflow, CLI commands only: group -> protect two servers -> shared-disk pair
# ---- attached to both -> enable -> failover -> re-protect -> planned failover -> disable ->
# ---- delete instances (with their DR servers) -> delete the remaining pair -> delete group.
# Fixture ids are read from the emulator's admin listing; everything else goes through sdrs.
VPC=a0000000-0000-4000-8000-00000000000a
DR_ARGS=(--source-az eu-de-01 --target-az eu-de-02 --domain-id "$DOMAIN" --vpc-id "$VPC")
SERVERS=$(curl -sf "$BASE/_emulator/servers")
VOLUMES=$(curl -sf "$BASE/_emulator/volumes")
server_id() { jq -r --arg n "$1" '.servers[] | select(.name == $n) | .id' <<<"$SERVERS"; }
volume_id() { jq -r --arg n "$1" '.volumes[] | select(.name == $n) | .id' <<<"$VOLUMES"; }
SERVER1=$(server_id app-1)
SERVER2=$(server_id app-2)
SHARED=$(volume_id shared-1)
is "fixture ids found ($SERVER1 $SERVER2 $SHARED)" test -n "$SERVER1" -a -n "$SERVER2" -a -n "$SHARED"
# The emulator's view of a server (exists or not), for checks only.
server_exists() { curl -sf "$BASE/_emulator/servers" | jq -e --arg id "$1" 'any(.servers[]; .id == $id)' >/dev/null; }
server_gone() { ! server_exists "$1"; }

expect "pg create --wait --json" 0 pg create --name cli-pg "${DR_ARGS[@]}" \
  --description 'CLI "test"' --wait --interval-ms 20 --json
is "create: job succeeded" json_true '.job.status == "SUCCESS"'
is "create: group available" json_true '.server_group.status == "available" and
  .server_group.name == "cli-pg" and .server_group.description == "CLI \"test\""'
GID=$(jq -r '.server_group.id' <<<"$OUT")
is "create: job names the group" json_true ".job.entities.server_group_id == \"$GID\""

expect "pg show" 0 pg show "$GID"
is "pg show key-values" out_has "status:"
is "pg show status" grep -Eq '^status: +available$' <<<"$OUT"
expect "pg show --json" 0 pg show "$GID" --json
is "pg show --json" json_true ".id == \"$GID\""

expect "enable without replication pair" 4 pg enable "$GID" --wait --interval-ms 20
is "state conflict reported with its SDRS code" err_has "SDRS.1002"

# Protect two servers: each instance brings its DR server and one attached pair per disk.
expect "pi create --wait --json" 0 pi create --group "$GID" --server "$SERVER1" --name app-1 \
  --description 'first app server' --tag env=prod --tag tier= --wait --interval-ms 20 --json
is "pi create: job SUCCESS naming the instance and the DR server" json_true '.job.status == "SUCCESS" and
  (.job.entities.protected_instance_id | length) > 0 and (.job.entities.native_server_id | length) > 0'
is "pi create: instance available on the server" json_true ".protected_instance.status == \"available\" and
  .protected_instance.source_server == \"$SERVER1\" and .protected_instance.server_group_id == \"$GID\""
is "pi create: one attached pair per disk (vda, vdb)" json_true \
  '[.protected_instance.attachment[].device] | sort == ["/dev/vda", "/dev/vdb"]'
is "pi create: tags sent (one with an empty value)" json_true \
  '.protected_instance.tags | sort_by(.key) == [{"key": "env", "value": "prod"}, {"key": "tier", "value": ""}]'
PI1=$(jq -r .protected_instance.id <<<"$OUT")
DR1=$(jq -r .protected_instance.target_server <<<"$OUT")
is "pi create: the DR server exists" server_exists "$DR1"
expect "pi create --wait (human)" 0 pi create --group "$GID" --server "$SERVER2" --name app-2 \
  --wait --interval-ms 20
is "human pi create shows the job's instance id" grep -Eq '^protected_instance_id: +[0-9a-f-]{36}$' <<<"$OUT"
is "human pi create shows the instance" grep -Eq '^name: +app-2$' <<<"$OUT"
is "human pi create shows three attachments" grep -Eq '^attachment\[2\]: +[0-9a-f-]{36} /dev/vd[a-c]$' <<<"$OUT"
PI2=$(awk '$1 == "protected_instance_id:" {print $2}' <<<"$OUT")
DR2=$(awk '$1 == "target_server:" {print $2}' <<<"$OUT")

expect "pi list" 0 pi list --group "$GID"
is "pi list table header" grep -Eq '^ID +NAME +STATUS +SOURCE_SERVER +TARGET_SERVER +PRIORITY +PAIRS$' <<<"$OUT"
is "pi list rows" grep -Eq "^$PI2 +app-2 +available +$SERVER2 +$DR2 +source +3$" <<<"$OUT"
expect "pi list --json" 0 pi list --group "$GID" --json
is "pi list --json: both instances" json_true ".count == 2 and ([.protected_instances[].id] | sort) == ([\"$PI1\", \"$PI2\"] | sort)"
expect "pi list --group-id (repeated)" 0 pi list --group-id "$GID" --group-id no-such-group --json
is "group id list" json_true '.count == 2'
expect "pi list --instance-id" 0 pi list --instance-id "$PI2" --json
is "instance id list" json_true ".count == 1 and .protected_instances[0].id == \"$PI2\""
expect "pi list --name --status" 0 pi list --name app- --status available --json
is "name and status filters" json_true '.count == 2'
expect "pi list --limit 1" 0 pi list --group "$GID" --limit 1 --json
is "one page of 1" json_true '.count == 1'
expect "pi list --all --limit 1" 0 pi list --group "$GID" --limit 1 --all --json
is "all pages of 1" json_true '.count == 2'
expect "pi list --offset 1" 0 pi list --group "$GID" --offset 1 --json
is "offset" json_true '.count == 1'
expect "pi list --query-type status_abnormal" 0 pi list --query-type status_abnormal --json
is "no abnormal instance" json_true '.count == 0'
expect "pi show" 0 pi show "$PI1"
is "pi show key-values" grep -Eq "^source_server: +$SERVER1$" <<<"$OUT"
is "pi show tags" grep -Eq '^tag\[[01]\]: +env=prod$' <<<"$OUT"

# A shared disk is paired explicitly and attached to both instances.
expect "pair create --wait --json" 0 pair create --group "$GID" --volume "$SHARED" \
  --name shared-1 --description 'cluster disk' --wait --interval-ms 20 --json
is "pair create: job SUCCESS" json_true '.job.status == "SUCCESS"'
is "pair create: pair available, shared, 100 GB" json_true ".replication.status == \"available\" and
  .replication.server_group_id == \"$GID\" and .replication.record_metadata.multiattach == true and
  .replication.record_metadata.volume_size == 100 and (.replication.volume_ids | startswith(\"$SHARED,\"))"
PAIR=$(jq -r .replication.id <<<"$OUT")
is "pair create: the job names the pair" json_true ".job.entities.replication_pair_id == \"$PAIR\""
expect "pair expand --wait --json" 0 pair expand "$PAIR" --new-size 120 --wait --interval-ms 20 --json
is "pair expand: 120 GB" json_true '.job.status == "SUCCESS" and .replication.record_metadata.volume_size == 120'
expect "pi attach --wait --json" 0 pi attach "$PI1" --pair "$PAIR" --device /dev/vdc --wait \
  --interval-ms 20 --json
is "pi attach: the instance lists the pair at /dev/vdc" json_true \
  ".job.status == \"SUCCESS\" and any(.protected_instance.attachment[]; .replication == \"$PAIR\" and .device == \"/dev/vdc\")"
expect "pi attach (second instance)" 0 pi attach "$PI2" --pair "$PAIR" --device /dev/vdd --wait --interval-ms 20
is "pi attach (human) shows the attachment" grep -Eq "^attachment\[3\]: +$PAIR /dev/vdd$" <<<"$OUT"
expect "pi detach" 0 pi detach "$PI2" --pair "$PAIR" --wait --interval-ms 20 --json
is "pi detach: the pair is gone from the instance" json_true \
  ".job.status == \"SUCCESS\" and (.protected_instance.attachment | length) == 3 and all(.protected_instance.attachment[]; .replication != \"$PAIR\")"
expect "pi attach again" 0 pi attach "$PI2" --pair "$PAIR" --device /dev/vdd --wait --interval-ms 20
expect "pair show" 0 pair show "$PAIR"
is "pair show: attached to both instances" bash -c 'grep -Eq "^attachment\[0\]: +($2|$3) /dev/vd[cd]$" <<<"$1" &&
  grep -Eq "^attachment\[1\]: +($2|$3) /dev/vd[cd]$" <<<"$1"' _ "$OUT" "$PI1" "$PI2"
is "pair show: shared, 120 GB" bash -c 'grep -Eq "^multiattach: +yes$" <<<"$1" && grep -Eq "^volume_size_gb: +120$" <<<"$1"' _ "$OUT"
expect "pair list" 0 pair list --group "$GID"
is "pair list table header" grep -Eq '^ID +NAME +STATUS +REPLICATION +SIZE_GB +SHARED +ATTACHED$' <<<"$OUT"
is "pair list: the shared pair" grep -Eq "^$PAIR +shared-1 +available +inactive +120 +yes +2$" <<<"$OUT"
expect "pair list --json" 0 pair list --group "$GID" --json
is "pair list: 2 + 3 disk pairs and the shared one" json_true '.count == 6 and (.replications | length) == 6'
expect "pair list --instance" 0 pair list --instance "$PI1" --json
is "pairs of one instance" json_true '.count == 3'
expect "pair list --instance-id (repeated)" 0 pair list --instance-id "$PI1" --instance-id "$PI2" --json
is "pairs of two instances" json_true '.count == 6'
expect "pair list --group-id --name --all" 0 pair list --group-id "$GID" --name shared --all --limit 1 --json
is "pair name filter over pages" json_true ".count == 1 and .replications[0].id == \"$PAIR\""
expect "pg show counters" 0 pg show "$GID" --json
is "group counts 2 instances and 6 pairs" json_true '.protected_instance_num == 2 and .replication_num == 6'

# step WANT ACTION_ARGS... : runs a group action with --wait --json and checks the final status.
step() {
  local want=$1
  shift
  expect "pg $1 --wait" 0 pg "$@" --wait --interval-ms 20 --json
  is "pg $1: job SUCCESS" json_true '.job.status == "SUCCESS"'
  is "pg $1: group $want" json_true ".server_group.status == \"$want\""
}
step protected enable "$GID"
expect "pi show after enable" 0 pi show "$PI1" --json
is "the instance is protected" json_true '.status == "protected"'
expect "pair show after enable" 0 pair show "$PAIR" --json
is "the shared pair replicates" json_true '.status == "protected" and .replication_status == "active"'
step failed-over failover "$GID"
is "failover moved production to the DR site" json_true '.server_group.priority_station == "target"'
expect "pi show after failover" 0 pi show "$PI2" --json
is "the instance failed over" json_true '.status == "failed-over" and .priority_station == "target"'
step protected enable "$GID"
step protected planned-failover "$GID" --priority-station source
is "planned failover moved production back" json_true '.server_group.priority_station == "source"'
step available disable "$GID"
expect "pi list after disable" 0 pi list --group "$GID" --status available --json
is "both instances available again" json_true '.count == 2'

# The other instance and pair operations, on the disabled group.
expect "pi rename" 0 pi rename "$PI1" app-1-renamed
is "pi rename shows the new name" grep -Eq '^name: +app-1-renamed$' <<<"$OUT"
expect "pi rename --json" 0 pi rename "$PI1" app-1 --json
is "pi rename --json" json_true '.name == "app-1"'
expect "pair rename" 0 pair rename "$PAIR" shared-data --json
is "pair rename --json" json_true '.name == "shared-data"'
expect "pi add-nic" 0 pi add-nic "$PI1" --subnet c0000000-0000-4000-8000-00000000000c \
  --ip 192.168.0.50 --security-group sg-web --security-group sg-db --wait --interval-ms 20 --json
is "pi add-nic: job names the NIC" json_true '.job.status == "SUCCESS" and (.job.entities.nic_id | length) > 0'
NIC=$(jq -r .job.entities.nic_id <<<"$OUT")
is "the NIC is on the DR server" bash -c 'curl -sf "$1/_emulator/servers" |
  jq -e --arg s "$2" --arg n "$3" "any(.servers[] | select(.id == \$s) | .nics[]; .id == \$n and .ip_address == \"192.168.0.50\")" >/dev/null' _ "$BASE" "$DR1" "$NIC"
expect "pi delete-nic" 0 pi delete-nic "$PI1" --nic "$NIC" --wait --interval-ms 20
is "pi delete-nic: job SUCCESS" grep -Eq '^status: +SUCCESS$' <<<"$OUT"
expect "pi resize --dr-flavor" 0 pi resize "$PI1" --dr-flavor s3.xlarge.2 --wait --interval-ms 20 --json
is "pi resize: job SUCCESS" json_true '.job.status == "SUCCESS" and .protected_instance.status == "available"'
is "the DR server has the new flavor" bash -c 'curl -sf "$1/_emulator/servers" |
  jq -e --arg s "$2" "any(.servers[]; .id == \$s and .flavor == \"s3.xlarge.2\")" >/dev/null' _ "$BASE" "$DR1"
expect "pi resize of the running production server" 4 pi resize "$PI1" --production-flavor s3.xlarge.2 \
  --wait --interval-ms 20
is "refused with the service's code" err_has "SDRS.1352"
expect "pair delete while attached" 4 pair delete "$PAIR" --wait --interval-ms 20
is "refused: attached" err_has "SDRS.1605"

# Teardown: instances with their DR servers, then the remaining (shared) pair, then the group.
expect "pi delete --delete-target-server" 0 pi delete "$PI1" --delete-target-server --wait \
  --interval-ms 20 --json
is "pi delete: job SUCCESS, no instance shown" json_true '.job.status == "SUCCESS" and (has("protected_instance") | not)'
is "the DR server went with it" server_gone "$DR1"
is "the production server stays" server_exists "$SERVER1"
expect "pi delete (no wait)" 0 pi delete "$PI2" --delete-target-server --delete-target-eip
is "pi delete prints a job id" grep -Eq '^[0-9a-f]{32}$' <<<"$OUT"
expect "job wait for the instance delete" 0 job wait "$OUT" --interval-ms 20
expect "pi show after delete" 4 pi show "$PI2"
expect "pi list after delete" 0 pi list --group "$GID" --json
is "no instance left" json_true '.count == 0'
expect "pair list after the instance deletes" 0 pair list --group "$GID" --json
is "only the shared pair remains, detached" json_true ".count == 1 and .replications[0].id == \"$PAIR\" and .replications[0].attachment == []"
expect "pair delete --delete-target-volume" 0 pair delete "$PAIR" --group "$GID" \
  --delete-target-volume --wait --interval-ms 20 --json
is "pair delete: job SUCCESS, no pair shown" json_true '.job.status == "SUCCESS" and (has("replication") | not)'
expect "pair show after delete" 4 pair show "$PAIR"
expect "pg show counters after teardown" 0 pg show "$GID" --json
is "group counts nothing" json_true '.protected_instance_num == 0 and .replication_num == 0'

expect "pg rename" 0 pg rename "$GID" cli-pg-renamed
is "rename shows the new name" grep -Eq '^name: +cli-pg-renamed$' <<<"$OUT"

expect "pg delete --wait" 0 pg delete "$GID" --wait --interval-ms 20 --json
is "delete: job SUCCESS" json_true '.job.status == "SUCCESS" and (has("server_group") | not)'
expect "pg list after delete" 0 pg list --json
is "deleted group is gone" json_true "[.server_groups[].id] | index(\"$GID\") == null"
expect "pg show after delete" 4 pg show "$GID"

# ---- outcome unknown: the create was processed, the connection closed before the answer ----
fault() { curl -sf -X POST -H 'Content-Type: application/json' -d "$1" "$BASE/_emulator/faults" >/dev/null; }
fault '{"kind": "close_after", "route": "POST /server-groups"}' && pass || fail "admin: fault"
expect "lost pg create exits 7" 7 pg create --name cli-lost "${DR_ARGS[@]}" --description 'lost "one"' \
  --wait --interval-ms 20
is "lost create: the error says the service may have acted" err_has "may have acted on it"
is "lost create: the outcome is unknown, with the send time" \
  grep -Eq '^sdrs: outcome unknown: the request was sent at [0-9T:.-]+Z \([0-9]{13}\)' <<<"$ERR"
SENT_AT=$(grep -oE 'Z \([0-9]{13}\)' <<<"$ERR" | tr -dc 0-9)
FIND_LINE=$(grep -E '^  sdrs pg find-created ' <<<"$ERR")
is "lost create: prints the find-created command line" test -n "$FIND_LINE"
is "the command line carries the spec and --since $SENT_AT" bash -c 'grep -qF -- "--name cli-lost --description '"'"'lost \"one\"'"'"' --source-az eu-de-01" <<<"$1" &&
  grep -qE -- "--vpc-id $2 --since $3\$" <<<"$1"' _ "$FIND_LINE" "$VPC" "$SENT_AT"
is "no job or group printed on stdout" test -z "$OUT"
# Run the printed command line as it is (with this build's sdrs).
eval "run ${FIND_LINE#  sdrs }"
is "pg find-created (the printed line) exits 0" test "$RC" -eq 0
is "pg find-created shows the group the lost create made" grep -Eq '^name: +cli-lost$' <<<"$OUT"
expect "pg find-created --json" 0 pg find-created --name cli-lost "${DR_ARGS[@]}" --since "$SENT_AT" --json
is "find-created --json is the group" json_true '.name == "cli-lost" and .description == "lost \"one\""'
LOST_GID=$(jq -r .id <<<"$OUT")
expect "pg list: the lost create made exactly one group" 0 pg list --name cli-lost --json
is "one group, the one found" json_true ".count == 1 and .server_groups[0].id == \"$LOST_GID\""
expect "pg find-created: none" 4 pg find-created --name cli-never "${DR_ARGS[@]}" --since "$SENT_AT"
is "none found: SDRS_ENOTFOUND, creating again is safe" bash -c 'grep -qF SDRS_ENOTFOUND <<<"$1" && grep -qF "creating again is safe" <<<"$1"' _ "$ERR"
expect "pg find-created: group created before --since" 4 pg find-created --name cli-lost "${DR_ARGS[@]}" \
  --since $((SENT_AT + 600000))
# An action and an instance create: the check names the command to run.
fault '{"kind": "close_after", "route": "POST /server-groups/*/action"}' && pass || fail "admin: fault"
expect "lost pg disable exits 7" 7 pg disable "$LOST_GID" --wait --interval-ms 20
is "lost action: says to check the group" err_has "  sdrs pg show $LOST_GID"
fault '{"kind": "close_after", "route": "POST /protected-instances"}' && pass || fail "admin: fault"
expect "lost pi create exits 7" 7 pi create --group "$LOST_GID" --server "$(server_id app-3)" --name lost-pi \
  --wait --interval-ms 20
is "lost pi create: says to list the group's instances by name" err_has "  sdrs pi list --group $LOST_GID --name lost-pi"
is "lost pi create: names the server to look for" err_has "source_server is $(server_id app-3)"
expect "the lost instance create did make the instance" 0 pi list --group "$LOST_GID" --name lost-pi --json
is "one instance" json_true '.count == 1'
curl -sf -X DELETE "$BASE/_emulator/faults" >/dev/null && pass || fail "admin: clear faults"

expect "pg create --wait (human)" 0 pg create --name cli-human "${CREATE_ARGS[@]}" --wait \
  --interval-ms 20
is "human create shows the job" grep -Eq '^status: +SUCCESS$' <<<"$OUT"
is "human create shows the group" grep -Eq '^name: +cli-human$' <<<"$OUT"

# ---- async without --wait, job show / job wait ----
expect "pg create (no wait)" 0 pg create --name cli-async "${CREATE_ARGS[@]}"
is "create prints a job id" grep -Eq '^[0-9a-f]{32}$' <<<"$OUT"
JOB=$OUT
expect "job wait" 0 job wait "$JOB" --interval-ms 20
is "job wait prints the job" grep -Eq '^status: +SUCCESS$' <<<"$OUT"
is "no status line when stderr is not a tty" test -z "$ERR"
expect "job show --json" 0 job show "$JOB" --json
is "job show --json" json_true ".job_id == \"$JOB\" and .status == \"SUCCESS\""
expect "pg create --json (no wait)" 0 pg create --name cli-async2 "${CREATE_ARGS[@]}" --json
is "create --json prints {job_id}" json_true '.job_id | test("^[0-9a-f]{32}$")'
JOB2=$(jq -r .job_id <<<"$OUT")
# The status line appears when stderr is a terminal (script gives the command a pty).
script -qec "timeout 60 '$SDRS' job wait $JOB2 --interval-ms 20" /dev/null >"$WORK/tty" 2>&1
is "live status line on a terminal" grep -qE "\[ *[0-9]+\.[0-9]s\] job $JOB2 (INIT|RUNNING|SUCCESS)" "$WORK/tty"

# ---- list: filters and paging ----
admin POST /_emulator/seed-groups '{"count": 3, "name_prefix": "seedcli-", "status": "protected"}' &&
  pass || fail "admin: seed groups"
expect "pg list" 0 pg list
is "list table header" out_has "PRIORITY"
is "list table rows" out_has "seedcli-00001"
expect "pg list --name" 0 pg list --name seedcli- --json
is "name filter" json_true '.count == 3 and ([.server_groups[].name] | all(startswith("seedcli-")))'
expect "pg list --limit" 0 pg list --name seedcli- --limit 2 --json
is "one page of 2" json_true '.count == 2 and (.server_groups | length) == 2'
expect "pg list --all --limit" 0 pg list --name seedcli- --limit 2 --all --json
is "all pages" json_true '.count == 3 and (.server_groups | length) == 3'
expect "pg list --offset" 0 pg list --name seedcli- --offset 2 --json
is "offset" json_true '.count == 1'
expect "pg list --status" 0 pg list --status protected --json
is "status filter" json_true '.count >= 3 and ([.server_groups[].status] | all(. == "protected"))'

# ---- job failure: exit 5 ----
expect "create failing group" 5 pg create --name fail-cli "${CREATE_ARGS[@]}" --wait \
  --interval-ms 20 --json
is "job failure report" err_has "sdrs: SDRS_EJOBFAILED:"
is "job failure carries the job's error code" err_has "SDRS.1014"
is "failed job printed" json_true '.job.status == "FAIL" and .server_group == null'
FAILJOB=$(jq -r .job.job_id <<<"$OUT")
expect "job wait on a failed job" 5 job wait "$FAILJOB" --interval-ms 20
is "job wait prints the failed job" grep -Eq '^status: +FAIL$' <<<"$OUT"

# ---- timeout and Ctrl-C: exit 6 ----
admin POST /_emulator/config '{"job_init_ms": 20000, "job_run_ms": 20000}' && pass ||
  fail "admin: slow jobs"
run pg create --name cli-slow "${CREATE_ARGS[@]}"
SLOWJOB=$OUT
start=$(date +%s%N)
expect "job wait --timeout" 6 job wait "$SLOWJOB" --timeout 0.5 --interval-ms 50
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
is "timeout reported" err_has "SDRS_ETIMEOUT"
is "timeout within 5 s (took ${elapsed_ms} ms)" test "$elapsed_ms" -lt 5000
expect "pg create --wait --timeout" 6 pg create --name cli-slow2 "${CREATE_ARGS[@]}" --wait \
  --timeout 0.5 --interval-ms 50

interrupt_after 1 job wait "$SLOWJOB" --interval-ms 50
is "Ctrl-C exits 6" test "$RC" -eq 6
is "Ctrl-C reports cancel" err_has "SDRS_ECANCELED"
is "Ctrl-C stops within 2 s (took ${elapsed_ms} ms)" test "$elapsed_ms" -lt 2000
admin POST /_emulator/config '{"job_init_ms": 20, "job_run_ms": 80}' && pass ||
  fail "admin: fast jobs"

# ---- issue 16 through the CLI: protect two servers -> tag them -> query by tag (filter and
# ---- count) -> drill -> delete the drill -> one failed job in the task center -> delete it
# ---- there -> quota counts moving. Everything goes through sdrs; admin calls only set up
# ---- failures and limits, and check what the emulator holds.
quota_used() {  # quota_used TYPE: the used count of the last `quota --json` run
  jq -r --arg t "$1" '.resources[] | select(.type == $t) | .used' <<<"$OUT"
}
expect "quota --json (before)" 0 quota --json
is "quota --json lists both resources" json_true '[.resources[].type] | sort == ["replications", "server_groups"]'
GROUPS0=$(quota_used server_groups)
PAIRS0=$(quota_used replications)
is "quota: used counts are numbers ($GROUPS0 $PAIRS0)" test "$GROUPS0" -ge 0 -a "$PAIRS0" -ge 0
expect "quota (table)" 0 quota
is "quota table header" grep -Eq '^RESOURCE +USED +LIMIT +MIN +MAX$' <<<"$OUT"
is "quota table: the configured limit" grep -Eq "^server_groups +$GROUPS0 +100000 +0 +unlimited$" <<<"$OUT"

expect "drill scenario: pg create" 0 pg create --name cli-drill-pg "${DR_ARGS[@]}" --wait \
  --interval-ms 20 --json
DGID=$(jq -r .server_group.id <<<"$OUT")
DSERVER1=$(server_id app-1)
DSERVER2=$(server_id db-1)
expect "drill scenario: protect app-1" 0 pi create --group "$DGID" --server "$DSERVER1" \
  --name shop-web --wait --interval-ms 20 --json
DPI1=$(jq -r .protected_instance.id <<<"$OUT")
expect "drill scenario: protect db-1" 0 pi create --group "$DGID" --server "$DSERVER2" \
  --name shop-db --wait --interval-ms 20 --json
DPI2=$(jq -r .protected_instance.id <<<"$OUT")
is "two instances protected ($DPI1 $DPI2)" test -n "$DPI1" -a -n "$DPI2" -a "$DPI1" != null
expect "quota after protecting" 0 quota --json
is "quota: one group more ($GROUPS0 -> $(quota_used server_groups))" \
  test "$(quota_used server_groups)" -eq $((GROUPS0 + 1))
is "quota: four pairs more, two disks each ($PAIRS0 -> $(quota_used replications))" \
  test "$(quota_used replications)" -eq $((PAIRS0 + 4))

# Tags: one by one, in a batch, deleted one and in a batch.
expect "tag batch-add" 0 tag batch-add "$DPI1" app=shop env=prod tier=web
is "tag batch-add says what it did" out_has "added 3 tags on $DPI1"
expect "tag add" 0 tag add "$DPI2" app=shop
expect "tag add (empty value)" 0 tag add "$DPI2" env= --json
is "tag add --json" json_true ".protected_instance_id == \"$DPI2\" and .action == \"added\""
expect "tag add (overwrite)" 0 tag add "$DPI2" env=test
expect "tag list" 0 tag list "$DPI1"
is "tag list table header" grep -Eq '^KEY +VALUE$' <<<"$OUT"
is "tag list rows" grep -Eq '^tier +web$' <<<"$OUT"
expect "tag list --json" 0 tag list "$DPI2" --json
is "tag list --json: overwritten value" json_true '.tags | sort_by(.key) == [{"key": "app", "value": "shop"}, {"key": "env", "value": "test"}]'
expect "tag batch-delete" 0 tag batch-delete "$DPI1" tier=other
expect "tag list after a batch-delete with another value" 0 tag list "$DPI1" --json
is "a value that does not match deletes nothing" json_true '.tags | length == 3'
expect "tag batch-delete by key" 0 tag batch-delete "$DPI1" tier
# Sent (the library's limits are the tolerant ones), refused by the service's stricter rule.
expect "tag add: key with * (the service refuses)" 4 tag add "$DPI1" 'a*b=v'
is "key with *: SDRS.2204" err_has "SDRS.2204"
expect "tag add: value of 44 characters (the service refuses)" 4 tag add "$DPI1" \
  "k=$(printf 'v%.0s' $(seq 1 44))"
is "long value: SDRS.2207" err_has "SDRS.2207"
expect "tag delete unknown key" 4 tag delete "$DPI1" tier
is "unknown key: SDRS.2206" err_has "SDRS.2206"
expect "tag add/delete a key needing percent-encoding" 0 tag add "$DPI1" 'team name=ops'
expect "tag delete of that key" 0 tag delete "$DPI1" 'team name'
expect "tag list after the deletes" 0 tag list "$DPI1" --json
is "two tags left" json_true '[.tags[].key] | sort == ["app", "env"]'
expect "tag project" 0 tag project
is "tag project table" grep -Eq '^env +(prod,test|test,prod)$' <<<"$OUT"
expect "tag project --json" 0 tag project --json
is "tag project --json" json_true '.tags[] | select(.key == "app") | .values == ["shop"]'

# Query by tag: the instances of one application, filter and count forms.
expect "tag query --match-all" 0 tag query --match-all app=shop
is "tag query table header" grep -Eq '^ID +NAME +STATUS +GROUP +TAGS$' <<<"$OUT"
is "tag query row" grep -Eq "^$DPI1 +shop-web +available +$DGID +(app=shop,env=prod|env=prod,app=shop)$" <<<"$OUT"
expect "tag query --match-all --json" 0 tag query --match-all app=shop --json
is "both instances of the application" json_true "[.protected_instances[].id] | sort == ([\"$DPI1\", \"$DPI2\"] | sort)"
expect "tag query --not-any" 0 tag query --match-all app=shop --not-any env=test --json
is "--not-any excludes the test instance" json_true ".count == 1 and .protected_instances[0].id == \"$DPI1\""
expect "tag query: KEY alone = any value" 0 tag query --match-all env --json
is "env with any value" json_true '.count == 2'
expect "tag query: KEY=* = any value" 0 tag query --match-all 'env=*' --not-all env=prod --json
is "--not-all env=prod leaves the test instance" json_true ".count == 1 and .protected_instances[0].id == \"$DPI2\""
expect "tag query: two values of one key" 0 tag query --match-any env=prod --match-any env=test --json
is "either value" json_true '.count == 2'
expect "tag query: fuzzy value" 0 tag query --match-all 'env=*es' --json
is "*es matches test" json_true ".count == 1 and .protected_instances[0].id == \"$DPI2\""
expect "tag query --name" 0 tag query --match-all app=shop --name SHOP-D --json
is "name filter, case-insensitive" json_true ".count == 1 and .protected_instances[0].name == \"shop-db\""
expect "tag query --limit 1" 0 tag query --match-all app=shop --limit 1 --json
is "one page of 1" json_true '.count == 1'
expect "tag query --limit 1 --all" 0 tag query --match-all app=shop --limit 1 --all --json
is "all pages of 1" json_true '.count == 2'
expect "tag query --offset 1" 0 tag query --match-all app=shop --offset 1 --json
is "offset 1 skips one" json_true '.count == 1'
expect "tag query --count" 0 tag query --match-all app=shop --count
is "count form prints 2" test "$OUT" = 2
expect "tag query --count --json" 0 tag query --match-all app=shop --not-any env=test --count --json
is "count --json" json_true '.total_count == 1'
expect "tag query: no match" 0 tag query --match-all app=nothing --count
is "count 0" test "$OUT" = 0

# DR drill: create --wait, inspect the drill servers, rename, list, delete.
DRILL_VPC=c0000000-0000-4000-8000-00000000000c
expect "drill create --wait --json" 0 drill create --group "$DGID" --name rehearsal \
  --drill-vpc "$DRILL_VPC" --wait --interval-ms 20 --json
is "drill create: job SUCCESS naming the drill" json_true '.job.status == "SUCCESS" and
  (.job.entities.disaster_recovery_drill_id | length) > 0'
is "drill create: the drill, available, in the drill VPC" json_true ".disaster_recovery_drill.status == \"available\" and
  .disaster_recovery_drill.drill_vpc_id == \"$DRILL_VPC\" and .disaster_recovery_drill.server_group_id == \"$DGID\""
is "drill create: one drill server per instance" json_true \
  "[.disaster_recovery_drill.drill_servers[].protected_instance] | sort == ([\"$DPI1\", \"$DPI2\"] | sort)"
DRILL=$(jq -r .disaster_recovery_drill.id <<<"$OUT")
DRILL_SERVER=$(jq -r '.disaster_recovery_drill.drill_servers[0].drill_server_id' <<<"$OUT")
is "the drill server exists" server_exists "$DRILL_SERVER"
expect "drill show" 0 drill show "$DRILL"
is "drill show: status" grep -Eq '^status: +available$' <<<"$OUT"
is "drill show: the drill servers, instance then server" \
  grep -Eq "^drill_server\[[01]\]: +$DPI1 +[0-9a-f-]{36}$" <<<"$OUT"
is "drill show: two drill servers" test "$(grep -c '^drill_server\[' <<<"$OUT")" -eq 2
expect "drill list" 0 drill list --group "$DGID"
is "drill list table" grep -Eq "^ID +NAME +STATUS +GROUP +DRILL_VPC +SERVERS$" <<<"$OUT"
is "drill list row" grep -Eq "^$DRILL +rehearsal +available +$DGID +$DRILL_VPC +2$" <<<"$OUT"
expect "drill list --json --status" 0 drill list --status available --drill-vpc "$DRILL_VPC" --json
is "drill list --json" json_true ".count == 1 and .disaster_recovery_drills[0].id == \"$DRILL\""
expect "drill rename" 0 drill rename "$DRILL" rehearsal-1 --json
is "drill rename --json" json_true '.name == "rehearsal-1"'
expect "pg show counts the drill" 0 pg show "$DGID" --json
is "disaster_recovery_drill_num 1" json_true '.disaster_recovery_drill_num == 1'
expect "a second drill in the same VPC" 4 drill create --group "$DGID" --name again \
  --drill-vpc "$DRILL_VPC" --wait --interval-ms 20
is "VPC in use: SDRS.1921" err_has "SDRS.1921"
expect "drill delete --wait --json" 0 drill delete "$DRILL" --wait --interval-ms 20 --json
is "drill delete: job SUCCESS, no drill shown" json_true '.job.status == "SUCCESS" and (has("disaster_recovery_drill") | not)'
is "the drill server went with it" server_gone "$DRILL_SERVER"
expect "drill show after delete" 4 drill show "$DRILL"
is "unknown drill: SDRS.1902" err_has "SDRS.1902"

# One failed job of each kind the task center groups by, listed and deleted there.
admin POST /_emulator/fail-next-jobs '{"count": 1, "job_type": "createDisasterRecoveryDrill"}' &&
  pass || fail "admin: fail the next drill create"
expect "drill create that fails exits 5" 5 drill create --group "$DGID" --name doomed \
  --drill-vpc "$DRILL_VPC" --wait --interval-ms 20 --json
is "failed drill create: the drill's error code" err_has "SDRS.1922"
FAILED_JOB=$(jq -r .job.job_id <<<"$OUT")
expect "task list --group" 0 task list --group "$DGID"
is "task list table header" \
  grep -Eq '^JOB_ID +JOB_TYPE +RESOURCE_TYPE +RESOURCE_NAME +FAILURE_STATUS +ERROR_CODE +BEGIN_TIME$' <<<"$OUT"
is "task list row" grep -Eq "^$FAILED_JOB +createDisasterRecoveryDrill +disaster_recovery_drills +doomed +createFail +SDRS.1922 +[0-9T:.-]+Z$" <<<"$OUT"
expect "task list --json with every filter" 0 task list --group "$DGID" --failure-status createFail \
  --resource-type disaster_recovery_drills --resource-name doom --json
is "task list --json" json_true ".count == 1 and .failure_jobs[0].job_id == \"$FAILED_JOB\""
expect "task list: other failure status" 0 task list --group "$DGID" --failure-status deleteFail --json
is "no deleteFail record" json_true '.count == 0'
expect "task delete" 0 task delete "$FAILED_JOB"
is "task delete says what it did" out_has "deleted failed task $FAILED_JOB"
expect "task list after task delete" 0 task list --group "$DGID" --json
is "the record is gone" json_true '.count == 0'
# The failed drill (status error) is deleted with a delete that fails too, once.
expect "drill list: the failed drill" 0 drill list --group "$DGID" --status error --json
DOOMED=$(jq -r '.disaster_recovery_drills[0].id' <<<"$OUT")
admin POST /_emulator/fail-next-jobs '{"count": 1, "job_type": "deleteDisasterRecoveryDrill"}' &&
  pass || fail "admin: fail the next drill delete"
expect "drill delete that fails exits 5" 5 drill delete "$DOOMED" --wait --interval-ms 20
expect "task list: the failed delete" 0 task list --group "$DGID" --json
is "one deleteFail record" json_true '.count == 1 and .failure_jobs[0].failure_status == "deleteFail"'
expect "task delete-group" 0 task delete-group "$DGID" --json
is "task delete-group --json" json_true ".deleted | contains(\"$DGID\")"
expect "task list after delete-group" 0 task list --group "$DGID" --json
is "no record left in the group" json_true '.count == 0'
expect "drill delete (again)" 0 drill delete "$DOOMED" --wait --interval-ms 20
is "human drill job view names the drill" grep -Eq "^disaster_recovery_drill_id: +$DOOMED$" <<<"$OUT"
# Group-level records (the failed group create earlier): listed without --group.
expect "task list (group level)" 0 task list --resource-type server_groups --json
is "the failed group create is a group-level record" json_true 'any(.failure_jobs[]; .resource_name == "fail-cli")'
expect "task delete-group-level" 0 task delete-group-level
expect "task list after delete-group-level" 0 task list --json
is "no group-level record left" json_true '.count == 0'

# Teardown, the quota following it; then a -1 limit shown as "unlimited".
expect "drill scenario: delete app-1's instance" 0 pi delete "$DPI1" --delete-target-server --wait \
  --interval-ms 20
expect "quota after one instance delete" 0 quota --json
is "quota: two pairs fewer ($(quota_used replications))" test "$(quota_used replications)" -eq $((PAIRS0 + 2))
expect "drill scenario: delete db-1's instance" 0 pi delete "$DPI2" --delete-target-server --wait \
  --interval-ms 20
expect "drill scenario: delete the group" 0 pg delete "$DGID" --wait --interval-ms 20
expect "quota after teardown" 0 quota --json
is "quota: back where it was" test "$(quota_used server_groups) $(quota_used replications)" = "$GROUPS0 $PAIRS0"
admin POST /_emulator/config '{"quota_server_groups": 50, "quota_replications": -1}' && pass ||
  fail "admin: quota limits"
expect "quota with an unlimited resource" 0 quota
is "quota table: unlimited" grep -Eq "^replications +$PAIRS0 +unlimited +0 +unlimited$" <<<"$OUT"
is "quota table: the limit set" grep -Eq "^server_groups +$GROUPS0 +50 +0 +unlimited$" <<<"$OUT"
expect "quota --json with an unlimited resource" 0 quota --json
is "quota --json: \"unlimited\", never -1" json_true \
  '(.resources[] | select(.type == "replications") | .limit == "unlimited") and
   (.resources[] | select(.type == "server_groups") | .limit == 50) and ([.. | numbers | select(. < 0)] == [])'
admin POST /_emulator/config '{"quota_server_groups": 100000, "quota_replications": 100000}' &&
  pass || fail "admin: quota limits back"

# ---- validation of drill, tag, task and quota input: exit 3 (2 for the command line), and no
# ---- request reaches the emulator ----
BEFORE=$(api_requests)
expect "drill create: bad name" 3 drill create --group g --name 'drill 1'
is "bad drill name names the field" err_has "SDRS_EVALIDATION: name"
expect "drill create: empty drill VPC" 3 drill create --group g --name d --drill-vpc ''
expect "drill show: id with slash" 3 drill show a/b
expect "drill delete: id with slash" 3 drill delete a/b
expect "drill rename: bad name" 3 drill rename some-drill 'a<b'
expect "drill list: limit 0" 3 drill list --limit 0
expect "drill create: missing --group" 2 drill create --name d
# The library takes the tolerant limits of spec-more 6.1 (key 127, value 255 characters); the
# stricter ones the emulator applies are refused by the service (see the scenario above).
expect "tag add: key of 128 characters" 3 tag add some-instance "$(printf 'k%.0s' $(seq 1 128))=v"
is "long key names tag.key" err_has "SDRS_EVALIDATION: tag.key"
expect "tag add: value of 256 characters" 3 tag add some-instance "k=$(printf 'v%.0s' $(seq 1 256))"
is "long value names tag.value" err_has "SDRS_EVALIDATION: tag.value"
expect "tag add: blank key" 3 tag add some-instance '  =v'
expect "tag add: key with a tab" 3 tag add some-instance $'a\tb=v'
expect "tag add: no =" 2 tag add some-instance app
is "tag add without = says KEY=VALUE" err_has "expected KEY=VALUE"
expect "tag add: id with slash" 3 tag add a/b k=v
mapfile -t MANY_TAGS < <(for i in $(seq 1 21); do echo "k$i=v"; done)
expect "tag batch-add: 21 tags" 3 tag batch-add some-instance "${MANY_TAGS[@]}"
is "21 tags names tags" err_has "tags"
expect "tag batch-add: a key twice" 3 tag batch-add some-instance env=a env=b
expect "tag batch-add: no =" 2 tag batch-add some-instance env
expect "tag batch-delete: empty key" 3 tag batch-delete some-instance '=v'
expect "tag delete: empty key" 3 tag delete some-instance ''
expect "tag query: empty key" 3 tag query --match-all '=v'
expect "tag query: a value twice" 3 tag query --match-any env=a --match-any env=a
mapfile -t MANY_KEYS < <(for i in $(seq 1 21); do printf -- '--not-any\nk%d\n' "$i"; done)
expect "tag query: 21 keys" 3 tag query "${MANY_KEYS[@]}"
expect "tag query: limit 1001" 3 tag query --limit 1001
expect "tag query: --count with --limit" 3 tag query --match-all app=shop --count --limit 5
is "--count with --limit names limit" err_has "limit"
expect "tag query: --count with --all" 2 tag query --count --all
expect "tag query: name of 256 characters" 3 tag query --name "$(printf 'n%.0s' $(seq 1 256))"
expect "task delete: \"batch\"" 3 task delete batch
expect "task delete: id with slash" 3 task delete a/b
expect "task delete-group: id with slash" 3 task delete-group a/b
expect "task list: limit 0" 3 task list --limit 0
expect "task list: offset -1" 3 task list --offset -1
expect "quota: no argument" 2 quota extra
is "no request reached the emulator ($BEFORE -> $(api_requests))" test "$(api_requests)" -eq "$BEFORE"

# ---- authentication: password (flags + environment), clouds.yaml, AK/SK, auth token ----
runx() {  # like run, but the command line is given whole (env VAR=... sdrs ...)
  timeout 60 "$@" >"$WORK/out" 2>"$WORK/err"
  RC=$?
  OUT=$(cat "$WORK/out")
  ERR=$(cat "$WORK/err")
}
PW_ENV=(env -u OS_AUTH_TOKEN -u OS_PROJECT_ID -u SDRS_ENDPOINT OS_PASSWORD=alice-Pa55word-x)
runx "${PW_ENV[@]}" "$SDRS" auth token --auth-url "$BASE" --username alice \
  --user-domain-name emulator-domain --project-name eu-de_emulator
is "auth token (password) exits 0" test "$RC" -eq 0
is "auth token prints an IAM token" out_has "MIIemu"
is "auth token never prints the password" bash -c '! grep -qF alice-Pa55word-x <<<"$1$2"' _ "$OUT" "$ERR"
runx "${PW_ENV[@]}" "$SDRS" --json auth token --auth-url "$BASE" --username alice \
  --user-domain-name emulator-domain --project-name eu-de_emulator
is "auth token --json names the project learned from the token" json_true ".project_id == \"$PROJECT\" and (.token | startswith(\"MIIemu\"))"
runx "${PW_ENV[@]}" "$SDRS" domain list --auth-url "$BASE" --username alice \
  --user-domain-name emulator-domain --project-name eu-de_emulator
is "domain list with password auth (endpoint from the catalog)" test "$RC" -eq 0
runx env -u OS_AUTH_TOKEN -u OS_PROJECT_ID -u SDRS_ENDPOINT OS_PASSWORD=wrong "$SDRS" domain list \
  --auth-url "$BASE" --username alice --user-domain-name emulator-domain --project-name eu-de_emulator
is "wrong password exits 4 with SDRS_EAUTH" bash -c 'test "$1" -eq 4 && grep -qF SDRS_EAUTH <<<"$2"' _ "$RC" "$ERR"
mkdir -p "$WORK/xdg/openstack"
cat >"$WORK/xdg/openstack/clouds.yaml" <<YAML
clouds:
  emu:
    auth:
      auth_url: $BASE/v3
      username: alice
      password: alice-Pa55word-x
      user_domain_name: emulator-domain
      project_name: eu-de_emulator
YAML
runx env -u OS_AUTH_TOKEN -u OS_PROJECT_ID -u SDRS_ENDPOINT XDG_CONFIG_HOME="$WORK/xdg" "$SDRS" \
  --cloud emu domain list
is "domain list with --cloud (clouds.yaml)" test "$RC" -eq 0
runx env -u OS_AUTH_TOKEN -u SDRS_ENDPOINT XDG_CONFIG_HOME="$WORK/xdg" OS_CLOUD=nope "$SDRS" domain list
is "unknown OS_CLOUD exits 3 naming it" bash -c 'test "$1" -eq 3 && grep -qF nope <<<"$2"' _ "$RC" "$ERR"
runx env -u OS_AUTH_TOKEN OS_ACCESS_KEY=OTCEXAMPLEAK00000001 \
  OS_SECRET_KEY=OtcExampleSecretKey0000000000000000000001 "$SDRS" domain list
is "domain list with AK/SK from the environment" test "$RC" -eq 0
runx env -u OS_AUTH_TOKEN OS_ACCESS_KEY=OTCEXAMPLEAK00000001 \
  OS_SECRET_KEY=OtcExampleSecretKey0000000000000000000009 "$SDRS" domain list
is "wrong secret key exits 4" test "$RC" -eq 4
run auth token
is "auth token with a fixed token prints it" bash -c 'test "$1" -eq 0 && test "$2" = emulator-token' _ "$RC" "$OUT"

finish
