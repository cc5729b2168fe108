"""Real servers for the grading tests, started on 127.0.0.1 in a temporary folder and stopped
afterwards: a single-node Slurm (munge, slurmctld, slurmd) and a PostgreSQL server.

The recipes are the ones measured in docs: Debian's slurm-wlm and munge, run as root with no
cgroups; Debian's postgresql, run as the `postgres` user with trust authentication.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from small_class import kill_marked

START_TIMEOUT_S = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _need(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed: `make test` as root installs Debian's "
                    "slurm-wlm, munge and postgresql")


def _wait_until(check, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while not check():
        if time.monotonic() > deadline:
            tail = log.read_text()[-2000:] if log is not None and log.exists() else ""
            raise RuntimeError(f"{what} did not start within {START_TIMEOUT_S} s\n{tail}")
        time.sleep(0.2)


# --- Slurm ---------------------------------------------------------------------------------
SLURM_CONF = """\
ClusterName=gradingtest
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={folder}/munge.socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation={folder}/state
SlurmdSpoolDir={folder}/spool
SlurmctldPidFile={folder}/slurmctld.pid
SlurmdPidFile={folder}/slurmd.pid
SlurmctldLogFile={folder}/slurmctld.log
SlurmdLogFile={folder}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
NodeName={host} NodeAddr=127.0.0.1 CPUs={cpus} State=UNKNOWN
PartitionName=grading Nodes={host} Default=YES MaxTime=INFINITE State=UP
"""


@contextmanager
def slurm_cluster():
    """Start munged, slurmctld and slurmd; yield the environment that points Slurm's commands
    at them (SLURM_CONF); cancel every job and stop the daemons afterwards."""
    _need("munged", "slurmctld", "slurmd", "sbatch", "sinfo", "scancel")
    if os.geteuid() != 0:
        pytest.skip("the single-node Slurm runs as root (SlurmUser=root)")
    folder = Path(tempfile.mkdtemp(prefix="grading-slurm-"))
    for sub in ("state", "spool"):
        (folder / sub).mkdir()
    key = folder / "munge.key"
    key.write_bytes(os.urandom(128))
    key.chmod(0o400)
    host = socket.gethostname().split(".")[0]
    conf = folder / "slurm.conf"
    conf.write_text(SLURM_CONF.format(host=host, folder=folder, ctld_port=_free_port(),
                                      slurmd_port=_free_port(), cpus=os.cpu_count()))
    env = {**os.environ, "SLURM_CONF": str(conf)}
    daemons = []
    try:
        daemons.append(_start(["munged", "-F", "--force", f"--socket={folder}/munge.socket",
                               f"--key-file={key}", f"--pid-file={folder}/munged.pid",
                               f"--log-file={folder}/munged.log",
                               f"--seed-file={folder}/munged.seed"], folder / "munged.out", env))
        _wait_until((folder / "munge.socket").exists, "munged", folder / "munged.log")
        daemons.append(_start(["slurmctld", "-D"], folder / "slurmctld.out", env))
        daemons.append(_start(["slurmd", "-D", "-N", host], folder / "slurmd.out", env))
        _wait_until(lambda: _idle(env), "the Slurm node", folder / "slurmctld.log")
        yield env
    finally:
        subprocess.run(["scancel", "--user=root"], env=env, capture_output=True, timeout=30)
        for daemon in reversed(daemons):
            daemon.terminate()
            try:
                daemon.wait(15)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()
        kill_marked("SLURM_CONF", str(conf))  # a job step the daemons left behind
        shutil.rmtree(folder, ignore_errors=True)


def _start(command: list[str], log: Path, env) -> subprocess.Popen:
    with open(log, "w") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                stdin=subprocess.DEVNULL)


def _idle(env) -> bool:
    result = subprocess.run(["sinfo", "-h", "-o", "%T"], env=env, capture_output=True, text=True)
    return result.returncode == 0 and result.stdout.strip() == "idle"


# --- PostgreSQL ----------------------------------------------------------------------------
def _pg_tool(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(
        f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        pytest.skip(f"PostgreSQL's {name} is not installed: `make test` as root installs "
                    "Debian's postgresql")
    return found


@contextmanager
def postgres_server():
    """Start PostgreSQL on 127.0.0.1 with a database "gradebook" owned by "grader" (trust
    authentication); yield its SQLAlchemy URL; stop it and remove its files afterwards."""
    pytest.importorskip("psycopg2", reason="psycopg2-binary (the [postgres] extra) is missing")
    initdb, pg_ctl, createdb = (_pg_tool(n) for n in ("initdb", "pg_ctl", "createdb"))
    as_postgres = []
    folder = Path(tempfile.mkdtemp(prefix="grading-pg-"))  # not under pytest's root-only tmp
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("no postgres user to run PostgreSQL as")
        os.chown(folder, user.pw_uid, user.pw_gid)
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port, data = _free_port(), folder / "data"
    try:
        subprocess.run([*as_postgres, initdb, "-D", str(data), "-A", "trust", "-U", "grader"],
                       check=True, capture_output=True, timeout=120)
        subprocess.run([*as_postgres, pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-w",
                        "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {folder}", "start"],
                       check=True, capture_output=True, timeout=120)
        subprocess.run([createdb, "-h", "127.0.0.1", "-p", str(port), "-U", "grader",
                        "gradebook"], check=True, capture_output=True, timeout=60)
        yield f"postgresql+psycopg2://grader@127.0.0.1:{port}/gradebook"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*as_postgres, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"],
                           capture_output=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)
