# bash completion for sdrs(1), the command-line client of the Storage Disaster Recovery Service.
# Installed to share/bash-completion/completions/sdrs; or: source tools/sdrs/completion/sdrs.bash
#
# The tables mirror the CLI's command table (`sdrs --help`, `sdrs <command> --help`);
# tools/sdrs/tests/cli_test.sh fails when a command or an option is missing here.

_sdrs_global_options='--endpoint --project-id --token --allow-http --auth-url --username
  --user-domain-name --project-name --region --cloud --ca-file --json --timeout --help'

# Options that take a value (the next word), over every command.
_sdrs_value_options='--endpoint --project-id --token --auth-url --username --user-domain-name
  --project-name --region --cloud --ca-file --timeout --name --source-az --target-az
  --domain-id --vpc-id --description --dr-type --server-type --interval-ms --limit --offset
  --status --query-type --az --priority-station --since --group --server --primary-subnet
  --primary-ip --flavor --tag --group-id --instance-id --pair --device --subnet --ip
  --security-group --nic --production-flavor --dr-flavor --volume --cluster --instance
  --new-size --drill-vpc --failure-status --resource-type --resource-name --match-all
  --match-any --not-all --not-any --max-polls-per-sec'

# Command path -> its own options (the global ones apply to every command).
declare -gA _sdrs_command_options=(
  ['domain list']=''
  ['pg create']='--name --source-az --target-az --domain-id --vpc-id --description --dr-type
    --server-type --wait --interval-ms'
  ['pg find-created']='--name --source-az --target-az --domain-id --vpc-id --description
    --dr-type --server-type --since'
  ['pg show']=''
  ['pg list']='--limit --offset --status --name --query-type --az --all'
  ['pg rename']=''
  ['pg delete']='--wait --interval-ms'
  ['pg enable']='--wait --interval-ms'
  ['pg disable']='--wait --interval-ms'
  ['pg failover']='--wait --interval-ms'
  ['pg planned-failover']='--priority-station --wait --interval-ms'
  ['pi create']='--group --server --name --description --primary-subnet --primary-ip --flavor
    --tag --wait --interval-ms'
  ['pi show']=''
  ['pi list']='--limit --offset --group --group-id --instance-id --status --name --query-type
    --az --all'
  ['pi rename']=''
  ['pi delete']='--delete-target-server --delete-target-eip --wait --interval-ms'
  ['pi attach']='--pair --device --wait --interval-ms'
  ['pi detach']='--pair --wait --interval-ms'
  ['pi add-nic']='--subnet --ip --security-group --wait --interval-ms'
  ['pi delete-nic']='--nic --wait --interval-ms'
  ['pi resize']='--flavor --production-flavor --dr-flavor --wait --interval-ms'
  ['pair create']='--group --volume --name --description --cluster --wait --interval-ms'
  ['pair show']=''
  ['pair list']='--limit --offset --group --group-id --instance --instance-id --name --status
    --query-type --az --volume --all'
  ['pair rename']=''
  ['pair delete']='--group --delete-target-volume --wait --interval-ms'
  ['pair expand']='--new-size --wait --interval-ms'
  ['drill create']='--group --name --drill-vpc --wait --interval-ms'
  ['drill show']=''
  ['drill list']='--limit --offset --group --name --status --drill-vpc --all'
  ['drill rename']=''
  ['drill delete']='--wait --interval-ms'
  ['tag add']=''
  ['tag delete']=''
  ['tag list']=''
  ['tag batch-add']=''
  ['tag batch-delete']=''
  ['tag project']=''
  ['tag query']='--match-all --match-any --not-all --not-any --name --limit --offset --count --all'
  ['task list']='--limit --offset --group --failure-status --resource-type --resource-name --all'
  ['task delete']=''
  ['task delete-group']=''
  ['task delete-group-level']=''
  ['quota']=''
  ['job show']=''
  ['job wait']='--interval-ms --max-polls-per-sec'
  ['version']=''
  ['api-versions']=''
  ['auth token']=''
)

# The words that may follow `path` ("" = the first command word).
_sdrs_next_words() {
  local path=$1 command word
  local -A seen=()
  for command in "${!_sdrs_command_options[@]}"; do
    if [[ -z $path ]]; then
      word=${command%% *}
    elif [[ $command == "$path "* ]]; then
      word=${command#"$path "}
      word=${word%% *}
    else
      continue
    fi
    seen[$word]=1
  done
  printf '%s\n' "${!seen[@]}"
}

_sdrs_is_value_option() {
  [[ " ${_sdrs_value_options//$'\n'/ } " == *" $1 "* ]]
}

_sdrs() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local prev=${COMP_WORDS[COMP_CWORD - 1]}
  COMPREPLY=()

  # The command words typed so far, skipping options and their values.
  local path='' command='' word i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [[ $word == -* ]]; then
      # `--opt value` skips the value; `--opt=value` arrives as three words (= is a word break).
      if [[ ${COMP_WORDS[i + 1]} == '=' ]]; then
        ((i += 2))
      elif _sdrs_is_value_option "$word"; then
        ((i++))
      fi
      continue
    fi
    [[ -n $command ]] && continue  # a positional argument (an id, a new name)
    path=${path:+$path }$word
    [[ -v "_sdrs_command_options[$path]" ]] && command=$path
  done

  # The value of an option.
  local option=$prev
  [[ $prev == '=' ]] && option=${COMP_WORDS[COMP_CWORD - 2]}
  [[ $cur == '=' ]] && { option=$prev; cur=''; }
  if _sdrs_is_value_option "$option"; then
    case $option in
      --ca-file) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
      --priority-station) mapfile -t COMPREPLY < <(compgen -W 'source target' -- "$cur") ;;
      --query-type)
        # Groups know two more query types than instances and pairs.
        local types='general status_abnormal'
        [[ $command == 'pg list' ]] && types+=' stop_protected period_no_dr_drill'
        mapfile -t COMPREPLY < <(compgen -W "$types" -- "$cur")
        ;;
      --device) mapfile -t COMPREPLY < <(compgen -W '/dev/vdb /dev/vdc /dev/vdd /dev/vde' -- "$cur") ;;
      --dr-type) mapfile -t COMPREPLY < <(compgen -W 'migration' -- "$cur") ;;
      --resource-type)
        mapfile -t COMPREPLY < <(compgen -W 'server_groups protected_instances replications
          disaster_recovery_drills' -- "$cur")
        ;;
      --failure-status)
        mapfile -t COMPREPLY < <(compgen -W 'createFail deleteFail attachFail detachFail expandFail
          resizeFail startFail stopFail reverseFail failoverFail reprotectFail' -- "$cur")
        ;;
      --server-type) mapfile -t COMPREPLY < <(compgen -W 'ECS' -- "$cur") ;;
    esac
    return 0
  fi

  if [[ $cur == -* ]]; then
    local options=$_sdrs_global_options
    [[ -n $command ]] && options+=" ${_sdrs_command_options[$command]}"
    mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
    return 0
  fi
  if [[ -z $command ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_sdrs_next_words "$path")" -- "$cur")
  fi
  return 0
}

complete -F _sdrs sdrs
