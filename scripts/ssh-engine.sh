#!/usr/bin/env bash
# Serves this machine's engine over ssh, as a remote build host would: the docker CLI then reaches it
# with DOCKER_HOST=ssh://root@localhost:PORT, each docker process through its own ssh connection.
# Installs Debian's openssh-server when sshd is missing (as root), starts an sshd of its own on
# 127.0.0.1:PORT (sshd's default settings otherwise), with a fresh host key and a fresh key for root,
# and trusts that host key on this machine for as long as that sshd runs.
#
#   scripts/ssh-engine.sh [--port N] -- COMMAND [ARGS]
#       starts the sshd, runs COMMAND with DOCKER_HOST=ssh://root@localhost:N, then stops the sshd
#       and takes its key and trust away again; exits with COMMAND's exit code. Example:
#       scripts/ssh-engine.sh -- scripts/run-e2e.sh
#   scripts/ssh-engine.sh [--port N] --up      starts it and prints the DOCKER_HOST to use
#   scripts/ssh-engine.sh [--port N] --down    stops it and takes the trust away
#
# The port defaults to 2222. The engine itself is this machine's (scripts/engine-up.sh starts it).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"

port=2222
action=
while (($#)); do
  case $1 in
    --port)
      if ! [[ ${2-} =~ ^[0-9]+$ ]] || (($2 < 1 || $2 > 65535)); then
        say "--port takes a TCP port number, not '${2-}'"
        usage
      fi
      port=$2
      shift 2
      ;;
    --up | --down) action=${1#--}; shift ;;
    --) shift; action=run; break ;;
    -h | --help) help_text; exit 0 ;;
    *) say "unknown argument '$1'"; usage ;;
  esac
done
[[ -n $action ]] || { say "say what to do: -- COMMAND, --up or --down"; usage; }
[[ $action != run || $# -gt 0 ]] || { say "-- needs a command to run"; usage; }

states=/run/agents-runner-ssh
state=$states/$port
# ssh reads every file in this folder (Debian's ssh_config includes it). The keys and host keys of the
# sshds this script runs are known through it while they run, and only then: trust is per port.
client_config=/etc/ssh/ssh_config.d/agents-runner-ssh-engines.conf
docker_host=ssh://root@localhost:$port

# Writes the client's settings for the sshds running now, or removes them when none runs.
client_trust() {
  local keys=("$states"/*/id_ed25519)
  if [[ ! -e ${keys[0]} ]]; then
    rm -f "$client_config" "$states/known_hosts"
    return 0
  fi
  # Written aside and moved into place: an ssh call of another run never reads half a file.
  cat "$states"/*/known_hosts >"$states/known_hosts.$$"
  mv -f "$states/known_hosts.$$" "$states/known_hosts"
  {
    echo "# The ssh engines of scripts/ssh-engine.sh; removed when the last one stops."
    echo "Host localhost 127.0.0.1"
    echo "  GlobalKnownHostsFile /etc/ssh/ssh_known_hosts $states/known_hosts"
    printf '  IdentityFile %s\n' "${keys[@]}"
  } >"$client_config.$$"
  mv -f "$client_config.$$" "$client_config"
}

# The pid of the sshd serving this port, when one runs.
live_sshd() {
  local pid
  [[ -f $state/sshd.pid ]] && pid=$(cat "$state/sshd.pid") && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

down() {
  local pid
  if pid=$(live_sshd); then
    kill "$pid" || say "could not stop the sshd (pid $pid) of port $port: stop it by hand"
  fi
  rm -rf "$state"
  client_trust
}

install_sshd() {
  [[ -x /usr/sbin/sshd ]] && return 0
  if ((EUID != 0)) || ! command -v apt-get >/dev/null 2>&1; then
    say "sshd is missing: install it (Debian: apt-get install openssh-server) and run again."
    exit 1
  fi
  say "installing Debian's openssh-server"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-server >/dev/null 2>&1 || {
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-server >/dev/null
  }
  # The package's own sshd (port 22) is not ours to run.
  systemctl disable --now ssh >/dev/null 2>&1 || true
}

up() {
  ((EUID == 0)) || { say "runs as root: it serves the engine to root's key and installs what is missing"; exit 1; }
  install_sshd
  "$here/engine-up.sh"
  local pid
  if pid=$(live_sshd); then
    say "an ssh engine already runs on port $port (sshd pid $pid), perhaps another run's: choose another port with --port, or stop it with --down"
    exit 1
  fi
  # From here on, whatever stops the script takes this port's sshd, key and trust away with it.
  trap down EXIT
  down
  mkdir -p "$state" /run/sshd
  chmod 700 "$state"
  ssh-keygen -q -t ed25519 -N '' -C "agents-runner ssh engine host key" -f "$state/host_key"
  ssh-keygen -q -t ed25519 -N '' -C "agents-runner ssh engine client key" -f "$state/id_ed25519"
  cp "$state/id_ed25519.pub" "$state/authorized_keys"
  {
    echo "[localhost]:$port $(cut -d' ' -f1,2 "$state/host_key.pub")"
    echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$state/host_key.pub")"
  } >"$state/known_hosts"
  cat >"$state/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $state/host_key
PidFile $state/sshd.pid
AuthorizedKeysFile $state/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
# bash runs ~/.bashrc before an ssh command only as a first-level shell: root's .bashrc is for people
# at a terminal (on this machine it starts pyenv, seconds per call), not for the engine's callers.
SetEnv SHLVL=1
EOF
  client_trust
  /usr/sbin/sshd -f "$state/sshd_config" -E "$state/sshd.log"
  local deadline=$((SECONDS + 30))
  until DOCKER_HOST=$docker_host timeout 20 docker version >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      say "the engine did not answer over ssh within 30 s; sshd's log:"
      tail -n 20 "$state/sshd.log" >&2 || true
      DOCKER_HOST=$docker_host timeout 20 docker version >&2 || true
      exit 1
    fi
    sleep 0.5
  done
  say "the engine answers over ssh: DOCKER_HOST=$docker_host"
}

case $action in
  up)
    up
    trap - EXIT
    echo "export DOCKER_HOST=$docker_host"
    ;;
  down) down; say "stopped the ssh engine on port $port" ;;
  run)
    up
    status=0
    DOCKER_HOST=$docker_host "$@" || status=$?
    exit "$status"
    ;;
esac
