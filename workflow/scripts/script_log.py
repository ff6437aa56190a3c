"""Send a workflow script's stdout and stderr to its rule's ``log: out=`` file.

Redirects the file descriptors 1 and 2, so that C-level output (LAMMPS, MPI, LAPACK warnings)
and a Python traceback land in the log too; Snakemake names that log when the job fails."""
import os
import sys


def to_log(sm) -> None:
    fd = os.open(sm.log.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
