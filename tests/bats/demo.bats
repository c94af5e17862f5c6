#!/usr/bin/env bats
# `make demo` runs demo/run.sh; this test runs the same script and checks its story: the form
# stored three submissions in the tmpfs of a read-only container, the stop shredded them, and
# the host's fd on one of them reads zeros of the original length.

load common
load ../containers/lib

@test "make demo: read-only web form under tmpinit, submissions stored in the tmpfs, shredded on stop" {
	need_podman
	run "$ROOT/demo/run.sh"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"touch: /probe: Read-only file system"* ]]
	[[ "$output" == *"stored submission 3 "* ]]
	[[ "$output" == *"0002.txt: name=Bob  message=password: hunter2"* ]]
	[[ "$output" == *"0001.txt through the host's fd: 49 bytes, 0 of them not zero"* ]]
	[[ "$output" == *"demo: OK"* ]]
	# tmpinit's shred report is shown.
	[[ "$output" == *'tmpinit: info: shred "/var/tmp": 3 files, 137 bytes overwritten'* ]]
	# The demo removed its container and image.
	! podman images --format '{{.Repository}}' | grep -q '^localhost/tmpinit-demo$'
}
