#!/usr/bin/env bash
# debian-base.sh - make sure the local podman image that stands in for debian:bookworm (the
# default BASE of Dockerfile.example) exists, and print its name. Nothing can be pulled here,
# so it is built with debootstrap from the Debian archive (minbase plus the build
# dependencies, so the Dockerfile's builder stage needs no network) and cached:
#   - the podman image itself, between runs on the same machine;
#   - a tarball under /var/cache/tmpinit-tests, so a wiped image store costs an import only.
# The first build takes about 40 s here (measured); later runs about a second.
set -euo pipefail
suite=${DEBIAN_SUITE:-bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
pkgs=gcc,libc6-dev,make,pkg-config,libcap-dev,libseccomp-dev,libinih-dev
cache=${TMPINIT_TEST_CACHE:-/var/cache/tmpinit-tests}
# The tag names what is inside, so a change of suite or packages builds a new one.
key=$(printf '%s %s' "$suite" "$pkgs" | sha256sum | cut -c1-12)
image="localhost/tmpinit-debian-builder:$suite-$key"
podman() { command podman --runtime runc --cgroup-manager cgroupfs "$@"; }

if podman image exists "$image"; then
	echo "$image"
	exit 0
fi
mkdir -p "$cache"
tarball="$cache/debian-$suite-$key.tar"
if [ ! -s "$tarball" ]; then
	command -v debootstrap >/dev/null || { echo "debian-base.sh: needs debootstrap (make deps)" >&2; exit 1; }
	work=$(mktemp -d "$cache/debootstrap.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	echo "debian-base.sh: debootstrap $suite (minbase + build deps) into $work" >&2
	debootstrap --variant=minbase --include="$pkgs" "$suite" "$work/root" "$mirror" >"$work/log" 2>&1 ||
		{ tail -n 20 "$work/log" >&2; exit 1; }
	rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*
	tar -C "$work/root" --numeric-owner -cf "$tarball.part" .
	mv "$tarball.part" "$tarball"
fi
podman import -q --change 'CMD ["/bin/bash"]' "$tarball" "$image" >/dev/null
echo "$image"
