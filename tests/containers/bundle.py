#!/usr/bin/env python3
"""bundle.py - write an OCI runtime config.json for runc, shaped like the bundles Docker,
podman or a Kubernetes kubelet hand to the runtime. Only the standard library: it runs on a
fresh Debian machine.

  bundle.py BUNDLE_DIR [options] -- ARGS...

The root filesystem is BUNDLE_DIR/rootfs unless --rootfs says otherwise. Nothing outside
BUNDLE_DIR is written.
"""
import argparse
import json
import os
import sys

# Docker's default capability set (moby oci/caps/defaults.go): no CAP_SYS_ADMIN, so no mount.
DOCKER_CAPS = [
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
    "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
    "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
]


def caps_list(spec):
    """docker | docker+NAME,... | none | NAME,... -> list of CAP_ names."""
    caps = []
    for part in spec.split("+"):
        for name in filter(None, part.split(",")):
            name = name.strip().upper()
            if name == "DOCKER":
                caps += DOCKER_CAPS
            elif name == "NONE":
                continue
            else:
                caps.append(name if name.startswith("CAP_") else "CAP_" + name)
    return sorted(set(caps))


def tmpfs_mount(spec):
    """DEST:opt,opt -> an OCI mount of a tmpfs, flagged like docker's --tmpfs."""
    dest, _, opts = spec.partition(":")
    options = ["nosuid", "nodev", "noexec"]
    for o in filter(None, opts.split(",")):
        if o in ("exec", "suid", "dev"):
            options.remove("no" + o)
        else:
            options.append(o)
    return {"destination": dest, "type": "tmpfs", "source": "tmpfs", "options": options}


def bind_mount(spec):
    """SRC:DEST[:ro,suid,dev] -> an OCI bind mount (nosuid,nodev unless suid, dev: a kubelet's
    volumes carry neither)."""
    parts = spec.split(":")
    src, dest = parts[0], parts[1]
    options = ["rbind", "nosuid", "nodev"]
    for o in filter(None, (parts[2] if len(parts) > 2 else "").split(",")):
        if o in ("suid", "dev"):
            options.remove("no" + o)
        elif o == "ro":
            options.append("ro")
        else:
            sys.exit("bundle.py: --bind %s: unknown option %s (expected ro, suid, dev)" % (spec, o))
    return {"destination": dest, "type": "bind", "source": os.path.abspath(src), "options": options}


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bundle")
    ap.add_argument("--rootfs", default="rootfs")
    ap.add_argument("--rw", action="store_true", help="writable root (default: read-only)")
    ap.add_argument("--caps", default="docker")
    ap.add_argument("--tmpfs", action="append", default=[])
    ap.add_argument("--bind", action="append", default=[])
    ap.add_argument("--user", default="0:0", help="UID:GID")
    ap.add_argument("--groups", default="", help="supplementary gids, comma separated")
    ap.add_argument("--no-new-privs", action="store_true")
    ap.add_argument("--pidns", default="", help="join the PID namespace at this path")
    ap.add_argument("--env", action="append", default=[])
    ap.add_argument("--cwd", default="/")
    ap.add_argument("args", nargs="+")
    o = ap.parse_args(argv)

    caps = caps_list(o.caps)
    uid, _, gid = o.user.partition(":")
    namespaces = [{"type": t} for t in ("pid", "network", "ipc", "uts", "mount")]
    if o.pidns:
        namespaces[0]["path"] = o.pidns
    mounts = [
        {"destination": "/proc", "type": "proc", "source": "proc"},
        {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
         "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
        {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
         "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
        {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
         "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
        {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
         "options": ["nosuid", "noexec", "nodev"]},
        {"destination": "/sys", "type": "sysfs", "source": "sysfs",
         "options": ["nosuid", "noexec", "nodev", "ro"]},
    ]
    mounts += [tmpfs_mount(t) for t in o.tmpfs]
    mounts += [bind_mount(b) for b in o.bind]
    config = {
        "ociVersion": "1.0.2-dev",
        "process": {
            "terminal": False,
            "user": {"uid": int(uid), "gid": int(gid or uid),
                     "additionalGids": [int(g) for g in filter(None, o.groups.split(","))]},
            "args": o.args,
            "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] + o.env,
            "cwd": o.cwd,
            "capabilities": {"bounding": caps, "effective": caps, "permitted": caps},
            "noNewPrivileges": o.no_new_privs,
        },
        "root": {"path": o.rootfs, "readonly": not o.rw},
        "hostname": "tmpinit-test",
        "mounts": mounts,
        "linux": {
            "resources": {"devices": [{"allow": False, "access": "rwm"}]},
            "namespaces": namespaces,
            "maskedPaths": ["/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                            "/proc/timer_list", "/proc/sched_debug", "/sys/firmware"],
            "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                              "/proc/sysrq-trigger"],
        },
    }
    os.makedirs(o.bundle, exist_ok=True)
    with open(os.path.join(o.bundle, "config.json"), "w") as f:
        json.dump(config, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
