"""The notebook's namespace: where the learner's functions and answers live."""

from __future__ import annotations


def notebook_namespace() -> dict:
    """The running notebook's variables (IPython's user namespace), or ``__main__``'s outside IPython."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    if shell is not None:
        return shell.user_ns
    import __main__

    return vars(__main__)
