"""Layer 1, the kernel: starting a student's kernel and keeping it in its box.

bubblewrap sandboxes (:mod:`.sandbox`), warm kernels forked from a pre-imported parent
(:mod:`.warm`, :mod:`.zygote`), the system-call filter (:mod:`.syscall_filter`) and a control
group per kernel (:mod:`.cgroups`). It knows nothing of notebooks, grades or gradebooks.
"""
