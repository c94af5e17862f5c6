#!/usr/bin/env bash
# mkrootfs.sh DIR [INI] - assemble a minimal container root filesystem in DIR, without network:
# busybox-static with its applets, the static ./tmpinit at /sbin/tmpinit, the static test
# helpers from build/helpers in /usr/local/bin, and an /etc/passwd and /etc/group read directly
# by tmpinit (no NSS). With INI, it is baked in as /etc/tmpinit.ini. Nothing outside DIR is
# written. Used by the container suites and by `make demo`.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:?usage: mkrootfs.sh DIR [INI]}
ini=${2:-}
[ -z "$ini" ] || ini=$(realpath "$ini")

busybox=$(command -v busybox || true)
[ -n "$busybox" ] || { echo "mkrootfs.sh: needs busybox-static (make deps)" >&2; exit 1; }
for bin in "$busybox" "$root/tmpinit"; do
	# A dynamic binary would not run in a root without libc: refuse it early and say why.
	if LC_ALL=C file -L "$bin" | grep -q 'dynamically linked'; then
		echo "mkrootfs.sh: $bin is dynamically linked; the image has no libc (hint: apt-get install busybox-static; make)" >&2
		exit 1
	fi
done

mkdir -p "$dir"
cd "$dir"
mkdir -p bin sbin etc proc sys dev tmp var/tmp run root home/www usr/local/bin var/www
chmod 1777 tmp var/tmp
install -m 0755 "$busybox" bin/busybox
for applet in $(bin/busybox --list); do
	[ -e "bin/$applet" ] || ln -s busybox "bin/$applet"
done
install -m 0755 "$root/tmpinit" sbin/tmpinit
for h in "$root"/build/helpers/*; do
	[ -f "$h" ] && [ -x "$h" ] && install -m 0755 "$h" usr/local/bin/
done
cat >etc/passwd <<'EOF'
root:x:0:0:root:/root:/bin/sh
www:x:1000:1000:web app:/home/www:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >etc/group <<'EOF'
root:x:0:
www:x:1000:
users:x:100:www
nogroup:x:65534:
EOF
chown 1000:1000 home/www
install -m 0755 "$root/tests/containers/app.sh" usr/local/bin/tmpinit-test-app
if [ -n "$ini" ]; then
	install -m 0644 "$ini" etc/tmpinit.ini
fi
