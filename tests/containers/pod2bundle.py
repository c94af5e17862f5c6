#!/usr/bin/env python3
"""pod2bundle.py POD.yaml - translate a pod's first container into what the runc suite needs
to emulate the kubelet: prints shell assignments (for eval) of the user, capabilities,
no_new_privs, read-only root, RAM-backed emptyDir mounts, grace period and command.
Only what tmpinit depends on is translated; anything else the test would need is refused, so
the emulation never silently diverges from the YAML."""
import shlex
import sys

import yaml

UNITS = {"Ki": "k", "Mi": "m", "Gi": "g", "K": "k", "M": "m", "G": "g"}


def tmpfs_size(limit):
    """Kubernetes quantity (16Mi) -> tmpfs size option (16m)."""
    s = str(limit)
    for suffix, unit in UNITS.items():
        if s.endswith(suffix):
            return s[: -len(suffix)] + unit
    return s


def main(path):
    with open(path) as f:
        pod = yaml.safe_load(f)
    spec = pod["spec"]
    ctr = spec["containers"][0]
    psc = spec.get("securityContext", {})
    csc = ctr.get("securityContext", {})
    # The container's securityContext wins over the pod's, as in the kubelet.
    uid = csc.get("runAsUser", psc.get("runAsUser", 0))
    gid = csc.get("runAsGroup", psc.get("runAsGroup", uid))
    if csc.get("runAsNonRoot", psc.get("runAsNonRoot")) and uid == 0:
        sys.exit("pod2bundle.py: runAsNonRoot with uid 0: the kubelet would refuse to start it")
    drop = [c.upper() for c in csc.get("capabilities", {}).get("drop", [])]
    add = [c.upper() for c in csc.get("capabilities", {}).get("add", [])]
    if "ALL" not in drop:
        sys.exit("pod2bundle.py: only capabilities.drop: [ALL] is emulated")
    caps = "none" + "".join("+" + c for c in add)
    nnp = 0 if csc.get("allowPrivilegeEscalation", True) else 1
    ro = 1 if csc.get("readOnlyRootFilesystem") else 0
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    memdirs = []
    for vm in ctr.get("volumeMounts", []):
        ed = volumes[vm["name"]].get("emptyDir")
        if ed is None or ed.get("medium") != "Memory":
            sys.exit("pod2bundle.py: only emptyDir volumes with medium Memory are emulated")
        memdirs.append("%s:%s" % (vm["mountPath"], tmpfs_size(ed.get("sizeLimit", "64Mi"))))
    out = {
        "POD_USER": "%d:%d" % (uid, gid),
        "POD_CAPS": caps,
        "POD_NNP": str(nnp),
        "POD_READONLY": str(ro),
        "POD_GRACE": str(spec.get("terminationGracePeriodSeconds", 30)),
    }
    for k, v in out.items():
        print("%s=%s" % (k, shlex.quote(v)))
    print("POD_MEMORY_DIRS=(%s)" % " ".join(shlex.quote(m) for m in memdirs))
    cmd = ctr.get("command", []) + ctr.get("args", [])
    print("POD_COMMAND=(%s)" % " ".join(shlex.quote(c) for c in cmd))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
