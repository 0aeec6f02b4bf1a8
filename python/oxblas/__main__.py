"""``python -m oxblas run script.py [args]``: re-execute the command with oxblas
preloaded (LD_PRELOAD), so unmodified NumPy and SciPy code runs on it.
``python -m oxblas info`` prints where the library is and how it is configured."""

import os
import sys

from . import _lib

USAGE = "usage: python -m oxblas run SCRIPT [ARGS...] | python -m oxblas run -m MODULE [ARGS...] | python -m oxblas info"


def preload_env(env=None):
    env = dict(os.environ if env is None else env)
    lib = _lib.path()
    current = env.get("LD_PRELOAD", "")
    env["LD_PRELOAD"] = lib if not current else f"{lib}:{current}"
    return env


def run(argv):
    if not argv:
        sys.exit(USAGE)
    os.execve(sys.executable, [sys.executable, *argv], preload_env())


def run_cli():
    """The ``oxblas-run`` console script: ``oxblas-run script.py [args]``."""
    run(sys.argv[1:])


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["run"]:
        run(argv[1:])
    elif argv[:1] == ["info"]:
        from . import info

        for k, v in info().items():
            print(f"{k}: {v}")
    else:
        sys.exit(USAGE)


if __name__ == "__main__":
    main()
