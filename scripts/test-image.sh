#!/usr/bin/env bash
# Makes sure the pinned test image is on the engine. The default image is built locally, with no
# registry: the static busybox of Debian's busybox-static on `FROM scratch`, from
# scripts/test-image/Dockerfile, tagged with the fixed version named in that file (never
# `latest`). A no-op when the image is already there; a host-wide lock keeps two runs from
# building it at once. AGENTS_RUNNER_TEST_IMAGE names another image instead (for example one
# pinned by digest), which must already be on the engine: this script never pulls.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"
no_arguments "$@"
image=$test_image
lock_file=${TMPDIR:-/tmp}/agents-runner-test-image.lock


image_present() { docker_bounded image inspect --format '{{.Id}}' "$image" >/dev/null 2>&1; }

find_busybox() {
  local candidate
  for candidate in "${AGENTS_RUNNER_BUSYBOX:-}" /bin/busybox /usr/bin/busybox; do
    if [[ -n $candidate && -x $candidate ]] && file_is_static "$candidate"; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

# A dynamically linked busybox would not run on an empty image.
file_is_static() { ! LC_ALL=C ldd "$1" >/dev/null 2>&1; }

install_busybox() {
  if ((EUID != 0)) || ! command -v apt-get >/dev/null 2>&1; then
    say "no static busybox found: install Debian's busybox-static, or set AGENTS_RUNNER_BUSYBOX to a static busybox."
    exit 1
  fi
  say "installing Debian's busybox-static"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq busybox-static >/dev/null 2>&1 || {
    apt-get update -qq >/dev/null
    apt-get install -y -qq busybox-static >/dev/null
  }
}

context=""

main() {
  if image_present; then
    exit 0
  fi
  if [[ $image != "$default_image" ]]; then
    say "the image '$image' (AGENTS_RUNNER_TEST_IMAGE) is not on the engine, and this project never pulls: load or pull it first, or unset AGENTS_RUNNER_TEST_IMAGE."
    exit 1
  fi

  exec 9>"$lock_file"
  flock -w 300 9 || { say "another process has held $lock_file for 300 s; if no run is active, delete it."; exit 1; }
  if image_present; then
    exit 0
  fi

  local busybox
  busybox=$(find_busybox) || { install_busybox; busybox=$(find_busybox) || { say "busybox-static installed, yet no static busybox found."; exit 1; }; }
  context=$(mktemp -d)
  trap 'rm -rf "$context"' EXIT
  cp "$test_image_dockerfile" "$context/Dockerfile"
  cp "$busybox" "$context/busybox"
  say "building $image from $busybox"
  if ! tar --format=ustar -C "$context" -c Dockerfile busybox \
    | DOCKER_BUILDKIT=0 docker_bounded build --quiet --tag "$image" - >/dev/null 2>"$context/build.log"; then
    say "docker build failed:"
    cat "$context/build.log" >&2
    exit 1
  fi
  image_present || { say "the build reported success, yet '$image' is not on the engine."; exit 1; }
}

main "$@"
