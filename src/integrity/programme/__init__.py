"""An institution's own integrity programme (seeds 003, 004), the pure rules: targets on
the published measures and whether they were met, the plan's overdue and progress
rules and its copy to the next year, and the diagnosis of weak and moving fields from
the published results. No Django: plain values and dicts in, plain values out."""
