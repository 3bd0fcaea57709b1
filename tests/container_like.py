"""Run a command as root is run in a Docker container by default (Gradescope's case), on a Linux host:

    unshare --mount python tests/container_like.py COMMAND...

In the new mount namespace every cgroup hierarchy is remounted read-only (no memory group can be made), and
the command runs with Docker's default capability set: no CAP_SYS_ADMIN, no CAP_SYS_PTRACE (root may not
read other users' processes), CAP_SYS_CHROOT and CAP_SETUID kept. (Docker's seccomp filter and namespaces
are not reproduced: the grader uses none of the calls they refuse.)
"""
import os
import subprocess
import sys

#: Docker's default capabilities for a container's root (docker run without --cap-add).
DOCKER_CAPABILITIES = ("chown", "dac_override", "fsetid", "fowner", "mknod", "net_raw", "setgid", "setuid",
                       "setfcap", "setpcap", "net_bind_service", "sys_chroot", "kill", "audit_write")


def cgroup_mounts() -> list[str]:
    with open("/proc/self/mountinfo") as mounts:
        return [line.split()[4] for line in mounts if line.partition(" - ")[2].split()[:1] in (["cgroup"], ["cgroup2"])]


if __name__ == "__main__":
    for mount_point in cgroup_mounts():
        subprocess.run(["mount", "-o", "remount,bind,ro", mount_point], check=True)
    bounding = "-all," + ",".join(f"+{name}" for name in DOCKER_CAPABILITIES)
    os.execvp("setpriv", ["setpriv", f"--bounding-set={bounding}", *sys.argv[1:]])
