#!/usr/bin/env bash
# Install build and test dependencies on Debian/Ubuntu. Idempotent: installs only what is
# missing. Elsewhere it prints what to install and exits 1.
set -euo pipefail
PKGS=(
	build-essential pkg-config git file
	libcap-dev libseccomp-dev libinih-dev        # static .a files for the static build
	libcmocka-dev bats                           # unit and integration tests
	busybox-static util-linux procps iproute2    # minimal root filesystems, unshare, script, ps
	libcap2-bin                                  # setcap/capsh for the privilege tests
	gcc-multilib                                 # -m32/-mx32 seccomp probes
	runc podman uidmap debootstrap               # real containers
	python3-yaml                                 # tests/containers/pod2bundle.py reads pod.yaml
	tini dumb-init catatonit                     # peers, for comparison tests and bench
	python3 cppcheck clang clang-tools valgrind  # lint, fuzz, sanitizers, valgrind
	strace                                       # bench: system calls per start
	libclang-rt-14-dev
)
if ! command -v apt-get >/dev/null 2>&1; then
	echo "tests/deps.sh: not a Debian/Ubuntu system; install the equivalents of:" >&2
	printf '  %s\n' "${PKGS[@]}" >&2
	exit 1
fi
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "tests/deps.sh: all dependencies present"
	exit 0
fi
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "tests/deps.sh: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
