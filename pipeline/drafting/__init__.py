"""Drafting a report: facts → plan → retrieve → write → check → export, run by ``engine``; ``batch`` for many;
``readback`` and ``revise`` bring a draft back from Word."""
