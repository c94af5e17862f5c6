#!/usr/bin/env bash
# demo/run.sh (`make demo`) - the seed scenario, end to end, on a fresh Debian machine:
# a read-only container under tmpinit runs busybox httpd with a form whose CGI stores each
# submission in the tmpfs /var/tmp/submissions. The demo posts a few submissions, shows them
# stored, stops the container, and shows tmpinit's shred report and that nothing remains.
# Traffic stays inside the container's own network namespace (loopback only). It installs
# what it needs (Debian packages), builds ./tmpinit, and removes its container and image.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
name="tmpinit-demo-$$"
image="localhost/tmpinit-demo:$$"
step() { printf '\n==> %s\n' "$*"; }

# --- what a fresh Debian machine lacks
pkgs=(build-essential pkg-config libcap-dev libseccomp-dev libinih-dev busybox-static
	podman runc util-linux file)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	step "installing ${missing[*]}"
	SUDO=
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ "$(id -u)" -eq 0 ] || { echo "demo: run as root (podman with runc, mount namespaces)" >&2; exit 1; }
make -s tmpinit

# The engine recipe of this project's machines (tests/containers/lib.bash explains it).
podman() { command podman --runtime runc --cgroup-manager cgroupfs "$@"; }
tmp=$(mktemp -d)
cleanup() {
	exec 9<&- 2>/dev/null || true
	podman rm -f -t 0 "$name" >/dev/null 2>&1 || true
	podman rmi -f "$image" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

step "building the image: busybox, static tmpinit, demo/tmpinit.ini, the form and its CGI"
tests/containers/mkrootfs.sh "$tmp/rootfs" demo/tmpinit.ini
cp -r demo/www/. "$tmp/rootfs/var/www/"
tar -C "$tmp/rootfs" -c . | podman import -q --change 'ENTRYPOINT ["/sbin/tmpinit"]' - "$image" >/dev/null
echo "image $image"

step "podman run --read-only --tmpfs /var/tmp:size=16m,mode=1777,noexec (tmpinit is the ENTRYPOINT)"
podman run -d --name "$name" --network none --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 \
	--read-only --read-only-tmpfs=false --tmpfs /var/tmp:size=16m,mode=1777,noexec "$image" >/dev/null
pid=$(podman inspect -f '{{.State.Pid}}' "$name")
# The client runs on the host, inside the container's network namespace only. (Not wget -T:
# Debian 12's static busybox wget crashes with it; timeout bounds each request instead.)
web() { timeout 10 nsenter --net="/proc/$pid/ns/net" busybox wget -q -O - "$@"; }
for _ in $(seq 100); do
	web http://127.0.0.1:8080/ >/dev/null 2>&1 && break
	sleep 0.1
done
web http://127.0.0.1:8080/ | grep -q '<form method="post"' || { podman logs "$name"; exit 1; }
echo "httpd answers on 127.0.0.1:8080 inside the container; the root is read-only:"
podman exec "$name" sh -c 'touch /probe 2>&1; grep -E " / | /var/tmp " /proc/mounts'

step "posting three submissions to the form"
web --post-data 'name=Alice&message=my+card+is+4111-1111-1111-1111' http://127.0.0.1:8080/cgi-bin/submit
web --post-data 'name=Bob&message=password%3A+hunter2' http://127.0.0.1:8080/cgi-bin/submit
web --post-data 'name=Eve&message=%3Cscript%3Ealert(1)%3C%2Fscript%3E' http://127.0.0.1:8080/cgi-bin/submit

step "they are stored in the tmpfs (GET /cgi-bin/list, then the files as the host sees them)"
web http://127.0.0.1:8080/cgi-bin/list
ls -ln "/proc/$pid/root/var/tmp/submissions"
first="/proc/$pid/root/var/tmp/submissions/0001.txt"
# The host keeps the first file open: after the stop, this fd shows what became of its bytes.
exec 9<"$first"
size=$(stat -L -c %s /proc/$$/fd/9)
echo "host holds 0001.txt open: $size bytes, starting with: $(head -c 40 /proc/$$/fd/9)"

step "podman stop -t 10 (SIGTERM to tmpinit)"
t0=$(date +%s%3N)
podman stop -t 10 "$name" >/dev/null
code=$(podman wait "$name")
echo "stopped in $(($(date +%s%3N) - t0)) ms; exit code $code (busybox httpd dies of SIGTERM: 128+15)"

step "tmpinit's log: the shred report"
podman logs "$name" 2>&1 | grep '^tmpinit' || true

step "what remains"
nonzero=$(tr -d '\0' </proc/$$/fd/9 | wc -c)
after=$(stat -L -c %s /proc/$$/fd/9)
echo "0001.txt through the host's fd: $after bytes, $nonzero of them not zero"
state=$(podman inspect -f '{{.State.Status}}' "$name")
echo "container: $state; its tmpfs is unmounted with it"
if [ "$after" -eq "$size" ] && [ "$nonzero" -eq 0 ] && [ "$state" = exited ]; then
	echo
	echo "demo: OK - the submissions were overwritten with zeros and removed; nothing remains"
else
	echo
	echo "demo: FAILED - the submission's bytes are still there" >&2
	exit 1
fi
